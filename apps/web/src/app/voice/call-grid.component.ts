import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';

import type { VoiceParticipantDto } from '@mpqcht/protocol';

import { ChatSelection } from '../servers/chat-selection';
import { ActiveCall } from './active-call';
import { MediaStreamDirective } from './media-stream.directive';
import type { RemoteVideo } from './peer-mesh';
import { VoiceState } from './voice.state';
import { VoicePreferences } from './voice-preferences';

/** One tile of the grid: a participant's screen, camera, or (without video) their initial. */
interface Tile {
  readonly key: string;
  readonly participant: VoiceParticipantDto;
  readonly kind: 'screen' | 'camera' | 'avatar';
  readonly stream: MediaStream | null;
  readonly self: boolean;
}

/**
 * The call on screen (docs/web-client.md, Voice): above the text of the voice channel whose call
 * this page is in, a tile per participant (camera, or initial with the speaking ring) and one per
 * screen share, larger. A tile of another member has its volume here and, for holders of
 * `mute_members`, a mute for everyone.
 */
@Component({
  selector: 'mq-call-grid',
  imports: [MediaStreamDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (tiles(); as tiles) {
      <section class="grid" aria-label="Call" data-test="call-grid" [class.sharing]="sharing()">
        @for (tile of tiles; track tile.key) {
          @let p = tile.participant;
          <figure
            class="tile"
            [class.screen]="tile.kind === 'screen'"
            [class.speaking]="p.speaking && tile.kind !== 'screen'"
            [attr.data-tile]="p.displayName"
            [attr.data-kind]="tile.kind"
          >
            @if (tile.stream) {
              <video
                autoplay
                playsinline
                [muted]="true"
                [class.mirror]="tile.self && tile.kind === 'camera'"
                [mqMediaStream]="tile.stream"
                [attr.data-video]="tile.kind"
              ></video>
            } @else {
              <span class="avatar" aria-hidden="true">{{ p.displayName.charAt(0).toUpperCase() }}</span>
            }
            <figcaption>
              <span class="name">{{ p.displayName }}{{ tile.kind === 'screen' ? "'s screen" : '' }}</span>
              @if (tile.kind !== 'screen' && (p.muted || p.serverMuted)) {
                <span class="badge" [title]="p.serverMuted ? 'Muted by a moderator' : 'Muted'">{{
                  p.serverMuted ? 'muted by a moderator' : 'muted'
                }}</span>
              }
              @if (!tile.self && tile.kind !== 'screen') {
                <button
                  type="button"
                  class="more"
                  [attr.aria-expanded]="open() === p.participantId"
                  [attr.aria-label]="'Options for ' + p.displayName"
                  (click)="toggle(p.participantId)"
                  data-test="tile-options"
                >
                  ⋯
                </button>
              }
            </figcaption>
            @if (open() === p.participantId && !tile.self && tile.kind !== 'screen') {
              <div class="options" data-test="tile-menu">
                <label>
                  Volume
                  <input
                    type="range"
                    min="0"
                    max="100"
                    step="5"
                    [value]="volume(p.publicKey)"
                    (input)="setVolume(p.publicKey, $any($event.target).valueAsNumber)"
                    [attr.aria-label]="'Volume of ' + p.displayName"
                    data-test="tile-volume"
                  />
                  <output>{{ volume(p.publicKey) }} %</output>
                </label>
                @if (canMute()) {
                  <button
                    type="button"
                    (click)="serverMute(p)"
                    [attr.data-test]="p.serverMuted ? 'tile-unmute' : 'tile-mute'"
                  >
                    {{ p.serverMuted ? 'Unmute for everyone' : 'Mute for everyone' }}
                  </button>
                }
              </div>
            }
          </figure>
        }
      </section>
      @if (failure(); as failure) {
        <p class="failure" role="alert">{{ failure }}</p>
      }
    }
  `,
  styles: `
    :host {
      display: block;
      flex: none;
      max-height: 46%;
      overflow-y: auto;
      border-bottom: 1px solid var(--mq-border);
      background: var(--mq-background);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
      gap: 8px;
      padding: 8px;
    }
    .tile {
      position: relative;
      display: grid;
      place-items: center;
      margin: 0;
      aspect-ratio: 16 / 9;
      border-radius: 8px;
      background: var(--mq-surface);
      outline: 2px solid transparent;
      overflow: hidden;
    }
    .tile.screen {
      grid-column: span 2;
      grid-row: span 2;
    }
    .tile.speaking {
      outline-color: #23a55a;
    }
    video {
      width: 100%;
      height: 100%;
      object-fit: contain;
      background: #000;
    }
    video.mirror {
      transform: scaleX(-1);
    }
    .avatar {
      display: grid;
      place-items: center;
      width: 56px;
      height: 56px;
      border-radius: 50%;
      background: var(--mq-surface-2);
      color: var(--mq-text);
      font-size: 24px;
      font-weight: 600;
    }
    figcaption {
      position: absolute;
      left: 6px;
      right: 6px;
      bottom: 6px;
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
    }
    .name,
    .badge {
      padding: 2px 6px;
      border-radius: 4px;
      background: rgb(0 0 0 / 70%);
      color: #fff;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .badge {
      color: #ffb4b4;
    }
    .more {
      margin-left: auto;
      border: none;
      border-radius: 4px;
      background: rgb(0 0 0 / 70%);
      color: #fff;
      cursor: pointer;
    }
    .options {
      position: absolute;
      left: 6px;
      right: 6px;
      bottom: 32px;
      display: grid;
      gap: 6px;
      padding: 8px;
      border-radius: 6px;
      border: 1px solid var(--mq-border);
      background: var(--mq-surface);
      font-size: 12px;
    }
    .options label {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .options input {
      flex: 1;
      min-width: 0;
    }
    .options output {
      min-width: 3.5em;
      text-align: right;
      white-space: nowrap;
    }
    .options button {
      padding: 4px 8px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      background: var(--mq-surface-2);
      color: var(--mq-text);
      cursor: pointer;
    }
    .failure {
      margin: 0 8px 8px;
      color: var(--mq-danger);
      font-size: 12px;
    }
  `,
})
export class CallGrid {
  private readonly selection = inject(ChatSelection);
  private readonly call = inject(ActiveCall);
  private readonly preferences = inject(VoicePreferences);
  readonly open = signal<string | null>(null);
  readonly failure = signal<string | null>(null);

  /** The voice state of the call, when the channel on screen is that call's channel. */
  private readonly voice = computed<VoiceState | null>(() => {
    const voice = this.call.holder();
    const server = this.selection.server();
    const channel = this.selection.channel();
    if (!voice || !server || !channel || server.get(VoiceState) !== voice) return null;
    return voice.self()?.channelId === channel.id ? voice : null;
  });

  readonly canMute = computed(() => this.voice()?.rights()?.mute_members ?? false);

  readonly tiles = computed<readonly Tile[] | null>(() => {
    const voice = this.voice();
    const self = voice?.self();
    if (!voice || !self) return null;
    const mesh = this.call.media();
    const videos = mesh?.videos() ?? new Map<string, RemoteVideo>();
    const own = mesh?.ownVideo();
    const tiles: Tile[] = [];
    const people: Tile[] = [];
    for (const p of voice.room(self.channelId)) {
      const isSelf = p.participantId === self.participant.participantId;
      const video = isSelf ? own : videos.get(p.participantId);
      const screen = p.screen ? (video?.screen ?? null) : null;
      const camera = p.camera ? (video?.camera ?? null) : null;
      if (screen)
        tiles.push({
          key: `${p.participantId} screen`,
          participant: p,
          kind: 'screen',
          stream: screen,
          self: isSelf,
        });
      people.push({
        key: p.participantId,
        participant: p,
        kind: camera ? 'camera' : 'avatar',
        stream: camera,
        self: isSelf,
      });
    }
    return [...tiles, ...people];
  });

  readonly sharing = computed(() => this.tiles()?.some((t) => t.kind === 'screen') ?? false);

  toggle(participantId: string): void {
    this.open.update((open) => (open === participantId ? null : participantId));
  }

  volume(publicKey: string): number {
    return Math.round(this.preferences.volumeOf(publicKey) * 100);
  }

  setVolume(publicKey: string, percent: number): void {
    this.preferences.setVolume(publicKey, percent / 100);
  }

  async serverMute(p: VoiceParticipantDto): Promise<void> {
    const voice = this.voice();
    const self = voice?.self();
    if (!voice || !self) return;
    this.failure.set(null);
    try {
      await voice.muteMember(self.channelId, p.publicKey, !p.serverMuted);
    } catch {
      this.failure.set(`Could not change ${p.displayName}'s mute.`);
    }
  }
}
