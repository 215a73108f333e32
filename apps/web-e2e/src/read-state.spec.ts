import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import type { ReadStateDto } from '@mpqcht/protocol';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { setPageAttention } from './support/attention';
import { launchPerson, type Person, screenshot } from './support/browser';
import {
  addServer,
  channelTitle,
  createIdentity,
  joinAs,
  rail,
  unlock,
  WAIT,
  waitUntil,
} from './support/pages';
import { connectAs, ok, send, type TestSocket } from './support/socket';

const ADA = { username: 'ada-read-e2e', passphrase: 'lantern fjord copper mistral', displayName: 'Ada' };
const BROOK = { username: 'brook-read-e2e', passphrase: 'orchid basalt tumble zephyr', displayName: 'Brook' };

function communityToml(rootKey: string): string {
  const channel = (id: string) => `[[channels]]\nid = "${id}"\nname = "${id}"\ngroup = "general"\n`;
  return [
    `[server]\nname = "Reading"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    channel('lobby'),
    channel('random'),
    channel('long'),
  ].join('\n');
}

const channelButton = (page: Page, id: string) => page.locator(`mq-channel-sidebar [data-channel="${id}"]`);
const hasClass = async (page: Page, selector: string, name: string) =>
  (await page.locator(selector).getAttribute('class'))?.split(/\s+/).includes(name) ?? false;
const channelUnread = (page: Page, id: string) =>
  hasClass(page, `mq-channel-sidebar [data-channel="${id}"]`, 'unread');
const divider = (page: Page) => page.locator('[data-test=new-divider]');
/** The id of the message right below the "New messages" divider. */
const belowDivider = (page: Page) =>
  divider(page).evaluate((el) =>
    el.nextElementSibling?.querySelector('article')?.getAttribute('data-message'),
  );

describe('web client: reading a channel marks it read', () => {
  let api: ApiProcess;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let person: Person;
  /** Ada's other device: what the server says her read state is. */
  let adaDevice: TestSocket;
  let brookSocket: TestSocket;

  const serverState = async (channelId: string): Promise<ReadStateDto> => {
    const list = await ok(adaDevice, 'channels.list', {});
    const found = list.channels.find((c) => c.id === channelId);
    if (!found) throw new Error(`no channel ${channelId}`);
    return found.readState;
  };

  beforeAll(async () => {
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
    ]);
    const port = await freePort();
    [api, person] = await Promise.all([
      startApi({ configToml: communityToml(ada.publicKey.hex), port }),
      launchPerson('ada-read'),
    ]);
    const page = person.page;
    await createIdentity(page, api.url, ADA.username, ADA.passphrase);
    await unlock(page);
    await addServer(page, api.url);
    await joinAs(page, ADA.displayName);
    await channelTitle(page, 'lobby').waitFor();

    adaDevice = await connectAs(api.url, ada);
    await ok(adaDevice, 'members.authorize', { publicKey: brook.publicKey.hex });
    brookSocket = await connectAs(api.url, brook);
    await ok(brookSocket, 'member.join', { displayName: BROOK.displayName });
  }, 120_000);

  afterAll(async () => {
    // Undefined when beforeAll failed early.
    (adaDevice as TestSocket | undefined)?.close();
    (brookSocket as TestSocket | undefined)?.close();
    await (person as Person | undefined)?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('opening a channel with unread messages clears its badges and the server’s count, and shows the divider', async () => {
    const page = person.page;
    const first = await send(brookSocket, 'random', 'First news in random');
    const mention = await send(brookSocket, 'random', `@${ADA.displayName} have a look at this`);

    const railA = rail(page, api.url);
    await railA.locator('[data-test=rail-mentions]', { hasText: /^\s*1\s*$/ }).waitFor({ timeout: WAIT });
    await channelButton(page, 'random').locator('[data-test=channel-mentions]').waitFor({ timeout: WAIT });
    expect(await channelUnread(page, 'random')).toBe(true);
    expect(await serverState('random')).toMatchObject({ lastReadSeq: 0, unreadCount: 2, mentionCount: 1 });
    await screenshot(page, 'read-01-unread-before-opening');

    await channelButton(page, 'random').click();
    await channelTitle(page, 'random').waitFor();
    await channelButton(page, 'random')
      .locator('[data-test=channel-mentions]')
      .waitFor({ state: 'detached', timeout: WAIT });
    await railA.locator('[data-test=rail-mentions]').waitFor({ state: 'detached', timeout: WAIT });
    await waitUntil(async () => !(await channelUnread(page, 'random')), 'random shown read');
    await waitUntil(
      async () => !(await railA.getAttribute('class'))?.split(/\s+/).includes('unread'),
      'the server shown read',
    );
    // Read on the server: another device (or a reload) sees it read.
    await waitUntil(
      async () => (await serverState('random')).lastReadSeq === mention.seq,
      'the server read state',
    );
    expect(await serverState('random')).toMatchObject({
      lastReadMessageId: mention.id,
      unreadCount: 0,
      mentionCount: 0,
    });

    // A first visit (never read) shows the divider above the first message, and marking read kept it.
    expect(await belowDivider(page)).toBe(first.id);

    // New messages while Ada watches: read as they come, and the divider stays where it was.
    const live = await send(brookSocket, 'random', 'Arriving while Ada reads');
    await page.locator(`article.message[data-message="${live.id}"]`).waitFor({ timeout: WAIT });
    await waitUntil(
      async () => (await serverState('random')).lastReadSeq === live.seq,
      'the live message read',
    );
    expect(await channelUnread(page, 'random')).toBe(false);
    expect(await divider(page).count()).toBe(1);
    expect(await belowDivider(page)).toBe(first.id);
    await screenshot(page, 'read-02-read-with-divider');

    // Leaving the channel drops the divider: coming back, everything is read.
    await channelButton(page, 'lobby').click();
    await channelTitle(page, 'lobby').waitFor();
    await channelButton(page, 'random').click();
    await page.locator(`article.message[data-message="${live.id}"]`).waitFor({ timeout: WAIT });
    expect(await divider(page).count()).toBe(0);
  });

  it('a page in the background does not mark read; coming back to it does', async () => {
    const page = person.page;
    await channelTitle(page, 'random').waitFor();
    const before = await serverState('random');

    for (const { where, ...state } of [
      { where: 'in a background tab', visible: false, focused: false },
      { where: 'in a window behind another', visible: true, focused: false },
    ]) {
      await setPageAttention(page, state);
      const message = await send(brookSocket, 'random', `Posted while Ada's page is ${where}`);
      await page.locator(`article.message[data-message="${message.id}"]`).waitFor({ timeout: WAIT });
      await waitUntil(() => channelUnread(page, 'random'), 'random unread in the background');
      // Longer than the pace of mark-read requests (1 s): none was sent meanwhile.
      await page.waitForTimeout(1500);
      expect(await serverState('random')).toMatchObject({ lastReadSeq: before.lastReadSeq });
      expect(await channelUnread(page, 'random')).toBe(true);
    }
    expect((await serverState('random')).unreadCount).toBe(2);
    // Messages that arrived unseen get the divider above the first of them.
    await divider(page).waitFor({ timeout: WAIT });
    await screenshot(page, 'read-03-background-unread');

    await setPageAttention(page, { visible: true, focused: true });
    await waitUntil(async () => !(await channelUnread(page, 'random')), 'random read on coming back');
    await waitUntil(async () => (await serverState('random')).unreadCount === 0, 'the server read state');
    expect(await divider(page).count()).toBe(1);
  });

  it('Escape marks read what arrived while the list was scrolled away from the present', async () => {
    const page = person.page;
    for (let n = 1; n <= 60; n++) {
      await send(brookSocket, 'long', `long message ${String(n).padStart(2, '0')}\nsecond line\nthird line`);
    }
    await channelButton(page, 'long').click();
    await channelTitle(page, 'long').waitFor();
    await page.getByText('long message 60').waitFor({ timeout: WAIT });
    await waitUntil(async () => (await serverState('long')).unreadCount === 0, 'long read when opened');

    const scroller = page.locator('[data-test=message-scroller]');
    await scroller.evaluate((el) => (el.scrollTop = -el.scrollHeight));
    await page.locator('[data-test=jump-to-present]').waitFor({ timeout: WAIT });
    const late = await send(brookSocket, 'long', 'Posted while Ada scrolled up');
    await waitUntil(() => channelUnread(page, 'long'), 'long unread while scrolled away');
    await page.waitForTimeout(1500);
    expect((await serverState('long')).unreadCount).toBe(1);

    await page.keyboard.press('Escape');
    await waitUntil(async () => !(await channelUnread(page, 'long')), 'long read after Escape');
    await waitUntil(
      async () => (await serverState('long')).lastReadSeq === late.seq,
      'the server read state',
    );
    // Still where Ada was reading: Escape marks read, it does not scroll.
    expect(await page.locator('[data-test=jump-to-present]').isVisible()).toBe(true);
    expect(person.consoleErrors).toEqual([]);
  });
});
