/** One WebRTC message to or from a participant (docs/protocol.md, Voice: `voice.signal`). */
export interface PeerSignal {
  readonly description?: { readonly type: RTCSdpType; readonly sdp: string };
  /** `null` ends the candidates. */
  readonly candidate?: PeerCandidate | null;
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
  /** The remote participant's audio arrived. */
  readonly onRemoteStream: (stream: MediaStream) => void;
}

/**
 * One `RTCPeerConnection` to one other participant of the call, negotiated with the WebRTC
 * spec's "perfect negotiation" pattern: either side may offer at any time; on a collision the
 * impolite side ignores the incoming offer and the polite side rolls back its own (implicitly, in
 * setRemoteDescription). A failed connection restarts ICE. The microphone track is sent at the
 * call's Opus bitrate.
 */
export class PeerLink {
  private makingOffer = false;
  private ignoreOffer = false;
  private closed = false;
  /** Incoming signals are handled one after another, in the order they arrived. */
  private incoming: Promise<void> = Promise.resolve();
  private sender: RTCRtpSender | null = null;
  private bitrate = 0;

  constructor(
    readonly pc: RTCPeerConnection,
    private readonly options: PeerLinkOptions,
  ) {
    pc.onnegotiationneeded = () => void this.offer();
    pc.onicecandidate = ({ candidate }) =>
      options.send({ candidate: candidate ? candidateOf(candidate) : null });
    pc.ontrack = ({ track, streams }) => options.onRemoteStream(streams[0] ?? new MediaStream([track]));
    pc.onconnectionstatechange = () => this.restartIfFailed();
    pc.oniceconnectionstatechange = () => this.restartIfFailed();
    pc.onsignalingstatechange = () => {
      if (pc.signalingState === 'stable') void this.applyBitrate();
    };
  }

  /** Sends the microphone (once); `bitrate` caps its encoding (bits/s). */
  sendTrack(track: MediaStreamTrack, stream: MediaStream, bitrate: number): void {
    if (this.sender || this.closed) return;
    this.bitrate = bitrate;
    this.sender = this.pc.addTrack(track, stream);
  }

  /** Handles a signal from the remote participant (queued behind the previous ones). */
  receive(signal: PeerSignal): Promise<void> {
    this.incoming = this.incoming.then(() => this.handle(signal)).catch(() => undefined);
    return this.incoming;
  }

  close(): void {
    this.closed = true;
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.oniceconnectionstatechange = null;
    this.pc.onsignalingstatechange = null;
    this.pc.close();
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

  private async handle({ description, candidate }: PeerSignal): Promise<void> {
    if (this.closed) return;
    if (description) {
      const collision =
        description.type === 'offer' && (this.makingOffer || this.pc.signalingState !== 'stable');
      this.ignoreOffer = !this.options.polite && collision;
      if (this.ignoreOffer) return;
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        await this.pc.setLocalDescription();
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
    if (local && !this.closed) this.options.send({ description: { type: local.type, sdp: local.sdp } });
  }

  private restartIfFailed(): void {
    if (this.closed) return;
    if (this.pc.connectionState === 'failed' || this.pc.iceConnectionState === 'failed') this.pc.restartIce();
  }

  /** Opus at the call's bitrate: once negotiated, the sender has an encoding to cap. */
  private async applyBitrate(): Promise<void> {
    const sender = this.sender;
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
