import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';

import type { PeerMesh } from './peer-mesh';
import { VoicePreferences } from './voice-preferences';

interface DeviceOption {
  readonly id: string;
  readonly label: string;
}

/** A key as people name it: `KeyV` → V, `Backquote` → Backquote, `ControlRight` → Control Right. */
export function keyLabel(code: string): string {
  if (/^Key[A-Z]$/.test(code)) return code.slice(3);
  if (/^Digit\d$/.test(code)) return code.slice(5);
  return code.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/**
 * Voice settings (the gear of the voice panel): input and output device, push-to-talk and its
 * key, and relay-only calls. Applies at once, to the call in progress too, and is kept for the
 * next calls on every server (`VoicePreferences`).
 */
@Component({
  selector: 'mq-voice-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog narrow" data-test="voice-settings">
      <header>
        <h2>Voice settings</h2>
        <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
      </header>
      @let prefs = preferences.value();
      <label class="field">
        <span>Microphone</span>
        <select
          data-test="voice-input"
          [value]="prefs.inputDeviceId"
          (change)="setInput($any($event.target).value)"
        >
          <option value="">Default</option>
          @for (device of inputs(); track device.id) {
            <option [value]="device.id" [selected]="device.id === prefs.inputDeviceId">
              {{ device.label }}
            </option>
          }
        </select>
      </label>
      <label class="field">
        <span>Speakers</span>
        <select
          data-test="voice-output"
          [disabled]="!canChooseOutput"
          [value]="prefs.outputDeviceId"
          (change)="preferences.update({ outputDeviceId: $any($event.target).value })"
        >
          <option value="">Default</option>
          @for (device of outputs(); track device.id) {
            <option [value]="device.id" [selected]="device.id === prefs.outputDeviceId">
              {{ device.label }}
            </option>
          }
        </select>
      </label>
      @if (!canChooseOutput) {
        <p class="hint">This browser plays calls on its default speakers.</p>
      }
      <label class="check">
        <input
          type="checkbox"
          data-test="voice-ptt"
          [checked]="prefs.pushToTalk"
          (change)="preferences.update({ pushToTalk: $any($event.target).checked })"
        />
        Push to talk: the others hear you only while you hold a key
      </label>
      @if (prefs.pushToTalk) {
        <div class="key">
          <span>Key</span>
          <button
            type="button"
            data-test="voice-ptt-key"
            [attr.aria-pressed]="recording()"
            (click)="recording.set(true)"
            (keydown)="recordKey($event)"
            (blur)="recording.set(false)"
          >
            {{ recording() ? 'Press a key…' : keyLabel(prefs.pushToTalkKey) }}
          </button>
        </div>
        <p class="hint">The key works while this page has the focus.</p>
      }
      <label class="check">
        <input
          type="checkbox"
          data-test="voice-relay"
          [checked]="prefs.relayOnly"
          (change)="preferences.update({ relayOnly: $any($event.target).checked })"
        />
        Always relay calls through the server
      </label>
      <p class="hint">
        The others never see your IP address; calls need the server's TURN relay. Takes effect at the next
        join.
      </p>
    </section>
  `,
  styleUrl: '../shared/dialog.css',
  styles: `
    select,
    .key button {
      padding: 6px 8px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      background: var(--mq-background);
      color: var(--mq-text);
      font: inherit;
    }
    .check {
      display: flex;
      gap: 8px;
      align-items: center;
    }
    .key {
      display: flex;
      gap: 8px;
      align-items: center;
      margin-left: 24px;
    }
    .key button {
      min-width: 120px;
      cursor: pointer;
    }
    .hint {
      margin: -6px 0 0 24px;
      color: var(--mq-text-muted);
      font-size: 12px;
    }
  `,
})
export class VoiceSettings {
  /** The call's media, to switch its microphone at once; null when not in a call. */
  readonly mesh = input<PeerMesh | null>(null);
  readonly closed = output();
  readonly preferences = inject(VoicePreferences);
  readonly inputs = signal<readonly DeviceOption[]>([]);
  readonly outputs = signal<readonly DeviceOption[]>([]);
  readonly recording = signal(false);
  readonly keyLabel = keyLabel;
  readonly canChooseOutput =
    typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

  constructor() {
    void this.listDevices();
  }

  setInput(deviceId: string): void {
    const mesh = this.mesh();
    if (mesh) void mesh.setInputDevice(deviceId);
    else this.preferences.update({ inputDeviceId: deviceId });
  }

  recordKey(event: KeyboardEvent): void {
    if (!this.recording()) return;
    event.preventDefault();
    event.stopPropagation();
    // Escape cancels; Tab leaves the button.
    if (event.code !== 'Escape' && event.code !== 'Tab')
      this.preferences.update({ pushToTalkKey: event.code });
    this.recording.set(false);
  }

  /** Labels are there once the page may use the microphone (in or after a call). */
  private async listDevices(): Promise<void> {
    let devices: MediaDeviceInfo[] = [];
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      // No mediaDevices on a page that is not a secure context: only the defaults are offered.
    }
    const options = (kind: MediaDeviceKind) =>
      devices
        .filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')
        .map((d, i) => ({
          id: d.deviceId,
          label: d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speakers'} ${i + 1}`,
        }));
    this.inputs.set(options('audioinput'));
    this.outputs.set(options('audiooutput'));
  }
}
