/** How a link to one participant is doing, from `RTCPeerConnection.getStats()`. */
export interface PeerStats {
  readonly participantId: string;
  readonly connectionState: RTCPeerConnectionState;
  /** inbound-rtp audio: what arrived from that participant. */
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitter: number;
  /** inbound-rtp `totalAudioEnergy`: grows while the other's audio is not silence. */
  readonly audioEnergy: number;
  /** outbound-rtp audio: what this side sent them. */
  readonly bytesSent: number;
  readonly quality: 'good' | 'fair' | 'poor' | 'none';
  /** For diagnosis: the negotiation's state and how many tracks this side sends. */
  readonly signalingState: RTCSignalingState;
  readonly senders: number;
  /** The local candidate of the pair in use: `relay` when the call goes through TURN. */
  readonly candidateType: 'host' | 'srflx' | 'prflx' | 'relay' | null;
}

export async function readPeerStats(participantId: string, pc: RTCPeerConnection): Promise<PeerStats> {
  let bytesReceived = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let jitter = 0;
  let audioEnergy = 0;
  let bytesSent = 0;
  const report = await pc.getStats();
  const candidateType = selectedCandidateType(report);
  report.forEach((entry: Record<string, unknown>) => {
    if (entry['kind'] !== 'audio') return;
    if (entry['type'] === 'inbound-rtp') {
      bytesReceived += num(entry['bytesReceived']);
      packetsReceived += num(entry['packetsReceived']);
      packetsLost += num(entry['packetsLost']);
      jitter = Math.max(jitter, num(entry['jitter']));
      audioEnergy += num(entry['totalAudioEnergy']);
    } else if (entry['type'] === 'outbound-rtp') {
      bytesSent += num(entry['bytesSent']);
    }
  });
  const stats = {
    participantId,
    connectionState: pc.connectionState,
    signalingState: pc.signalingState,
    senders: pc.getSenders().filter((s) => s.track).length,
    bytesReceived,
    packetsReceived,
    packetsLost,
    jitter,
    audioEnergy,
    bytesSent,
  };
  return { ...stats, quality: qualityOf(stats), candidateType };
}

/** The transport's selected pair, its local candidate's type. */
function selectedCandidateType(report: RTCStatsReport): PeerStats['candidateType'] {
  const entries = new Map<string, Record<string, unknown>>();
  let pairId: unknown;
  report.forEach((entry: Record<string, unknown>) => {
    if (typeof entry['id'] === 'string') entries.set(entry['id'], entry);
    if (entry['type'] === 'transport') pairId ??= entry['selectedCandidatePairId'];
  });
  const localId = typeof pairId === 'string' ? entries.get(pairId)?.['localCandidateId'] : undefined;
  const type = typeof localId === 'string' ? entries.get(localId)?.['candidateType'] : undefined;
  return type === 'host' || type === 'srflx' || type === 'prflx' || type === 'relay' ? type : null;
}

/** A label from loss and jitter (seconds): good under 2 % and 30 ms, poor above 10 % or 100 ms. */
export function qualityOf(
  s: Pick<PeerStats, 'connectionState' | 'packetsReceived' | 'packetsLost' | 'jitter'>,
): PeerStats['quality'] {
  if (s.connectionState !== 'connected' || s.packetsReceived === 0) return 'none';
  const loss = s.packetsLost / (s.packetsReceived + s.packetsLost);
  if (loss > 0.1 || s.jitter > 0.1) return 'poor';
  if (loss > 0.02 || s.jitter > 0.03) return 'fair';
  return 'good';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

const QUALITY_ORDER: readonly PeerStats['quality'][] = ['poor', 'fair', 'good', 'none'];

/** The worst of several links' labels ('none' only when no link carries anything yet). */
export function worstQuality(labels: readonly PeerStats['quality'][]): PeerStats['quality'] {
  for (const label of QUALITY_ORDER) if (labels.includes(label)) return label;
  return 'none';
}
