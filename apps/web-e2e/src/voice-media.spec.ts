import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import {
  addServer,
  channelTitle,
  createIdentity,
  defined,
  joinAs,
  unlock,
  WAIT,
  waitUntil,
} from './support/pages';
import { connectAs, ok, type TestSocket } from './support/socket';

const ADA = { username: 'ada-media-e2e', passphrase: 'lantern fjord copper mistral', displayName: 'Ada' };
const BROOK = {
  username: 'brook-media-e2e',
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

interface PeerStats {
  readonly participantId: string;
  readonly connectionState: string;
  readonly bytesReceived: number;
  readonly bytesSent: number;
}

/** The app's numbers of each peer connection (voice/peer-mesh.ts, exposed for tests only). */
function voiceStats(page: Page): Promise<PeerStats[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __mpqchtVoiceStats?: () => Promise<PeerStats[]> })
      .__mpqchtVoiceStats;
    return hook ? hook() : [];
  });
}

/** Waits until the audio received from the one other participant grew twice (it flows). */
async function audioFlowsInto(page: Page, who: string): Promise<void> {
  let last = -1;
  let increases = 0;
  await waitUntil(async () => {
    const stats = await voiceStats(page);
    const [only] = stats;
    if (stats.length !== 1 || !only) return false;
    const received = only.bytesReceived;
    if (last >= 0 && received > last) increases++;
    last = received;
    return increases >= 2;
  }, `audio arriving at ${who}`);
}

const inCall = (page: Page, name: string) =>
  page.locator(`mq-channel-sidebar [data-voice-members="lounge"] [data-participant="${name}"]`);

/**
 * The audio of a call between two real Chromiums (fake microphones): both join, each peer
 * connection carries audio both ways, the remote audio plays in an `<audio>` element, a mute
 * reaches the other side, and leaving closes the connection.
 */
describe('web client: the audio of a voice call', () => {
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
      launchPerson('ada-media', { voiceStats: true }),
      launchPerson('brook-media', { voiceStats: true }),
    ]);
    adaDevice = await connectAs(api.url, ada);
    await ok(adaDevice, 'member.join', { displayName: ADA.displayName });
    await ok(adaDevice, 'members.authorize', { publicKey: brook.publicKey.hex });
    for (const [person, who] of [
      [adaPerson, ADA],
      [brookPerson, BROOK],
    ] as const) {
      await person.context.grantPermissions(['microphone'], { origin: api.url });
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

  it('audio flows both ways between two members in a call; a mute reaches the other; leaving closes', async () => {
    const a = adaPerson.page;
    const b = brookPerson.page;
    await a.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(b, 'Brook').waitFor({ timeout: WAIT });
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });

    await audioFlowsInto(a, 'Ada');
    await audioFlowsInto(b, 'Brook');
    for (const page of [a, b]) {
      const stats = defined((await voiceStats(page))[0], 'the peer connection');
      expect(stats.connectionState).toBe('connected');
      expect(stats.bytesSent).toBeGreaterThan(0);
      // The other's audio plays in a hidden <audio autoplay> element, not muted.
      const audio = page.locator('[data-voice-audio] audio');
      expect(await audio.count()).toBe(1);
      expect(await audio.evaluate((el: HTMLAudioElement) => el.srcObject !== null && !el.muted)).toBe(true);
    }
    await screenshot(b, 'voice-media-01-both-hear');

    // Ada mutes: her microphone track is disabled, and Brook sees it.
    await a.locator('[data-test=voice-mute]').click();
    await inCall(b, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });

    // Brook deafens: Ada's audio element is muted on his page.
    await b.locator('[data-test=voice-deafen]').click();
    await waitUntil(
      () => b.locator('[data-voice-audio] audio').evaluate((el: HTMLAudioElement) => el.muted),
      "Ada's audio muted for deafened Brook",
    );

    // Brook leaves: both peer connections are dropped.
    await b.locator('[data-test=voice-leave]').click();
    await waitUntil(async () => (await voiceStats(a)).length === 0, "Ada's link to Brook closed");
    await waitUntil(async () => (await voiceStats(b)).length === 0, "Brook's links closed");
    expect(await b.locator('[data-voice-audio]').count()).toBe(0);
  });
});
