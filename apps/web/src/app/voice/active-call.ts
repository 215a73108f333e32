import { Injectable, signal } from '@angular/core';

import type { PeerMesh } from './peer-mesh';
import type { VoiceState } from './voice.state';

/**
 * The page's one call: which server's `VoiceState` is in a call now. A member is in at most one
 * call across every server on the page (the server keeps one per connection; the page keeps one
 * across servers): joining a call on another server leaves this one first.
 */
@Injectable({ providedIn: 'root' })
export class ActiveCall {
  private readonly current = signal<VoiceState | null>(null);
  /** The voice state of the server whose call the page is in, or null. */
  readonly holder = this.current.asReadonly();
  private readonly currentMedia = signal<PeerMesh | null>(null);
  /** The media of that call (its server's `PeerMesh`), once it has started. */
  readonly media = this.currentMedia.asReadonly();

  attachMedia(mesh: PeerMesh): void {
    this.currentMedia.set(mesh);
  }

  detachMedia(mesh: PeerMesh): void {
    if (this.currentMedia() === mesh) this.currentMedia.set(null);
  }

  /** `voice` is about to join a call: the call on another server is left first. */
  async claim(voice: VoiceState): Promise<void> {
    const previous = this.current();
    if (previous && previous !== voice) {
      this.current.set(null);
      await previous.leave().catch(() => undefined);
    }
    this.current.set(voice);
  }

  /** `voice` left its call (or was removed from it, or its connection dropped it). */
  release(voice: VoiceState): void {
    if (this.current() === voice) this.current.set(null);
  }
}
