import { Injectable, signal } from '@angular/core';

/**
 * How this browser takes part in calls, on every server of the page (docs/web-client.md, Voice):
 * devices belong to the machine, not to an identity or a server. Kept in localStorage; nothing in
 * it is secret.
 */
const KEY = 'mpqcht.voice.v1';

/** A per-member volume, 0 (silent) to 1 (as sent): `HTMLMediaElement.volume`. */
export const MAX_MEMBER_VOLUME = 1;

export interface VoicePreferencesValue {
  /** `MediaDeviceInfo.deviceId`; '' is the browser's default. */
  readonly inputDeviceId: string;
  readonly outputDeviceId: string;
  /** Push-to-talk: the microphone sends only while `pushToTalkKey` (a `KeyboardEvent.code`) is held. */
  readonly pushToTalk: boolean;
  readonly pushToTalkKey: string;
  /**
   * Calls only through the server's TURN relay (`iceTransportPolicy: "relay"`): the others never
   * learn this browser's IP address (Signal's "always relay calls"). Needs TURN on the server.
   */
  readonly relayOnly: boolean;
  /** By public key: how loud each member plays here. */
  readonly volumes: Readonly<Record<string, number>>;
}

const DEFAULTS: VoicePreferencesValue = {
  inputDeviceId: '',
  outputDeviceId: '',
  pushToTalk: false,
  pushToTalkKey: 'Backquote',
  relayOnly: false,
  volumes: {},
};

const text = (value: unknown, fallback: string, min = 0): string =>
  typeof value === 'string' && value.length >= min && value.length <= 512 ? value : fallback;
const flag = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : fallback);

function volumesOf(value: unknown): Record<string, number> {
  if (typeof value !== 'object' || value === null) return {};
  const volumes: Record<string, number> = {};
  for (const [key, volume] of Object.entries(value)) {
    if (typeof volume === 'number' && volume >= 0 && volume <= MAX_MEMBER_VOLUME) volumes[key] = volume;
  }
  return volumes;
}

/** What is valid in a stored entry is kept, the rest is the default (a damaged entry never breaks calls). */
export function parseVoicePreferences(raw: unknown): VoicePreferencesValue {
  if (typeof raw !== 'object' || raw === null) return DEFAULTS;
  const r = raw as Record<string, unknown>;
  return {
    inputDeviceId: text(r['inputDeviceId'], DEFAULTS.inputDeviceId),
    outputDeviceId: text(r['outputDeviceId'], DEFAULTS.outputDeviceId),
    pushToTalk: flag(r['pushToTalk'], DEFAULTS.pushToTalk),
    pushToTalkKey: text(r['pushToTalkKey'], DEFAULTS.pushToTalkKey, 1),
    relayOnly: flag(r['relayOnly'], DEFAULTS.relayOnly),
    volumes: volumesOf(r['volumes']),
  };
}

function load(): VoicePreferencesValue {
  try {
    return parseVoicePreferences(JSON.parse(localStorage.getItem(KEY) ?? '{}'));
  } catch {
    return DEFAULTS;
  }
}

@Injectable({ providedIn: 'root' })
export class VoicePreferences {
  private readonly state = signal<VoicePreferencesValue>(load());
  readonly value = this.state.asReadonly();

  update(change: Partial<VoicePreferencesValue>): void {
    const next = { ...this.state(), ...change };
    this.state.set(next);
    try {
      localStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // Private mode or a full storage: the choice holds for this page.
    }
  }

  volumeOf(publicKey: string): number {
    return this.state().volumes[publicKey] ?? 1;
  }

  setVolume(publicKey: string, volume: number): void {
    const clamped = Math.min(MAX_MEMBER_VOLUME, Math.max(0, volume));
    const others = Object.entries(this.state().volumes).filter(([key]) => key !== publicKey);
    // 100 % is the default: not stored.
    this.update({ volumes: Object.fromEntries(clamped === 1 ? others : [...others, [publicKey, clamped]]) });
  }
}
