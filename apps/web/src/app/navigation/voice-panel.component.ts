import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';

import { injectDialogs } from '../shared/dialogs';
import { ActiveCall } from '../voice/active-call';
import { PushToTalk } from '../voice/push-to-talk';
import { VoicePreferences } from '../voice/voice-preferences';
import { VoiceSettings } from '../voice/voice-settings.component';
import { VOICE_ICONS } from './voice-icons';

/**
 * "Voice connected": the page's call (on whichever server it is) and its connection quality, with
 * Leave, voice settings, Mute, Deafen, camera and screen share. Shown at the bottom of the channel
 * sidebar while in a call, whatever is on screen.
 */
@Component({
  selector: 'mq-voice-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (call.holder(); as voice) {
      @if (voice.self(); as self) {
        @let mesh = call.media();
        @let rights = voice.rights();
        <section class="panel" aria-label="Voice connected" data-test="voice-panel">
          <div class="top">
            <div class="where">
              <strong class="status">Voice connected</strong>
              <span class="place" data-test="voice-place">
                {{ voice.place()?.channel }} / {{ voice.place()?.server }}
              </span>
            </div>
            @let quality = mesh?.quality() ?? 'none';
            @if (quality !== 'none') {
              <svg
                class="signal"
                viewBox="0 0 24 24"
                width="18"
                height="18"
                role="img"
                [attr.data-quality]="quality"
                [attr.aria-label]="'Connection: ' + quality"
                data-test="voice-quality"
              >
                <title>Connection: {{ quality }}</title>
                <rect x="3" y="15" width="4" height="6" rx="1" class="lit" />
                <rect x="10" y="10" width="4" height="11" rx="1" [class.lit]="quality !== 'poor'" />
                <rect x="17" y="5" width="4" height="16" rx="1" [class.lit]="quality === 'good'" />
              </svg>
            }
            <button
              type="button"
              aria-label="Voice settings"
              title="Voice settings"
              (click)="openSettings()"
              data-test="voice-settings-open"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="icons.sliders" />
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
              class="toggle"
              [class.active]="self.participant.camera"
              [attr.aria-pressed]="self.participant.camera"
              [disabled]="!mesh || !rights?.video"
              aria-label="Camera"
              [title]="
                !rights?.video
                  ? 'You may not use a camera here'
                  : self.participant.camera
                    ? 'Turn the camera off'
                    : 'Turn the camera on'
              "
              (click)="mesh?.setCamera(!self.participant.camera)"
              data-test="voice-camera"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="self.participant.camera ? icons.camera : icons.cameraOff" />
              </svg>
            </button>
            <button
              type="button"
              class="toggle"
              [class.active]="self.participant.screen"
              [attr.aria-pressed]="self.participant.screen"
              [disabled]="!mesh || !rights?.screen_share"
              aria-label="Share your screen"
              [title]="
                !rights?.screen_share
                  ? 'You may not share your screen here'
                  : self.participant.screen
                    ? 'Stop sharing'
                    : 'Share your screen'
              "
              (click)="mesh?.setScreen(!self.participant.screen)"
              data-test="voice-screen"
            >
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path [attr.d]="icons.screen" />
              </svg>
            </button>
            @if (pushToTalk()) {
              <span class="ptt" [class.open]="talking()" data-test="voice-ptt-state">{{
                talking() ? 'Talking' : 'Push to talk'
              }}</span>
            }
          </div>
          @if (mesh?.micError() ?? mesh?.videoError(); as problem) {
            <p class="problem" role="status" data-test="voice-problem">{{ problem }}</p>
          }
        </section>
      }
    }
  `,
  styles: `
    .panel {
      display: grid;
      gap: 4px;
      padding: 8px 8px 8px 12px;
      border-top: 1px solid var(--mq-border);
      background: var(--mq-background);
    }
    .top {
      display: flex;
      align-items: center;
      gap: 2px;
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
      align-items: center;
      gap: 2px;
    }
    .signal {
      flex: none;
      margin-right: 2px;
    }
    .signal rect {
      fill: var(--mq-surface-2);
    }
    .signal rect.lit {
      fill: #23a55a;
    }
    .signal[data-quality='fair'] rect.lit {
      fill: #f0b232;
    }
    .signal[data-quality='poor'] rect.lit {
      fill: var(--mq-danger);
    }
    .toggle.active {
      color: var(--mq-link);
    }
    .ptt {
      margin-left: auto;
      padding: 2px 6px;
      border-radius: var(--mq-radius);
      color: var(--mq-text-muted);
      font-size: 12px;
    }
    .ptt.open {
      color: var(--mq-text);
      background: var(--mq-surface-2);
    }
    .problem {
      margin: 0;
      color: var(--mq-danger);
      font-size: 12px;
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
    button svg path {
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
  private readonly dialogs = injectDialogs();
  private readonly preferences = inject(VoicePreferences);
  private readonly ptt = inject(PushToTalk);
  readonly pushToTalk = computed(() => this.preferences.value().pushToTalk);
  readonly talking = computed(() => this.ptt.held());

  openSettings(): void {
    this.dialogs.open(VoiceSettings, { label: 'Voice settings', inputs: { mesh: this.call.media() } });
  }
}
