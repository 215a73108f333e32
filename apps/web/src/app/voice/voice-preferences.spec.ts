import { TestBed } from '@angular/core/testing';

import { VoicePreferences } from './voice-preferences';

const KEY = 'mpqcht.voice.v1';

describe('VoicePreferences', () => {
  beforeEach(() => localStorage.clear());

  it('starts from the defaults', () => {
    const prefs = TestBed.runInInjectionContext(() => new VoicePreferences());
    expect(prefs.value()).toEqual({
      inputDeviceId: '',
      outputDeviceId: '',
      pushToTalk: false,
      pushToTalkKey: 'Backquote',
      relayOnly: false,
      volumes: {},
    });
  });

  it('keeps a change for the next page', () => {
    new VoicePreferences().update({ relayOnly: true, pushToTalk: true, pushToTalkKey: 'KeyV' });
    const next = new VoicePreferences().value();
    expect(next.relayOnly).toBe(true);
    expect(next.pushToTalkKey).toBe('KeyV');
  });

  it('takes what it can from a damaged entry and defaults the rest', () => {
    localStorage.setItem(KEY, JSON.stringify({ relayOnly: 'yes', pushToTalk: true, volumes: { a: 7 } }));
    const value = new VoicePreferences().value();
    expect(value.relayOnly).toBe(false);
    expect(value.pushToTalk).toBe(true);
    expect(value.volumes).toEqual({});
    localStorage.setItem(KEY, '{not json');
    expect(new VoicePreferences().value().pushToTalk).toBe(false);
  });

  it('clamps a volume and forgets one back at 100 %', () => {
    const prefs = new VoicePreferences();
    prefs.setVolume('k1', 3);
    prefs.setVolume('k2', 0.25);
    expect(prefs.volumeOf('k1')).toBe(1);
    expect(prefs.volumeOf('k2')).toBe(0.25);
    expect(prefs.volumeOf('unknown')).toBe(1);
    prefs.setVolume('k2', 1);
    expect(prefs.value().volumes).toEqual({});
  });
});
