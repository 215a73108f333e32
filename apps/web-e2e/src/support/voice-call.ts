import type { Page } from 'playwright-core';

import { deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person } from './browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from './pages';
import { connectAs, ok, type TestSocket } from './socket';

/** A community with a text channel (lobby) and a voice channel (Lounge), Ada its root. */
function voiceToml(rootKey: string): string {
  return [
    `[server]\nname = "Voices"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
    `[[channels]]\nid = "lounge"\nname = "Lounge"\ngroup = "general"\nkind = "voice"\n`,
  ].join('\n');
}

/** Ada (root) and Brook in two Chromiums on one api, both reading lobby; Ada also has a socket. */
export interface VoiceCommunity {
  readonly api: ApiProcess;
  readonly ada: Person;
  readonly brook: Person;
  /** Ada's second device: joined her and authorized Brook. */
  readonly adaDevice: TestSocket;
  close(): Promise<void>;
}

/**
 * `tag` keeps each spec's identities and browser profiles apart; `media` gives both browsers the
 * app's voice stats hook and the microphone (the fake one of support/browser.ts).
 */
export async function startVoiceCommunity(tag: string, media = false): Promise<VoiceCommunity> {
  const people = [
    { name: 'Ada', username: `ada-${tag}-e2e`, passphrase: 'lantern fjord copper mistral' },
    { name: 'Brook', username: `brook-${tag}-e2e`, passphrase: 'orchid basalt tumble zephyr' },
  ] as const;
  const [ada, brook] = await Promise.all(people.map((p) => deriveIdentity(p.username, p.passphrase)));
  if (!ada || !brook) throw new Error('no identities');
  const port = await freePort();
  const [api, adaPerson, brookPerson] = await Promise.all([
    startApi({ configToml: voiceToml(ada.publicKey.hex), port }),
    launchPerson(`ada-${tag}`, { voiceStats: media }),
    launchPerson(`brook-${tag}`, { voiceStats: media }),
  ]);
  let adaDevice: TestSocket | undefined;
  const close = async () => {
    adaDevice?.close();
    await adaPerson.close().catch(() => undefined);
    await brookPerson.close().catch(() => undefined);
    await api.dispose();
  };
  try {
    adaDevice = await connectAs(api.url, ada);
    await ok(adaDevice, 'member.join', { displayName: 'Ada' });
    await ok(adaDevice, 'members.authorize', { publicKey: brook.publicKey.hex });
    for (const [person, who] of [
      [adaPerson, people[0]],
      [brookPerson, people[1]],
    ] as const) {
      if (media) await person.context.grantPermissions(['microphone', 'camera'], { origin: api.url });
      await createIdentity(person.page, api.url, who.username, who.passphrase);
      await unlock(person.page);
      await addServer(person.page, api.url);
      // Ada joined from her socket; Brook picks his name in the browser.
      if (who.name === 'Brook') await joinAs(person.page, who.name);
      await channelTitle(person.page, 'lobby').waitFor({ timeout: WAIT });
    }
    return { api, ada: adaPerson, brook: brookPerson, adaDevice, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** `name`'s row under Lounge in the channel sidebar (the call's participants). */
export const inCall = (page: Page, name: string) =>
  page.locator(`mq-channel-sidebar [data-voice-members="lounge"] [data-participant="${name}"]`);

/** What the app reports of each peer connection (voice/peer-stats.ts). */
export interface PeerStats {
  readonly participantId: string;
  readonly connectionState: string;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly bytesSent: number;
  /** inbound `totalAudioEnergy`: grows while what arrives is not silence. */
  readonly audioEnergy: number;
  readonly quality: string;
  readonly candidateType: string | null;
}

/** The app's numbers of each peer connection (voice/peer-mesh.ts, exposed for tests only). */
export function voiceStats(page: Page): Promise<PeerStats[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __mpqchtVoiceStats?: () => Promise<PeerStats[]> })
      .__mpqchtVoiceStats;
    return hook ? hook() : [];
  });
}

/** Waits until the audio received from the one other participant grew twice (it flows). */
export async function audioFlowsInto(page: Page, who: string): Promise<void> {
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
