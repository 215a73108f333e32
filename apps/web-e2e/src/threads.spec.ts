import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, type TestSocket } from './support/socket';

/**
 * Threads in the browser (issue 16): one member starts a thread on a message, another replies from
 * the side panel, and the first sees the reply count and the unread badge until she reads it.
 */

const ADA = { username: 'ada-threads-e2e', passphrase: 'lantern quarry mosaic ferret', displayName: 'Ada' };
const BROOK = {
  username: 'brook-threads-e2e',
  passphrase: 'walnut cipher tundra gazelle',
  displayName: 'Brook',
};

function communityToml(rootKey: string): string {
  return [
    `[server]\nname = "Threads"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\ntopic = "Where everyone meets"\n`,
    `[[channels]]\nid = "random"\nname = "random"\ngroup = "general"\n`,
  ].join('\n');
}

const panel = (page: Page) => page.locator('mq-thread-panel');
const chip = (page: Page) => page.locator('mq-message-pane [data-test=thread-chip]');
const lobbyThreadBadge = (page: Page) =>
  page.locator('mq-channel-sidebar [data-channel="lobby"] [data-test=channel-thread-unread]');

async function sendFromComposer(page: Page, scope: string, text: string): Promise<void> {
  const box = page.locator(`${scope} [data-test=composer]`);
  await box.fill(text);
  await box.press('Enter');
}

