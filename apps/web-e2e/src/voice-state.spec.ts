import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { expectAccessible } from './support/axe';
import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, type TestSocket } from './support/socket';

const ADA = { username: 'ada-voice-e2e', passphrase: 'lantern fjord copper mistral', displayName: 'Ada' };
const BROOK = {
  username: 'brook-voice-e2e',
  passphrase: 'orchid basalt tumble zephyr',
  displayName: 'Brook',
};

function voiceToml(rootKey: string): string {
  return [
    `[server]\nname = "Voices"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
    `[[channels]]\nid = "lounge"\nname = "Lounge"\ngroup = "general"\nkind = "voice"\n`,
  ].join('\n');
}

const inCall = (page: Page, name: string) =>
  page.locator(`mq-channel-sidebar [data-voice-members="lounge"] [data-participant="${name}"]`);
const muteButton = (page: Page) => page.locator('[data-test=voice-mute]');

/**
 * Presence in calls in the web client (no media yet): one member joins a voice channel's call from
 * the sidebar, the other sees them listed under the channel, a mute shows for both, leaving removes.
 */
describe('web client: who is in a voice call', () => {
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
      startApi({ configToml: voiceToml(ada.publicKey.hex), port }),
      launchPerson('ada-voice'),
      launchPerson('brook-voice'),
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
  }, 180_000);

  afterAll(async () => {
    // Undefined when beforeAll failed early.
    (adaDevice as TestSocket | undefined)?.close();
    await (adaPerson as Person | undefined)?.close().catch(() => undefined);
    await (brookPerson as Person | undefined)?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('joining from the sidebar lists the member under the channel for both; mute shows; leaving removes', async () => {
    const a = adaPerson.page;
    const b = brookPerson.page;
    // A voice channel has a speaker icon and a Join button; a text channel neither.
    await a.locator('[data-join-voice="lounge"]').waitFor({ timeout: WAIT });
    expect(await a.locator('[data-join-voice="lobby"]').count()).toBe(0);

    await a.locator('[data-join-voice="lounge"]').click();
    await channelTitle(a, 'Lounge').waitFor({ timeout: WAIT });
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await a.locator('[data-test=voice-panel]', { hasText: 'Lounge / Voices' }).waitFor({ timeout: WAIT });
    expect(await a.locator('[data-join-voice="lounge"]').count()).toBe(0);
    await inCall(b, 'Ada').waitFor({ timeout: WAIT });
    // Brook reads lobby and still sees who is in the call; no panel, he is in none.
    expect(await b.locator('[data-test=voice-panel]').count()).toBe(0);
    await screenshot(a, 'voice-01-ada-in-the-call');
    await screenshot(b, 'voice-02-brook-sees-ada');

    await muteButton(a).click();
    await waitUntil(async () => (await muteButton(a).getAttribute('aria-pressed')) === 'true', 'Ada muted');
    await inCall(a, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });
    await inCall(b, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });
    await screenshot(a, 'voice-03-ada-muted');
    // The call's rows and the panel meet WCAG AA (contrast, names, pressed states).
    await expectAccessible(a, 'the sidebar in a call, muted', 'mq-channel-sidebar');

    // Brook joins too: both are listed, in joining order, on both pages.
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await inCall(b, 'Brook').waitFor({ timeout: WAIT });
    expect(
      await b
        .locator('mq-channel-sidebar [data-voice-members="lounge"] [data-participant]')
        .allTextContents(),
    ).toEqual([expect.stringContaining('Ada'), expect.stringContaining('Brook')]);
    await screenshot(b, 'voice-04-both-in-the-call-ada-muted');

    // Ada reads another channel: the panel stays, and Leave ends her part.
    await a.locator('mq-channel-sidebar [data-channel="lobby"]').click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await a.locator('[data-test=voice-leave]').click();
    await inCall(b, 'Ada').waitFor({ state: 'detached', timeout: WAIT });
    await inCall(a, 'Ada').waitFor({ state: 'detached', timeout: WAIT });
    expect(await a.locator('[data-test=voice-panel]').count()).toBe(0);
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await screenshot(a, 'voice-05-ada-left');
  });
});
