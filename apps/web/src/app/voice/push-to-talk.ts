import { DestroyRef, inject, Injectable, signal } from '@angular/core';

import { VoicePreferences } from './voice-preferences';

/**
 * Whether the push-to-talk key is held (docs/web-client.md, Voice). The page only hears keys while
 * it has the focus: leaving the window (blur) or hiding the page releases the key, so a member
 * never keeps sending because the key-up went to another window.
 */
@Injectable({ providedIn: 'root' })
export class PushToTalk {
  private readonly preferences = inject(VoicePreferences);
  private readonly state = signal(false);
  readonly held = this.state.asReadonly();

  constructor() {
    if (typeof window === 'undefined') return;
    const down = (event: KeyboardEvent): void => {
      if (event.code === this.preferences.value().pushToTalkKey) this.state.set(true);
    };
    const up = (event: KeyboardEvent): void => {
      if (event.code === this.preferences.value().pushToTalkKey) this.state.set(false);
    };
    const release = (): void => this.state.set(false);
    window.addEventListener('keydown', down, true);
    window.addEventListener('keyup', up, true);
    window.addEventListener('blur', release);
    document.addEventListener('visibilitychange', release);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('keydown', down, true);
      window.removeEventListener('keyup', up, true);
      window.removeEventListener('blur', release);
      document.removeEventListener('visibilitychange', release);
    });
  }

  /** Whether the microphone may send now, push-to-talk considered. */
  open(): boolean {
    return !this.preferences.value().pushToTalk || this.state();
  }
}
