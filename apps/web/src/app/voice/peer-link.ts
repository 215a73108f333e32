import type { VoiceStreamKind } from '@mpqcht/protocol';

/** One WebRTC message to or from a participant (docs/protocol.md, Voice: `voice.signal`). */
export interface PeerSignal {
  readonly description?: { readonly type: RTCSdpType; readonly sdp: string };
  /** `null` ends the candidates. */
  readonly candidate?: PeerCandidate | null;
  /** With a description: what each of the sender's stream ids carries. */
  readonly streams?: Readonly<Record<string, VoiceStreamKind>>;
}

export interface PeerCandidate {
  readonly candidate: string;
  readonly sdpMid?: string | null;
  readonly sdpMLineIndex?: number | null;
  readonly usernameFragment?: string | null;
}

export interface PeerLinkOptions {
  /** The polite peer rolls back its own offer on a collision: the lower `participantId`. */
  readonly polite: boolean;
  /** Sends a signal to the remote participant (`voice.signal`). */
  readonly send: (signal: PeerSignal) => void;
  /** A stream of the remote participant arrived (its microphone, camera or screen). */
  readonly onRemoteStream: (kind: VoiceStreamKind, stream: MediaStream) => void;
}

/**
 * How long a link may stay `new` (no ICE under way) before this side negotiates again. A signal
 * can be lost (a connection dropped while it was relayed); without this the link would wait for
 * ever, since only a `failed` connection restarts ICE.
 */
export const STALL_MS = 6000;
/**
 * Stalls in a row after which the connection itself is replaced by a fresh one: its state may be
 * one no new negotiation gets out of (a description of the other side's earlier connection was
 * applied, or refused half way). The other side, handed an offer of a fresh connection it cannot
 * apply to its own, replaces its own too (`handle`).
 */
export const STALLS_BEFORE_REBUILD = 2;

/**
 * This side's media, one stream per kind: each is added to the connection once, with its stream
 * (whose id the other side learns with the description), and later changes of device or a camera
 * turned off and on again replace the track without a new negotiation.
 */
export interface LocalTrack {
  readonly kind: VoiceStreamKind;
  readonly track: MediaStreamTrack | null;
  readonly stream: MediaStream;
}

/**
 * One `RTCPeerConnection` to one other participant of the call, negotiated with the WebRTC
 * spec's "perfect negotiation" pattern: either side may offer at any time; on a collision the
 * impolite side ignores the incoming offer and the polite side rolls back its own (implicitly, in
 * setRemoteDescription). A failed connection restarts ICE. The microphone track is sent at the
 * call's Opus bitrate. Each description says which stream is the microphone, the camera and the
 * screen, so `ontrack` on the other side knows what it got.
 */
export class PeerLink {
  private makingOffer = false;
  private ignoreOffer = false;
  private closed = false;
  /** Incoming signals are handled one after another, in the order they arrived. */
  private incoming: Promise<void> = Promise.resolve();
  private readonly senders = new Map<VoiceStreamKind, { sender: RTCRtpSender; local: LocalTrack }>();
  /** The remote side's stream ids, from its last description. */
  private remoteStreams: Readonly<Record<string, VoiceStreamKind>> = {};
  private bitrate = 0;
  private stalls = 0;
  private readonly stallTimer: ReturnType<typeof setInterval>;
  private connection: RTCPeerConnection;

  /** `createConnection` makes the `RTCPeerConnection`: once now, again if the link is rebuilt. */
  constructor(
    private readonly createConnection: () => RTCPeerConnection,
    private readonly options: PeerLinkOptions,
  ) {
    this.connection = createConnection();
    this.attach(this.connection);
    this.stallTimer = setInterval(() => this.unstall(), STALL_MS);
  }

  /** The current connection (a rebuilt link has a new one). */
  get pc(): RTCPeerConnection {
    return this.connection;
  }

