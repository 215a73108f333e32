import { PeerLink, type PeerSignal, STALL_MS, STALLS_BEFORE_REBUILD } from './peer-link';
import { qualityOf } from './peer-stats';
import { SPEAKING_START_MS, SPEAKING_STOP_MS, SpeakingHysteresis } from './speaking-detector';

/** Just enough of an RTCPeerConnection for the negotiation: descriptions and signaling state. */
class FakePc {
  signalingState: RTCSignalingState = 'stable';
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  readonly remote: { type: RTCSdpType; sdp: string }[] = [];
  readonly candidates: RTCIceCandidateInit[] = [];
  restarts = 0;
  closed = false;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: unknown = null;
  ontrack: unknown = null;
  onconnectionstatechange: (() => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  onsignalingstatechange: (() => void) | null = null;

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.localDescription = { type, sdp: `${type} sdp` };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
  }
  /** Refuses every remote description, as a connection does one of another connection's. */
  refuse = false;
  async setRemoteDescription(description: { type: RTCSdpType; sdp: string }): Promise<void> {
    await Promise.resolve();
    if (this.refuse) throw new Error('refused');
    this.remote.push(description);
    // An offer in have-local-offer is an implicit rollback first (the polite side).
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    await Promise.resolve();
    if (this.remote.length === 0) throw new Error('no remote description');
    this.candidates.push(candidate);
  }
  restartIce(): void {
    this.restarts++;
  }
  readonly senders: { track: unknown; replaced: unknown[]; stream: string }[] = [];
  addTrack(track: unknown, stream: { id: string }) {
    const sender = {
      track,
      replaced: [] as unknown[],
      stream: stream.id,
      replaceTrack: (next: unknown) => {
        sender.replaced.push(next);
        sender.track = next;
        return Promise.resolve();
      },
    };
    this.senders.push(sender);
    return sender;
  }
  close(): void {
    this.closed = true;
  }
}

function link(polite: boolean) {
  const connections: FakePc[] = [];
  const sent: PeerSignal[] = [];
  const arrived: [string, string][] = [];
  const peer = new PeerLink(
    () => {
      const made = new FakePc();
      connections.push(made);
      return made as unknown as RTCPeerConnection;
    },
    {
      polite,
      send: (signal) => sent.push(signal),
      onRemoteStream: (kind, stream) => arrived.push([kind, stream.id]),
    },
  );
  const pc = connections[0] as FakePc;
  return { pc, connections, sent, peer, arrived };
}

