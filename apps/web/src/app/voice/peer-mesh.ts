import {
  ApplicationRef,
  computed,
  DestroyRef,
  effect,
  inject,
  Injectable,
  signal,
  untracked,
} from '@angular/core';

import type { VoiceParticipantDto, VoiceSignalDto, VoiceStreamKind } from '@mpqcht/protocol';

import { describeFailure } from '../connection/request-failed';
import { ServerSession } from '../connection/server-session';
import { ActiveCall } from './active-call';
import { LocalMedia } from './local-media';
import { PeerLink, type PeerSignal } from './peer-link';
import { type PeerStats, readPeerStats, worstQuality } from './peer-stats';
import { PushToTalk } from './push-to-talk';
import { SpeakingDetector } from './speaking-detector';
import { type VoiceMedia, type VoiceSelf, VoiceState } from './voice.state';
import { VoicePreferences, type VoicePreferencesValue } from './voice-preferences';

/** The video a participant sends, as it arrives here. */
export interface RemoteVideo {
  readonly camera: MediaStream | null;
  readonly screen: MediaStream | null;
}

interface Peer {
  readonly link: PeerLink;
  readonly publicKey: string;
  audio: HTMLAudioElement | null;
  video: RemoteVideo;
}

/** How often the connection quality is read while in a call. */
const QUALITY_INTERVAL_MS = 2000;

/** Set by the end-to-end tests (before the app loads) to read the calls' numbers. */
const TEST_FLAG = '__mpqchtVoiceTest';
const TEST_HOOK = '__mpqchtVoiceStats';
const testMeshes = new Set<PeerMesh>();

/** Signals kept per participant this side has no link to yet. */
const MAX_PENDING_SIGNALS = 64;

/**
 * The media of this server's call (docs/web-client.md, Voice): while this connection is in a call
 * it captures the microphone (and, when turned on, the camera and a screen: `LocalMedia`) and keeps
 * one `PeerLink` (an `RTCPeerConnection`) to every other participant, with the ICE servers and
 * bitrate of `voice.join`. Signals travel as `voice.signal`, routed to the link by `from`. Remote
 * audio plays in a hidden `<audio>` per peer at the member's volume, muted while deafened or while
 * that participant is server-muted; remote video is `videos()`, for the call grid. The microphone
 * track is disabled while muted (by self or by a moderator) and, with push-to-talk, while the key
 * is up. Speaking is detected on the microphone and sent as `voice.update { speaking }`.
 */
@Injectable()
export class PeerMesh {
  private readonly session = inject(ServerSession);
  private readonly voice = inject(VoiceState);
  // Root services; a connection made outside an app (unit tests) has none, and no media either.
  private readonly preferences = inject(VoicePreferences, { optional: true }) ?? new VoicePreferences();
  private readonly pushToTalk = inject(PushToTalk, { optional: true });
  private readonly activeCall = inject(ActiveCall, { optional: true });

  private readonly localMedia = signal<LocalMedia | null>(null);
  /** Why the microphone could not be used (the call still plays the others). */
  readonly micError = computed(() => this.localMedia()?.micError() ?? null);
  /** This member's camera and screen as captured, for its own tile. */
  readonly ownVideo = computed<RemoteVideo>(() => ({
    camera: this.localMedia()?.camera() ?? null,
    screen: this.localMedia()?.screen() ?? null,
  }));
  /** The video each other participant sends, by participant id. */
  readonly videos = signal<ReadonlyMap<string, RemoteVideo>>(new Map());
  /** The worst link's quality label, read every two seconds; null when alone or out of a call. */
  readonly quality = signal<PeerStats['quality'] | null>(null);
  /** Why turning the camera or a screen share on failed. */
  readonly videoError = signal<string | null>(null);