  private attach(pc: RTCPeerConnection): void {
    const options = this.options;
    pc.onnegotiationneeded = () => void this.offer();
    pc.onicecandidate = ({ candidate }) =>
      options.send({ candidate: candidate ? candidateOf(candidate) : null });
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      const kind = this.remoteStreams[stream.id] ?? (track.kind === 'audio' ? 'microphone' : 'camera');
      options.onRemoteStream(kind, stream);
    };
    pc.onconnectionstatechange = () => this.restartIfFailed();
    pc.oniceconnectionstatechange = () => this.restartIfFailed();
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable') void this.applyBitrate();
    };
  }

  private detach(pc: RTCPeerConnection): void {
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.onconnectionstatechange = null;
    pc.oniceconnectionstatechange = null;
    pc.onsignalingstatechange = null;
    pc.close();
  }

  /**
   * A fresh connection in place of the current one, sending the same tracks: adding them makes it
   * negotiate from scratch (a `negotiationneeded`, then an offer).
   */
  private rebuild(): void {
    this.detach(this.connection);
    this.makingOffer = false;
    this.ignoreOffer = false;
    this.stalls = 0;
    this.connection = this.createConnection();
    this.attach(this.connection);
    const locals = [...this.senders.values()].map((entry) => entry.local);
    this.senders.clear();
    for (const local of locals) this.setTrack(local, this.bitrate);
  }

  /**
   * Sends `local.track` as its kind: added the first time (a negotiation follows), replaced after
   * that; `null` stops sending it (the sender stays, so turning it on again needs no negotiation).
   * `bitrate` caps the microphone's encoding (bits/s).
   */
  setTrack(local: LocalTrack, bitrate: number): void {
    if (this.closed) return;
    const current = this.senders.get(local.kind);
    if (current) {
      current.local = local;
      if (current.sender.track !== local.track)
        void current.sender.replaceTrack(local.track).catch(() => undefined);
      return;
    }
    if (!local.track) return;
    if (local.kind === 'microphone') this.bitrate = bitrate;
    const sender = this.connection.addTrack(local.track, local.stream);
    this.senders.set(local.kind, { sender, local });
  }

  /** Handles a signal from the remote participant (queued behind the previous ones). */
  receive(signal: PeerSignal): Promise<void> {
    this.incoming = this.incoming.then(() => this.handle(signal)).catch(() => undefined);
    return this.incoming;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.stallTimer);
    this.detach(this.connection);
  }

  private async offer(): Promise<void> {
    if (this.closed) return;
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch {
      // A collision or a closed connection: the next negotiationneeded tries again.
    } finally {
      this.makingOffer = false;
    }
  }

  private async handle({ description, candidate, streams }: PeerSignal): Promise<void> {
    if (this.closed) return;
    if (description) {
      const collision =
        description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = !this.options.polite && collision;
      if (this.ignoreOffer) return;
      // Before setRemoteDescription: its ontrack events look the stream ids up.
      if (streams) this.remoteStreams = streams;
      try {
        await this.connection.setRemoteDescription(description);
      } catch (error) {
        // An offer this connection cannot take comes from a fresh connection of the other side
        // (it rebuilt its own): this side starts afresh too. A stale answer is left to the watchdog.
        if (description.type !== 'offer') throw error;
        this.rebuild();
        await this.connection.setRemoteDescription(description);
      }
      if (description.type === 'offer') {
        await this.connection.setLocalDescription();
        this.sendDescription();
      }
    } else if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (error) {
        // Candidates of an offer this side ignored cannot be added.
        if (!this.ignoreOffer) throw error;
      }
    }
  }

  private sendDescription(): void {
    const local = this.pc.localDescription;
    if (!local || this.closed) return;
    const streams: Record<string, VoiceStreamKind> = {};
    for (const [kind, { local }] of this.senders) streams[local.stream.id] = kind;
    this.options.send({ description: { type: local.type, sdp: local.sdp }, streams });
  }

  /**
   * Still `new` after a while: an offer without an answer is sent again (the other side answers
   * it, or ignores it on a collision and its own offer follows); with nothing negotiated at all,
   * ICE restarts, which makes a fresh offer.
   */
  private unstall(): void {
    if (this.closed || this.makingOffer) return;
    if (this.connection.connectionState !== 'new') {
      this.stalls = 0;
      return;
    }
    this.stalls++;
    if (this.stalls >= STALLS_BEFORE_REBUILD) this.rebuild();
    else if (this.connection.signalingState === 'have-local-offer') this.sendDescription();
    else if (this.connection.signalingState === 'stable') this.connection.restartIce();
  }

  private restartIfFailed(): void {
    if (this.closed) return;
    if (this.pc.connectionState === 'failed' || this.pc.iceConnectionState === 'failed') this.pc.restartIce();
  }

  /** Opus at the call's bitrate: once negotiated, the sender has an encoding to cap. */
  private async applyBitrate(): Promise<void> {
    const sender = this.senders.get('microphone')?.sender;
    if (!sender || !this.bitrate || this.closed) return;
    const params = sender.getParameters();
    const encoding = params.encodings.at(0);
    if (!encoding || encoding.maxBitrate === this.bitrate) return;
    encoding.maxBitrate = this.bitrate;
    await sender.setParameters(params).catch(() => undefined);
  }
}

function candidateOf({ candidate, sdpMid, sdpMLineIndex, usernameFragment }: RTCIceCandidate): PeerCandidate {
  return { candidate, sdpMid, sdpMLineIndex, usernameFragment };
}