const local = (kind: 'microphone' | 'camera' | 'screen', track: unknown, streamId: string) => ({
  kind,
  track: track as MediaStreamTrack | null,
  stream: { id: streamId } as MediaStream,
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const OFFER = { description: { type: 'offer' as const, sdp: 'their offer' } };

describe('PeerLink (perfect negotiation)', () => {
  it('offers on negotiationneeded and answers an offer', async () => {
    const a = link(true);
    a.pc.onnegotiationneeded?.();
    await flush();
    expect(a.sent).toEqual([{ description: { type: 'offer', sdp: 'offer sdp' }, streams: {} }]);

    const b = link(false);
    await b.peer.receive(OFFER);
    expect(b.sent).toEqual([{ description: { type: 'answer', sdp: 'answer sdp' }, streams: {} }]);
  });

  it('on a collision the impolite side ignores the offer and its candidates', async () => {
    const impolite = link(false);
    impolite.pc.onnegotiationneeded?.();
    await flush();
    await impolite.peer.receive(OFFER);
    await impolite.peer.receive({ candidate: { candidate: 'candidate:1', sdpMid: '0' } });
    expect(impolite.pc.remote).toEqual([]);
    expect(impolite.sent).toHaveLength(1); // its own offer only
  });

  it('on a collision the polite side takes the offer (rolling back its own) and answers', async () => {
    const polite = link(true);
    polite.pc.onnegotiationneeded?.();
    await flush();
    await polite.peer.receive(OFFER);
    expect(polite.pc.remote).toEqual([OFFER.description]);
    expect(polite.sent.at(-1)).toEqual({ description: { type: 'answer', sdp: 'answer sdp' }, streams: {} });
    await polite.peer.receive({ candidate: { candidate: 'candidate:1', sdpMid: '0' } });
    expect(polite.pc.candidates).toHaveLength(1);
  });

  it('adds a kind once, then replaces its track; each description names what each stream carries', async () => {
    const a = link(false);
    a.peer.setTrack(local('microphone', 'mic-1', 's-mic'), 64000);
    a.peer.setTrack(local('camera', null, 's-cam'), 64000); // off: nothing to add yet
    expect(a.pc.senders.map((s) => s.stream)).toEqual(['s-mic']);
    a.peer.setTrack(local('camera', 'cam-1', 's-cam'), 64000);
    a.peer.setTrack(local('camera', null, 's-cam'), 64000); // off again: same sender, emptied
    a.peer.setTrack(local('camera', 'cam-2', 's-cam'), 64000);
    expect(a.pc.senders.map((s) => s.stream)).toEqual(['s-mic', 's-cam']);
    expect(a.pc.senders[1]?.replaced).toEqual([null, 'cam-2']);
    a.pc.onnegotiationneeded?.();
    await flush();
    expect(a.sent.at(-1)?.streams).toEqual({ 's-mic': 'microphone', 's-cam': 'camera' });
  });

  it('tells a remote screen from a camera by the stream ids of the description', async () => {
    const b = link(true);
    await b.peer.receive({ ...OFFER, streams: { 'r-screen': 'screen', 'r-mic': 'microphone' } });
    const ontrack = b.pc.ontrack as (event: { track: unknown; streams: { id: string }[] }) => void;
    ontrack({ track: { kind: 'video' }, streams: [{ id: 'r-screen' }] });
    ontrack({ track: { kind: 'audio' }, streams: [{ id: 'r-mic' }] });
    expect(b.arrived).toEqual([
      ['screen', 'r-screen'],
      ['microphone', 'r-mic'],
    ]);
  });

  it('negotiates again when a link stays new: the offer again, or an ICE restart when nothing was offered', async () => {
    jest.useFakeTimers();
    try {
      const a = link(false);
      const b = link(true);
      a.pc.onnegotiationneeded?.();
      await jest.advanceTimersByTimeAsync(0);
      expect(a.sent).toHaveLength(1);
      // The answer never comes: the same offer is sent again; b, which offered nothing, restarts ICE.
      await jest.advanceTimersByTimeAsync(STALL_MS);
      expect(a.sent).toHaveLength(2);
      expect(a.sent[1]?.description).toEqual(a.sent[0]?.description);
      expect(b.pc.restarts).toBe(1);
      // Connected links are left alone, and a closed one stops checking.
      a.pc.connectionState = 'connected';
      const sent = a.sent.length;
      b.peer.close();
      await jest.advanceTimersByTimeAsync(STALL_MS * 3);
      expect(a.sent).toHaveLength(sent);
      expect(a.connections).toHaveLength(1);
      expect(b.pc.restarts).toBe(1);
      a.peer.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('replaces a connection that stays new, with the same tracks; the other side follows the fresh offer', async () => {
    jest.useFakeTimers();
    try {
      const a = link(false);
      a.peer.setTrack(local('microphone', 'mic-1', 's-mic'), 32_000);
      await jest.advanceTimersByTimeAsync(STALL_MS * STALLS_BEFORE_REBUILD);
      expect(a.connections).toHaveLength(2);
      expect(a.connections[0]?.closed).toBe(true);
      expect(a.peer.pc).toBe(a.connections[1]);
      expect(a.connections[1]?.senders.map((s) => [s.track, s.stream])).toEqual([['mic-1', 's-mic']]);

      // b's connection refuses the fresh offer (it still holds a's old one): b starts afresh and answers.
      const b = link(true);
      b.pc.refuse = true;
      await b.peer.receive({ description: { type: 'offer', sdp: 'fresh offer' } });
      expect(b.connections).toHaveLength(2);
      expect(b.connections[0]?.closed).toBe(true);
      expect(b.connections[1]?.remote).toEqual([{ type: 'offer', sdp: 'fresh offer' }]);
      expect(b.sent.at(-1)?.description?.type).toBe('answer');
      a.peer.close();
      b.peer.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('restarts ICE when the connection fails; close ends it', () => {
    const { pc, peer } = link(true);
    pc.connectionState = 'failed';
    pc.onconnectionstatechange?.();
    expect(pc.restarts).toBe(1);
    peer.close();
    expect(pc.closed).toBe(true);
  });
});

describe('SpeakingHysteresis', () => {
  it('starts after ~200 ms above the threshold, stops after ~500 ms below, reports changes only', () => {
    const changes: boolean[] = [];
    const detector = new SpeakingHysteresis((speaking) => changes.push(speaking));
    detector.sample(0.5, 50);
    detector.sample(0.5, SPEAKING_START_MS - 10);
    expect(changes).toEqual([]);
    detector.sample(0.5, SPEAKING_START_MS + 10);
    detector.sample(0.5, 400);
    expect(changes).toEqual([true]);
    detector.sample(0, 450);
    detector.sample(0.5, 500); // a short pause is still speaking
    detector.sample(0, 600);
    detector.sample(0, 600 + SPEAKING_STOP_MS + 10);
    expect(changes).toEqual([true, false]);
  });
});

describe('qualityOf', () => {
  it('labels loss and jitter', () => {
    const base = {
      connectionState: 'connected' as const,
      packetsReceived: 1000,
      packetsLost: 0,
      jitter: 0.005,
    };
    expect(qualityOf(base)).toBe('good');
    expect(qualityOf({ ...base, packetsLost: 50 })).toBe('fair');
    expect(qualityOf({ ...base, jitter: 0.2 })).toBe('poor');
    expect(qualityOf({ ...base, connectionState: 'connecting' })).toBe('none');
  });
});