describe('web client: threads', () => {
  let api: ApiProcess;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let adaPerson: Person;
  let brookPerson: Person;
  let adaDevice: TestSocket;

  beforeAll(async () => {
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
    ]);
    const port = await freePort();
    [api, adaPerson, brookPerson] = await Promise.all([
      startApi({ configToml: communityToml(ada.publicKey.hex), port }),
      launchPerson('ada-threads'),
      launchPerson('brook-threads'),
    ]);
    adaDevice = await connectAs(api.url, ada);
    await ok(adaDevice, 'member.join', { displayName: ADA.displayName });
    await ok(adaDevice, 'members.authorize', { publicKey: brook.publicKey.hex });
    for (const [person, who] of [
      [adaPerson, ADA],
      [brookPerson, BROOK],
    ] as const) {
      await createIdentity(person.page, api.url, who.username, who.passphrase);
      await unlock(person.page);
      await addServer(person.page, api.url);
      if (who === BROOK) await joinAs(person.page, who.displayName);
      await channelTitle(person.page, 'lobby').waitFor({ timeout: WAIT });
    }
  }, 120_000);

  afterAll(async () => {
    (adaDevice as TestSocket | undefined)?.close();
    await (adaPerson as Person | undefined)?.close().catch(() => undefined);
    await (brookPerson as Person | undefined)?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('starts a thread on a message; another member replies from the side panel; counts and badges follow', async () => {
    const a = adaPerson.page;
    const b = brookPerson.page;

    // Ada's message, and a thread on it: the name offered is the message's first words.
    await sendFromComposer(a, 'mq-message-pane', 'Shall we plan the **meetup** for Saturday?');
    const message = a.locator('mq-message-pane article.message[data-state="sent"]').last();
    await message.waitFor({ timeout: WAIT });
    await message.hover();
    await message.locator('[data-test=thread]').click();
    const name = a.locator('[data-test=thread-name]');
    await name.waitFor({ timeout: WAIT });
    expect(await name.inputValue()).toBe('Shall we plan the meetup for Saturday?');
    await screenshot(a, 'threads-01-start-dialog');
    await name.fill('Meetup plans');
    await a.locator('[data-test=thread-create]').click();
    await panel(a)
      .locator('[data-test=thread-title]', { hasText: 'Meetup plans' })
      .waitFor({ timeout: WAIT });
    expect(await panel(a).locator('[data-test=thread-follow]').getAttribute('aria-pressed')).toBe('true');
    // The member list gives way to the thread while it is open.
    expect(await a.locator('mq-member-list').count()).toBe(0);
    await screenshot(a, 'threads-02-new-thread-panel');
    await panel(a).locator('[data-test=thread-close]').click();
    await panel(a).waitFor({ state: 'detached' });
    await chip(a).waitFor({ timeout: WAIT });
    expect(await chip(a).locator('[data-test=thread-count]').textContent()).toContain('no replies yet');

    // Brook sees the thread under the message (a push), opens it, and replies there.
    await chip(b).waitFor({ timeout: WAIT });
    await chip(b).click();
    await panel(b)
      .locator('[data-test=thread-title]', { hasText: 'Meetup plans' })
      .waitFor({ timeout: WAIT });
    await sendFromComposer(b, 'mq-thread-panel', 'Count me in, I can bring the projector.');
    await panel(b)
      .locator('article.message[data-state="sent"]', { hasText: 'bring the projector' })
      .waitFor({ timeout: WAIT });
    // The reply is the thread's, not the channel's.
    expect(await b.locator('mq-message-pane article.message', { hasText: 'projector' }).count()).toBe(0);
    await screenshot(b, 'threads-03-reply-in-panel');

    // Ada, reading the lobby, sees one reply, by Brook, unread in a thread she follows.
    await waitUntil(
      async () =>
        ((await chip(a).locator('[data-test=thread-count]').textContent()) ?? '').includes('1 message'),
      'the reply count on the chip',
    );
    expect(await chip(a).textContent()).toContain('Brook');
    expect(await chip(a).locator('[data-test=thread-unread]').textContent()).toContain('1 new');
    await lobbyThreadBadge(a).waitFor({ timeout: WAIT });
    expect((await lobbyThreadBadge(a).textContent())?.trim()).toBe('1');
    await screenshot(a, 'threads-04-unread-chip-and-badge');

    // Opening the thread reads it: the badges go.
    await chip(a).click();
    await panel(a).locator('article.message', { hasText: 'bring the projector' }).waitFor({ timeout: WAIT });
    await lobbyThreadBadge(a).waitFor({ state: 'detached', timeout: WAIT });
    await chip(a).locator('[data-test=thread-unread]').waitFor({ state: 'detached', timeout: WAIT });
    await screenshot(a, 'threads-05-read');

    // The channel's thread list finds it; so does the quick switcher (Ctrl+K), on Brook's side.
    await panel(a).locator('[data-test=thread-close]').click();
    await a.locator('[data-test=thread-list-button]').click();
    const row = a.locator('mq-thread-list [data-test=thread-row]', { hasText: 'Meetup plans' });
    await row.waitFor({ timeout: WAIT });
    expect(await row.textContent()).toContain('1 message');
    await screenshot(a, 'threads-06-thread-list');
    await row.click();
    await panel(a)
      .locator('[data-test=thread-title]', { hasText: 'Meetup plans' })
      .waitFor({ timeout: WAIT });
    expect(await a.locator('mq-thread-list').count()).toBe(0);

    await panel(b).locator('[data-test=thread-close]').click();
    await panel(b).waitFor({ state: 'detached' });
    await b.keyboard.press('Control+k');
    await b.locator('[data-test=switcher-input]').fill('meetup');
    await b
      .locator('mq-quick-switcher button[data-thread]', { hasText: 'Meetup plans' })
      .waitFor({ timeout: WAIT });
    await b.keyboard.press('Enter');
    await panel(b)
      .locator('[data-test=thread-title]', { hasText: 'Meetup plans' })
      .waitFor({ timeout: WAIT });

    // Ada holds manage_threads (a root): she renames the thread and locks it; Brook sees both and
    // can no longer reply (read-only, as the server enforces).
    await panel(a).locator('[data-test=thread-manage]').click();
    await panel(a).locator('[data-test=thread-rename]').click();
    await a.locator('[data-test=thread-name]').fill('Saturday meetup');
    await a.locator('[data-test=thread-create]').click();
    await panel(b)
      .locator('[data-test=thread-title]', { hasText: 'Saturday meetup' })
      .waitFor({ timeout: WAIT });
    await panel(a).locator('[data-test=thread-manage]').click();
    await panel(a).locator('[data-test=thread-lock]').click();
    await panel(b).locator('[data-test=thread-read-only]', { hasText: 'locked' }).waitFor({ timeout: WAIT });
    expect(await panel(b).locator('[data-test=composer]').count()).toBe(0);
    // Ada still writes in it (manage_threads).
    expect(await panel(a).locator('[data-test=composer]').count()).toBe(1);
    await screenshot(b, 'threads-07-locked-for-brook');

    // Both sides agree with the server: one message, read by Ada.
    const followed = await ok(adaDevice, 'threads.followed', {});
    expect(followed.map((t) => [t.name, t.messageCount, t.readState.unreadCount, t.locked])).toEqual([
      ['Saturday meetup', 1, 0, true],
    ]);
  });
});
