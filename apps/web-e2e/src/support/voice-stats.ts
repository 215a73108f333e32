import type { Page } from 'playwright-core';

import { waitUntil } from './pages';

/** One peer connection's numbers, as voice/peer-stats.ts reads them from `getStats()`. */
export interface PeerStats {
  readonly participantId: string;
  readonly connectionState: string;
  readonly signalingState: string;
  readonly senders: number;
  readonly bytesReceived: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitter: number;
  /** inbound `totalAudioEnergy`: grows while what arrives is not silence. */
  readonly audioEnergy: number;
  readonly bytesSent: number;
  readonly quality: string;
  /** The local candidate of the selected ICE pair: `relay` when the call goes through TURN. */
  readonly candidateType: 'host' | 'srflx' | 'prflx' | 'relay' | null;
}

/**
 * The app's numbers of each peer connection of the page (voice/peer-mesh.ts, exposed only to a
 * page launched with `launchPerson(name, { voiceStats: true })`); none without the hook.
 */
export function voiceStats(page: Page): Promise<PeerStats[]> {
  return page.evaluate(async () => {
    const hook = (window as unknown as { __mpqchtVoiceStats?: () => Promise<PeerStats[]> })
      .__mpqchtVoiceStats;
    return hook ? hook() : [];
  });
}

/**
 * Waits until the page has `links` peer connections and the audio received on every one of them
 * grew twice (it flows, not merely arrived once); resolves to the last numbers read.
 */
export async function audioFlowsInto(
  page: Page,
  who: string,
  links = 1,
  timeoutMs?: number,
): Promise<PeerStats[]> {
  const last = new Map<string, number>();
  const increases = new Map<string, number>();
  let latest: PeerStats[] = [];
  const summary = () =>
    latest
      .map(
        (p) =>
          `${p.participantId.slice(0, 8)} ${p.connectionState}/${p.signalingState} ${p.senders} sending ${p.bytesReceived} B`,
      )
      .join('; ');
  await waitUntil(
    async () => {
      latest = await voiceStats(page);
      if (latest.length !== links) return false;
      for (const peer of latest) {
        const before = last.get(peer.participantId);
        if (before !== undefined && peer.bytesReceived > before)
          increases.set(peer.participantId, (increases.get(peer.participantId) ?? 0) + 1);
        last.set(peer.participantId, peer.bytesReceived);
      }
      return latest.every((peer) => (increases.get(peer.participantId) ?? 0) >= 2);
    },
    `audio arriving at ${who} on ${links} link(s)`,
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)} (last read: ${latest.length} link(s): ${summary()})`);
  });
  return latest;
}