  private readonly peers = new Map<string, Peer>();
  /** Signals from participants this side has no link to yet (its microphone is still asked). */
  private readonly pending = new Map<string, VoiceSignalDto[]>();
  private detector: SpeakingDetector | null = null;
  /** The call (channel and own participant) the links belong to. */
  private call: string | null = null;
  private container: HTMLElement | null = null;
  private qualityTimer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    this.session.on('voice.signal', (signal) => this.onSignal(signal));
    // A connection made outside an app (unit tests) has no scheduler for effects, and jsdom no
    // WebRTC: its mesh stays idle.
    if (!inject(ApplicationRef, { optional: true })) return;
    effect(() => {
      const self = this.voice.self();
      const media = this.voice.media();
      const room = self ? this.voice.room(self.channelId) : [];
      const preferences = this.preferences.value();
      const talking = this.pushToTalk?.open() ?? true;
      untracked(() => this.sync(self, media, room, preferences, talking));
    });
    inject(DestroyRef).onDestroy(() => {
      this.stop();
      testMeshes.delete(this);
    });
    exposeForTests(this);
  }

  /** Numbers of each link (`getStats()`): bytes received and sent, losses, a quality label. */
  async stats(): Promise<PeerStats[]> {
    return Promise.all(
      [...this.peers].map(([participantId, peer]) => readPeerStats(participantId, peer.link.pc)),
    );
  }

  /** Turns the camera on (asks the browser) or off; the others see `camera` change. */
  async setCamera(on: boolean): Promise<void> {
    await this.setVideo('camera', on);
  }

  /** Shares a screen (the browser asks which) or stops sharing. */
  async setScreen(on: boolean): Promise<void> {
    await this.setVideo('screen', on);
  }

  /** Another microphone, at once in a call; the choice is kept for the next calls. */
  async setInputDevice(deviceId: string): Promise<void> {
    this.preferences.update({ inputDeviceId: deviceId });
    await this.localMedia()?.switchMicrophone(deviceId);
    const microphone = this.localMedia()?.microphone;
    if (microphone) this.restartDetector(microphone);
  }

  private async setVideo(kind: 'camera' | 'screen', on: boolean): Promise<void> {
    const local = this.localMedia();
    if (!local) return;
    this.videoError.set(null);
    if (!on) {
      local.stopVideo(kind);
      await this.voice.setVideo(kind, false).catch(() => undefined);
      return;
    }
    try {
      if (kind === 'camera') await local.startCamera();
      else await local.startScreen();
    } catch {
      this.videoError.set(
        kind === 'camera' ? 'The camera is not available.' : 'The screen share was cancelled or refused.',
      );
      return;
    }
    try {
      await this.voice.setVideo(kind, true);
    } catch (error) {
      // Refused (no `video` or `screen_share` here): nothing is sent.
      local.stopVideo(kind);
      this.videoError.set(describeFailure(error));
    }
  }

  private sync(
    self: VoiceSelf | null,
    media: VoiceMedia | null,
    room: readonly VoiceParticipantDto[],
    preferences: VoicePreferencesValue,
    talking: boolean,
  ): void {
    const call = self && media ? `${self.channelId} ${self.participant.participantId}` : null;
    if (call !== this.call) this.stop();
    if (!self || !media || !call) return;
    if (!this.call) this.start(call, preferences.inputDeviceId);
    const local = this.localMedia();
    if (!local?.micSettled) return;

    const me = self.participant;
    const sending = !me.muted && !me.serverMuted && talking;
    const microphone = local.microphone;
    if (microphone) microphone.enabled = sending;
    if (this.detector) this.detector.muted = !sending;

    const others = new Map(
      room.filter((p) => p.participantId !== me.participantId).map((p) => [p.participantId, p]),
    );
    for (const [id, peer] of this.peers) if (!others.has(id)) this.drop(id, peer);
    for (const id of this.pending.keys()) if (!others.has(id)) this.pending.delete(id);
    const tracks = local.localTracks();
    for (const [id, other] of others) {
      const peer = this.peers.get(id) ?? this.connect(me.participantId, other, media, preferences);
      for (const track of tracks) peer.link.setTrack(track, media.bitrate);
      if (peer.audio) this.tune(peer.audio, other, me.deafened, preferences);
    }
    this.publishVideos();
  }

  private start(call: string, inputDeviceId: string): void {
    this.call = call;
    const local = new LocalMedia(
      () => {
        const microphone = local.microphone;
        if (microphone && !this.detector) this.restartDetector(microphone);
        this.resync();
      },
      (kind) => void this.voice.setVideo(kind, false).catch(() => undefined),
    );
    this.localMedia.set(local);
    local.startMicrophone(inputDeviceId);
    this.activeCall?.attachMedia(this);
    this.qualityTimer = setInterval(() => void this.readQuality(), QUALITY_INTERVAL_MS);
  }

  /** Volume, output device, deafen and server mute on one participant's audio. */
  private tune(
    audio: HTMLAudioElement,
    other: VoiceParticipantDto,
    deafened: boolean,
    preferences: VoicePreferencesValue,
  ): void {
    audio.muted = deafened || other.serverMuted;
    audio.volume = this.preferences.volumeOf(other.publicKey);
    // Not every browser can choose the speakers (Firefox asks first, older Safari cannot).
    if ('setSinkId' in audio && audio.sinkId !== preferences.outputDeviceId) {
      audio.setSinkId(preferences.outputDeviceId).catch(() => undefined);
    }
  }

  private restartDetector(microphone: MediaStreamTrack): void {
    this.detector?.stop();
    this.detector = null;
    if (typeof AudioContext === 'undefined') return;
    try {
      this.detector = new SpeakingDetector(
        new MediaStream([microphone]),
        (speaking) => void this.voice.setSpeaking(speaking),
      );
    } catch {
      // Without WebAudio nobody sees this member speak; the call still works.
    }
  }

  private resync(): void {
    const self = this.voice.self();
    this.sync(
      self,
      this.voice.media(),
      self ? this.voice.room(self.channelId) : [],
      this.preferences.value(),
      this.pushToTalk?.open() ?? true,
    );
  }

  private connect(
    ownId: string,
    other: VoiceParticipantDto,
    media: VoiceMedia,
    preferences: VoicePreferencesValue,
  ): Peer {
    const remoteId = other.participantId;
    const configuration: RTCConfiguration = {
      iceServers: media.ice.iceServers.map((s) => ({ ...s })),
      iceTransportPolicy: preferences.relayOnly ? 'relay' : 'all',
    };
    const peer: Peer = {
      link: null as unknown as PeerLink,
      publicKey: other.publicKey,
      audio: null,
      video: { camera: null, screen: null },
    };
    const link = new PeerLink(() => new RTCPeerConnection(configuration), {
      polite: ownId < remoteId,
      send: (signal) => this.send(remoteId, signal),
      onRemoteStream: (kind, stream) => this.onRemoteStream(remoteId, peer, kind, stream),
    });
    (peer as { link: PeerLink }).link = link;
    this.peers.set(remoteId, peer);
    const callChannel = this.voice.self()?.channelId;
    for (const signal of this.pending.get(remoteId) ?? []) {
      if (signal.channelId === callChannel) void link.receive(signal);
    }
    this.pending.delete(remoteId);
    return peer;
  }

  private onRemoteStream(remoteId: string, peer: Peer, kind: VoiceStreamKind, stream: MediaStream): void {
    if (kind === 'microphone') {
      peer.audio ??= this.audioElement(remoteId);
      peer.audio.srcObject = stream;
    } else {
      peer.video = { ...peer.video, [kind]: stream };
    }
    this.resync();
  }

  private publishVideos(): void {
    const current = this.videos();
    let changed = current.size !== this.peers.size;
    const next = new Map<string, RemoteVideo>();
    for (const [id, peer] of this.peers) {
      next.set(id, peer.video);
      if (current.get(id) !== peer.video) changed = true;
    }
    if (changed) this.videos.set(next);
  }

  private send(to: string, signal: PeerSignal): void {
    this.session.request('voice.signal', { to, ...signal }).catch(() => {
      // The participant left meanwhile: its voice.room drops the link.
    });
  }

  private onSignal(signal: VoiceSignalDto): void {
    const self = this.voice.self();
    if (self && signal.channelId !== self.channelId) return;
    const peer = this.peers.get(signal.from);
    if (peer) {
      void peer.link.receive(signal);
      return;
    }
    // Kept even before this side's own join is settled: an offer that overtakes it would
    // otherwise be lost. `connect` hands over only the ones for the call it links.
    const queue = this.pending.get(signal.from) ?? [];
    // An offer and its candidates; more than this from one sender is not a negotiation.
    if (queue.length >= MAX_PENDING_SIGNALS) queue.shift();
    queue.push(signal);
    this.pending.set(signal.from, queue);
  }

  private async readQuality(): Promise<void> {
    const stats = await this.stats().catch(() => []);
    if (this.call) this.quality.set(stats.length ? worstQuality(stats.map((s) => s.quality)) : null);
  }

  private audioElement(participantId: string): HTMLAudioElement {
    if (!this.container) {
      this.container = document.createElement('div');
      this.container.hidden = true;
      this.container.dataset['voiceAudio'] = this.session.url;
      document.body.appendChild(this.container);
    }
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.dataset['participant'] = participantId;
    this.container.appendChild(audio);
    return audio;
  }

  private drop(participantId: string, peer: Peer): void {
    peer.link.close();
    if (peer.audio) {
      peer.audio.srcObject = null;
      peer.audio.remove();
    }
    this.peers.delete(participantId);
  }

  /** Out of the call: every link closed, every capture stopped. */
  private stop(): void {
    for (const [id, peer] of this.peers) this.drop(id, peer);
    this.pending.clear();
    this.detector?.stop();
    this.detector = null;
    this.localMedia()?.stop();
    this.localMedia.set(null);
    this.videos.set(new Map());
    this.quality.set(null);
    this.videoError.set(null);
    if (this.qualityTimer) clearInterval(this.qualityTimer);
    this.qualityTimer = null;
    this.container?.remove();
    this.container = null;
    if (this.call) this.activeCall?.detachMedia(this);
    this.call = null;
  }
}

/** `window.__mpqchtVoiceStats()` for the end-to-end tests, only when they set the flag. */
function exposeForTests(mesh: PeerMesh): void {
  const page = globalThis as unknown as Record<string, unknown>;
  if (page[TEST_FLAG] !== true) return;
  testMeshes.add(mesh);
  page[TEST_HOOK] = async () => (await Promise.all([...testMeshes].map((m) => m.stats()))).flat();
}
