import { ApplicationRef, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';

import type { VoiceParticipantDto, VoiceSignalDto } from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';
import { PeerLink, type PeerSignal } from './peer-link';
import { type PeerStats, readPeerStats } from './peer-stats';
import { SpeakingDetector } from './speaking-detector';
import { type VoiceMedia, type VoiceSelf, VoiceState } from './voice.state';

/** The microphone as the browser gives it, with its processing for speech. */
export const MIC_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
};

interface Peer {
  readonly link: PeerLink;
  audio: HTMLAudioElement | null;
}

type MicState =
  | { readonly kind: 'off' }
  | { readonly kind: 'asking' }
  | { readonly kind: 'ready'; readonly stream: MediaStream; readonly track: MediaStreamTrack }
  | { readonly kind: 'failed' };

/** Set by the end-to-end tests (before the app loads) to read the calls' numbers. */
const TEST_FLAG = '__mpqchtVoiceTest';
const TEST_HOOK = '__mpqchtVoiceStats';
const testMeshes = new Set<PeerMesh>();

/**
 * The audio of this server's call (docs/web-client.md, Voice): while this connection is in a call
 * it captures the microphone once and keeps one `PeerLink` (an `RTCPeerConnection`) to every
 * other participant, with the ICE servers and bitrate of `voice.join`. Signals travel as
 * `voice.signal`, routed to the link by `from`. Remote audio plays in a hidden `<audio>` per peer,
 * muted while deafened or while that participant is server-muted; the microphone track is
 * disabled while muted (by self or by a moderator). Speaking is detected on the microphone and
 * sent as `voice.update { speaking }`.
 */
@Injectable()
export class PeerMesh {
  private readonly session = inject(ServerSession);
  private readonly voice = inject(VoiceState);

  /** Why the microphone could not be used (the call still plays the others). */
  readonly micError = signal<string | null>(null);

  private readonly peers = new Map<string, Peer>();
  /** Signals from participants this side has no link to yet (its microphone is still asked). */
  private readonly pending = new Map<string, VoiceSignalDto[]>();
  private mic: MicState = { kind: 'off' };
  private detector: SpeakingDetector | null = null;
  /** The call (channel and own participant) the links belong to. */
  private call: string | null = null;
  private container: HTMLElement | null = null;

  constructor() {
    this.session.on('voice.signal', (signal) => this.onSignal(signal));
    // A connection made outside an app (unit tests) has no scheduler for effects, and jsdom no
    // WebRTC: its mesh stays idle.
    if (!inject(ApplicationRef, { optional: true })) return;
    effect(() => {
      const self = this.voice.self();
      const media = this.voice.media();
      const room = self ? this.voice.room(self.channelId) : [];
      untracked(() => this.sync(self, media, room));
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

  private sync(self: VoiceSelf | null, media: VoiceMedia | null, room: readonly VoiceParticipantDto[]): void {
    const call = self && media ? `${self.channelId} ${self.participant.participantId}` : null;
    if (call !== this.call) this.stop();
    if (!self || !media || !call) return;
    this.call = call;
    if (!this.startMic()) return;

    const me = self.participant;
    if (this.mic.kind === 'ready') this.mic.track.enabled = !me.muted && !me.serverMuted;
    if (this.detector) this.detector.muted = me.muted || me.serverMuted;

    const others = new Map(
      room.filter((p) => p.participantId !== me.participantId).map((p) => [p.participantId, p]),
    );
    for (const [id, peer] of this.peers) if (!others.has(id)) this.drop(id, peer);
    for (const id of this.pending.keys()) if (!others.has(id)) this.pending.delete(id);
    for (const [id, other] of others) {
      const peer = this.peers.get(id) ?? this.connect(me.participantId, id, media);
      if (peer.audio) peer.audio.muted = me.deafened || other.serverMuted;
    }
  }

  /** Asks for the microphone once per call; true once it is settled (given or refused). */
  private startMic(): boolean {
    if (this.mic.kind === 'ready' || this.mic.kind === 'failed') return true;
    if (this.mic.kind === 'asking') return false;
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (typeof RTCPeerConnection === 'undefined' || !devices?.getUserMedia) {
      this.mic = { kind: 'failed' };
      this.micError.set('This browser cannot make calls.');
      return false;
    }
    this.mic = { kind: 'asking' };
    const call = this.call;
    devices.getUserMedia(MIC_CONSTRAINTS).then(
      (stream) => {
        if (this.call !== call) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        const track = stream.getAudioTracks()[0];
        this.mic = track ? { kind: 'ready', stream, track } : { kind: 'failed' };
        if (track) this.startDetector(stream);
        this.resync();
      },
      () => {
        if (this.call !== call) return;
        this.mic = { kind: 'failed' };
        this.micError.set('The microphone is not available: the others cannot hear you.');
        this.resync();
      },
    );
    return false;
  }

  private startDetector(stream: MediaStream): void {
    if (typeof AudioContext === 'undefined') return;
    try {
      this.detector = new SpeakingDetector(stream, (speaking) => void this.voice.setSpeaking(speaking));
    } catch {
      // Without WebAudio nobody sees this member speak; the call still works.
    }
  }

  private resync(): void {
    const self = this.voice.self();
    this.sync(self, this.voice.media(), self ? this.voice.room(self.channelId) : []);
  }

  private connect(ownId: string, remoteId: string, media: VoiceMedia): Peer {
    const pc = new RTCPeerConnection({ iceServers: media.ice.iceServers.map((s) => ({ ...s })) });
    const peer: Peer = { link: null as unknown as PeerLink, audio: null };
    const link = new PeerLink(pc, {
      polite: ownId < remoteId,
      send: (signal) => this.send(remoteId, signal),
      onRemoteStream: (stream) => {
        peer.audio ??= this.audioElement(remoteId);
        peer.audio.srcObject = stream;
        this.resync();
      },
    });
    (peer as { link: PeerLink }).link = link;
    this.peers.set(remoteId, peer);
    if (this.mic.kind === 'ready') link.sendTrack(this.mic.track, this.mic.stream, media.bitrate);
    for (const signal of this.pending.get(remoteId) ?? []) void link.receive(signal);
    this.pending.delete(remoteId);
    return peer;
  }

  private send(to: string, signal: PeerSignal): void {
    this.session.request('voice.signal', { to, ...signal }).catch(() => {
      // The participant left meanwhile: its voice.room drops the link.
    });
  }

  private onSignal(signal: VoiceSignalDto): void {
    const self = this.voice.self();
    if (!self || signal.channelId !== self.channelId) return;
    const peer = this.peers.get(signal.from);
    if (peer) {
      void peer.link.receive(signal);
      return;
    }
    const queue = this.pending.get(signal.from) ?? [];
    queue.push(signal);
    this.pending.set(signal.from, queue);
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

  /** Out of the call: every link closed, the microphone stopped. */
  private stop(): void {
    for (const [id, peer] of this.peers) this.drop(id, peer);
    this.pending.clear();
    this.detector?.stop();
    this.detector = null;
    if (this.mic.kind === 'ready') for (const track of this.mic.stream.getTracks()) track.stop();
    this.mic = { kind: 'off' };
    this.micError.set(null);
    this.container?.remove();
    this.container = null;
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
