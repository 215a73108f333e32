/** What a run measures and how long each part takes: `--quick` (under 2 minutes) or the full run. */
import type { HistorySettings } from './history';
import { FLOOD_KINDS } from './pow/flood-kinds';
import type { PowSettings } from './pow/measure';
import type { RampSettings } from './ramp';
import type { SearchSettings } from './saturation';
import type { MessageSearchSettings } from './search/measure';
import type { StepSettings, StreamKind } from './step';

const CHANNEL: readonly StreamKind[] = ['channel'];
const CHANNEL_AND_THREAD: readonly StreamKind[] = ['channel', 'thread'];

/**
 * ramp: cold start, idle memory and the connections ramp; load: the saturation searches; history;
 * search: message search on a seeded corpus (mpqcht only); pow: honest logins under floods of
 * challenge requests, with proof-of-work on (mpqcht only).
 */
export const PARTS = ['ramp', 'load', 'history', 'search', 'pow'] as const;
export type Part = (typeof PARTS)[number];
/**
 * Without `--parts`: search seeds a corpus and waits for an index, pow waits for the server to calm
 * down after each flood: minutes more each, asked for by name.
 */
export const DEFAULT_PARTS: readonly Part[] = ['ramp', 'load', 'history'];

export interface Plan {
  readonly mode: 'quick' | 'full';
  readonly parts: readonly Part[];
  /** Load worker processes (all pinned to the load core). */
  readonly workers: number;
  /** Sender connections (socket.io-client), spread over the workers. */
  readonly senders: number;
  /** Message content size in bytes. */
  readonly bytes: number;
  /** Idle time after the cold start before the idle RSS is read. */
  readonly idleSettleMs: number;
  readonly ramp: RampSettings;
  /**
   * Per fan-out, the streams the sender sends into, one search each, in this order, to the same
   * receivers: the channel, and for mpqcht also a thread of it (issue 16: a thread must not be
   * slower than its channel). The baselines have no threads: they run the channel only.
   */
  readonly fanOuts: readonly {
    readonly fanOut: number;
    readonly search: SearchSettings;
    readonly streams: readonly StreamKind[];
  }[];
  readonly history: HistorySettings;
  readonly search: MessageSearchSettings;
  readonly pow: PowSettings;
}

const BYTES = 200;

function search(
  startRate: number,
  maxRate: number,
  step: StepSettings,
  bisections: number,
  halfRateSeconds: number,
): SearchSettings {
  return { startRate, maxRate, bisections, step, halfRateSeconds };
}

export function quickPlan(): Plan {
  const step: StepSettings = { seconds: 1.5, bytes: BYTES, drainMs: 1_000, quietMs: 200 };
  return {
    mode: 'quick',
    parts: DEFAULT_PARTS,
    workers: 2,
    senders: 1,
    bytes: BYTES,
    idleSettleMs: 500,
    ramp: { levels: [100, 200, 500], maxSeconds: 30, settleMs: 300 },
    fanOuts: [
      { fanOut: 1, search: search(1_000, 40_000, step, 1, 2), streams: CHANNEL },
      { fanOut: 100, search: search(100, 4_000, step, 1, 2), streams: CHANNEL_AND_THREAD },
    ],
    history: { messages: 100_000, requests: 300, bytes: BYTES },
    search: {
      messages: 100_000,
      members: 1_000,
      warmup: 50,
      sequential: 300,
      concurrent: 1_000,
      concurrency: 50,
      limit: 25,
    },
    // calm_seconds 2 instead of 10: the effort is back to 0 some 15 s after a flood, not 75 s.
    pow: {
      members: 10,
      passRate: 20,
      freshRate: 0.3,
      phaseSeconds: 10,
      warmupSeconds: 3,
      floods: FLOOD_KINDS,
      lanes: 32,
      solvingLanes: 4,
      calmSeconds: 2,
      maxCalmWaitSeconds: 60,
    },
  };
}

export function fullPlan(): Plan {
  const step: StepSettings = { seconds: 3, bytes: BYTES, drainMs: 2_000, quietMs: 300 };
  return {
    mode: 'full',
    parts: DEFAULT_PARTS,
    workers: 2,
    senders: 1,
    bytes: BYTES,
    idleSettleMs: 2_000,
    ramp: { levels: [1_000, 2_000, 5_000, 10_000], maxSeconds: 300, settleMs: 1_000 },
    fanOuts: [
      { fanOut: 1, search: search(2_000, 64_000, step, 3, 10), streams: CHANNEL },
      { fanOut: 100, search: search(100, 6_400, step, 3, 10), streams: CHANNEL_AND_THREAD },
      { fanOut: 1_000, search: search(16, 1_000, step, 3, 10), streams: CHANNEL },
    ],
    history: { messages: 1_000_000, requests: 2_000, bytes: BYTES },
    search: {
      messages: 1_000_000,
      members: 1_000,
      warmup: 200,
      sequential: 1_000,
      concurrent: 3_000,
      concurrency: 50,
      limit: 25,
    },
    // New devices at 1 in 5 s: at the default max_effort (1,000,000) each solve takes 1.7 s of the
    // load core on the development VM, which the flood shares.
    pow: {
      members: 20,
      passRate: 20,
      freshRate: 0.2,
      phaseSeconds: 30,
      warmupSeconds: 10,
      floods: FLOOD_KINDS,
      lanes: 32,
      solvingLanes: 4,
      maxCalmWaitSeconds: 150,
    },
  };
}
