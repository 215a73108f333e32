import { signal } from '@angular/core';

import type { VoiceStreamKind } from '@mpqcht/protocol';

import type { LocalTrack } from './peer-link';

/** The microphone as the browser gives it, with its processing for speech. */
export const MIC_CONSTRAINTS: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** A camera at a size a mesh of 8 can carry (each member sends it to every other). */
export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 24, max: 30 },
};

export const SCREEN_CONSTRAINTS: DisplayMediaStreamOptions = {
  video: { frameRate: { ideal: 15, max: 30 } },
  audio: false,
};

type MicState = 'off' | 'asking' | 'ready' | 'failed';

/**
 * What this member sends in a call: the microphone, and when turned on the camera and a screen.
 * One stream per kind for the whole call: a link adds each stream's track once, and a new device
 * or a camera turned on again replaces the track (no new negotiation). `onChange` is told whenever
 * a track comes or goes, so the links send the new one; `onEnded` when the browser ended a
 * capture (the member stopped sharing from the browser's own bar, or unplugged the camera).
 */
export class LocalMedia {
  /** Why the microphone could not be used (the call still plays the others). */
  readonly micError = signal<string | null>(null);
  /** The camera and screen as captured, for this member's own tile. */
  readonly camera = signal<MediaStream | null>(null);
  readonly screen = signal<MediaStream | null>(null);

  private mic: MicState = 'off';
  private readonly streams: Record<VoiceStreamKind, MediaStream> = {
    microphone: new MediaStream(),
    camera: new MediaStream(),
    screen: new MediaStream(),
  };
  private readonly tracks: Record<VoiceStreamKind, MediaStreamTrack | null> = {
    microphone: null,
    camera: null,
    screen: null,
  };
  private stopped = false;

  constructor(
    private readonly onChange: () => void,
    private readonly onEnded: (kind: 'camera' | 'screen') => void,
  ) {}

  /** The microphone's state: links wait for it to settle, so they offer it from the start. */
  get micSettled(): boolean {
    return this.mic === 'ready' || this.mic === 'failed';
  }

  get microphone(): MediaStreamTrack | null {
    return this.tracks.microphone;
  }

  /** What each link should send now. */
  localTracks(): LocalTrack[] {
    return (['microphone', 'camera', 'screen'] as const).map((kind) => ({
      kind,
      track: this.tracks[kind],
      stream: this.streams[kind],
    }));
  }

  /** Asks for the microphone once per call (`deviceId` '' is the browser's default). */
  startMicrophone(deviceId: string): void {
    if (this.mic !== 'off') return;
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (typeof RTCPeerConnection === 'undefined' || !devices?.getUserMedia) {
      this.mic = 'failed';
      this.micError.set('This browser cannot make calls.');
      return;
    }
    this.mic = 'asking';
    void this.captureMicrophone(deviceId).then((track) => {
      if (this.stopped) return;
      this.mic = track ? 'ready' : 'failed';
      if (!track) this.micError.set('The microphone is not available: the others cannot hear you.');
      this.onChange();
    });
  }

  /** Another microphone during the call: the links replace the track. */
  async switchMicrophone(deviceId: string): Promise<void> {
    if (this.mic !== 'ready' && this.mic !== 'failed') return;
    const track = await this.captureMicrophone(deviceId);
    if (this.stopped || !track) return;
    this.mic = 'ready';
    this.micError.set(null);
    this.onChange();
  }

  async startCamera(deviceId = ''): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: deviceId ? { ...CAMERA_CONSTRAINTS, deviceId: { exact: deviceId } } : CAMERA_CONSTRAINTS,
    });
    this.take('camera', stream);
  }

  async startScreen(): Promise<void> {
    this.take('screen', await navigator.mediaDevices.getDisplayMedia(SCREEN_CONSTRAINTS));
  }

  /** Stops sending the camera or screen (the links keep their sender, empty). */
  stopVideo(kind: 'camera' | 'screen'): void {
    this.setTrack(kind, null);
    this[kind].set(null);
    this.onChange();
  }

  /** The end of the call: every capture stopped. */
  stop(): void {
    this.stopped = true;
    for (const kind of ['microphone', 'camera', 'screen'] as const) this.setTrack(kind, null);
    this.camera.set(null);
    this.screen.set(null);
    this.micError.set(null);
  }

  private async captureMicrophone(deviceId: string): Promise<MediaStreamTrack | null> {
    const audio = deviceId ? { ...MIC_CONSTRAINTS, deviceId: { exact: deviceId } } : MIC_CONSTRAINTS;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio });
      const track = stream.getAudioTracks()[0] ?? null;
      if (this.stopped) track?.stop();
      else if (track) this.setTrack('microphone', track);
      return track;
    } catch {
      return null;
    }
  }

  private take(kind: 'camera' | 'screen', captured: MediaStream): void {
    const track = captured.getVideoTracks()[0];
    if (this.stopped || !track) {
      for (const t of captured.getTracks()) t.stop();
      return;
    }
    // Text and lines of a screen stay sharp; a camera may lose detail for motion.
    if (kind === 'screen') track.contentHint = 'detail';
    track.addEventListener('ended', () => {
      if (this.tracks[kind] !== track) return;
      this.stopVideo(kind);
      this.onEnded(kind);
    });
    this.setTrack(kind, track);
    this[kind].set(new MediaStream([track]));
    this.onChange();
  }

  /** Puts `track` in the kind's stream, stopping the one it replaces. */
  private setTrack(kind: VoiceStreamKind, track: MediaStreamTrack | null): void {
    const previous = this.tracks[kind];
    if (previous === track) return;
    if (previous) {
      this.streams[kind].removeTrack(previous);
      previous.stop();
    }
    this.tracks[kind] = track;
    if (track) this.streams[kind].addTrack(track);
  }
}
