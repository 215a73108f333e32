import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { ActiveCall } from '../voice/active-call';
import { VOICE_ICONS } from './voice-icons';

/**
 * "Voice connected": the page's call (on whichever server it is), with Mute, Deafen and Leave.
 * Shown at the bottom of the channel sidebar while in a call, whatever is on screen.
 */
@Component({
  selector: 'mq-voice-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (call.holder(); as voice) {
      @if (voice.self(); as self) {
        <section class="panel" aria-label="Voice connected" data-test="voice-panel">
          <div class="where">
            <strong class="status">Voice connected</strong>
            <span class="place" data-test="voice-place">
              {{ voice.place()?.channel }} / {{ voice.place()?.server }}
            </span>
          </div>
          <div class="buttons">
            <button
              type="button"
              class="toggle"
              [class.on]="self.participant.muted"
              [attr.aria-pressed]="self.participant.muted"
              [disabled]="self.participant.serverMuted"
              [attr.aria-label]="self.participant.serverMuted ? 'Muted by a moderator' : 'Mute'"
              [title]="
                self.participant.serverMuted
                  ? 'Muted by a moderator'
                  : self.participant.muted
                    ? 'Unmute'
                    : 'Mute'
              "
              (click)="voice.setMuted(!self.participant.muted).catch(ignore)"
              data-test="voice-mute"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="self.participant.muted ? icons.micOff : icons.mic" />
              </svg>
            </button>
            <button
              type="button"
              class="toggle"
              [class.on]="self.participant.deafened"
              [attr.aria-pressed]="self.participant.deafened"
              aria-label="Deafen"
              [title]="self.participant.deafened ? 'Undeafen' : 'Deafen'"
              (click)="voice.setDeafened(!self.participant.deafened).catch(ignore)"
              data-test="voice-deafen"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="self.participant.deafened ? icons.headphonesOff : icons.headphones" />
              </svg>
            </button>
            <button
              type="button"
              class="leave"
              aria-label="Leave the call"
              title="Leave the call"
              (click)="voice.leave()"
              data-test="voice-leave"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="icons.hangUp" />
              </svg>
            </button>
          </div>
        </section>
      }
    }
  `,
  styles: `
    .panel {
      display: flex;
      align-items: center;
      gap: 4px;
      padding: 8px 8px 8px 12px;
      border-top: 1px solid var(--mq-border);
      background: var(--mq-background);
    }
    .where {
      display: grid;
      flex: 1;
      min-width: 0;
    }
    .status,
    .place {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .status {
      color: var(--mq-text);
      font-size: 13px;
    }
    .place {
      color: var(--mq-text-muted);
      font-size: 12px;
    }
    .buttons {
      display: flex;
      gap: 2px;
    }
    button {
      display: grid;
      place-items: center;
      width: 28px;
      height: 28px;
      padding: 0;
      border: none;
      border-radius: var(--mq-radius);
      background: none;
      color: var(--mq-text-muted);
      cursor: pointer;
    }
    button:hover:not(:disabled) {
      background: var(--mq-surface-2);
      color: var(--mq-text);
    }
    button:disabled {
      cursor: not-allowed;
    }
    .toggle.on,
    .toggle.on:hover:not(:disabled) {
      color: var(--mq-danger);
    }
    .leave {
      color: var(--mq-danger);
    }
    .leave:hover {
      background: var(--mq-surface-2);
      color: var(--mq-danger);
    }
    svg path {
      fill: none;
      stroke: currentColor;
      stroke-width: 2;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
  `,
})
export class VoicePanel {
  readonly call = inject(ActiveCall);
  readonly icons = VOICE_ICONS;
  readonly ignore = (): void => undefined;
}
