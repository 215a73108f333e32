import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person } from './browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT } from './pages';
import { connectAs, ok, type TestSocket } from './socket';

/** A community with a text channel (lobby) and a voice channel (Lounge), Ada its root. */
export function voiceToml(rootKey: string, serverName = 'Voices'): string {
  return [
    `[server]\nname = "${serverName}"\nroot_keys = ["${rootKey}"]\n`,
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
  /** Their keys, for more servers or sockets of the same people. */
  readonly identities: { readonly ada: DerivedIdentity; readonly brook: DerivedIdentity };
  close(): Promise<void>;
}

/** `localStorage` key of the client's voice preferences (voice/voice-preferences.ts). */
export const VOICE_PREFERENCES_KEY = 'mpqcht.voice.v1';

export interface VoiceCommunityOptions {
  /** More environment for the api, e.g. TURN_SECRET and TURN_URLS of a test coturn. */
  readonly apiEnv?: Record<string, string>;
  /**
   * Both browsers prefer calls through the TURN relay only (`relayOnly` in the voice
   * preferences, set in localStorage before the app first loads).
   */
  readonly relayOnly?: boolean;
}

/**
 * `tag` keeps each spec's identities and browser profiles apart; `media` gives both browsers the
 * app's voice stats hook and the microphone (the fake one of support/browser.ts).
 */
export async function startVoiceCommunity(
  tag: string,
  media = false,
  options: VoiceCommunityOptions = {},
): Promise<VoiceCommunity> {
  const people = [
    { name: 'Ada', username: `ada-${tag}-e2e`, passphrase: 'lantern fjord copper mistral' },
    { name: 'Brook', username: `brook-${tag}-e2e`, passphrase: 'orchid basalt tumble zephyr' },
  ] as const;
  const [ada, brook] = await Promise.all(people.map((p) => deriveIdentity(p.username, p.passphrase)));
  if (!ada || !brook) throw new Error('no identities');
  const port = await freePort();
  const [api, adaPerson, brookPerson] = await Promise.all([
    startApi({
      configToml: voiceToml(ada.publicKey.hex),
      port,
      ...(options.apiEnv ? { env: options.apiEnv } : {}),
    }),
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
      if (options.relayOnly) await preferRelayOnly(person);
      await createIdentity(person.page, api.url, who.username, who.passphrase);
      await unlock(person.page);
      await addServer(person.page, api.url);
      // Ada joined from her socket; Brook picks his name in the browser.
      if (who.name === 'Brook') await joinAs(person.page, who.name);
      await channelTitle(person.page, 'lobby').waitFor({ timeout: WAIT });
    }
    return { api, ada: adaPerson, brook: brookPerson, adaDevice, identities: { ada, brook }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Sets `relayOnly` in the voice preferences before every load of the page, keeping the rest. */
async function preferRelayOnly(person: Person): Promise<void> {
  await person.context.addInitScript((key: string) => {
    let stored: unknown = {};
    try {
      stored = JSON.parse(localStorage.getItem(key) ?? '{}');
    } catch {
      // A broken value: replaced below.
    }
    const base = typeof stored === 'object' && stored !== null ? stored : {};
    localStorage.setItem(key, JSON.stringify({ ...base, relayOnly: true }));
  }, VOICE_PREFERENCES_KEY);
}

/** `name`'s row under Lounge in the channel sidebar (the call's participants). */
export const inCall = (page: Page, name: string) =>
  page.locator(`mq-channel-sidebar [data-voice-members="lounge"] [data-participant="${name}"]`);
