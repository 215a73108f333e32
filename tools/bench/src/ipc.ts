/** What the coordinator (main.ts) and the load worker processes (worker/worker.ts) say over IPC. */

export type TargetKind = 'socket.io' | 'ws' | 'mpqcht';

/** The server under test as a worker needs to know it. */
export interface TargetSpec {
  readonly kind: TargetKind;
  /** http://127.0.0.1:<port> (ws:// for the ws baseline is derived from it). */
  readonly url: string;
  /** mpqcht's PUBLIC_ORIGIN, bound into every login signature. */
  readonly origin: string;
  /** The channel (mpqcht) or room (Socket.IO) of the load. */
  readonly channelId: string;
}

/**
 * sender: socket.io-client (ws for the ws baseline), sends the load and counts acks;
 * sample: a receiver on socket.io-client; minimal: a receiver on the minimal Socket.IO parser
 * over ws (protocol-receiver.ts). The ws baseline has plain ws connections for all three.
 * stalled: a minimal receiver that stops reading from its TCP socket once joined and answers the
 * server's heartbeat blindly (backlog measurements, backlog/main.ts); not counted as a receiver.
 * searcher: a socket.io-client connection that only sends `search.messages` (search.ts); mpqcht only.
 */
export type Role = 'sender' | 'sample' | 'minimal' | 'stalled' | 'searcher';

/** A step of open-loop load: message k (0 ≤ k < total) is due at startAtMs + k·1000/rate. */
export interface StepOrder {
  readonly step: number;
  readonly startAtMs: number;
  readonly rate: number;
  readonly total: number;
  /** Sender connections in all workers; message k goes out on sender k mod senders. */
  readonly senders: number;
  /** The global indices of this worker's senders, in the order it opened them. */
  readonly mine: readonly number[];
  readonly bytes: number;
  /**
   * mpqcht: the stream the senders send into, the load channel or a thread of it (`thread:<id>`,
   * whose messages reach the channel's room). The baselines have one room, fixed per connection.
   */
  readonly streamId: string;
}

export type Counts = Record<string, number>;

export interface OpenResult {
  readonly opened: number;
  /** Failures by error code, and the first message seen for each code. */
  readonly failed: Counts;
  readonly examples: Record<string, string>;
  /** Encoded histograms (histogram.ts): the login handshake, and the whole connection set-up. */
  readonly handshake: string;
  readonly setup: string;
}

export interface Progress {
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  readonly delivered: number;
  /** Every frame received on any connection since the worker started (to see the server go quiet). */
  readonly frames: number;
  readonly pendingAcks: number;
}

export interface StepCounts {
  readonly sent: number;
  readonly acked: number;
  /** Sends that failed, by error code (mpqcht's code, `ack_timeout`, `not_ok`). */
  readonly ackErrors: Counts;
  readonly delivered: number;
  /** Deliveries to sample (socket.io-client) receivers, included in `delivered`. */
  readonly sampleDelivered: number;
  /** Deliveries stamped with an earlier step (arrived after that step was collected). */
  readonly stale: number;
  readonly pendingAcks: number;
  /** Encoded histograms: send→receive (all receivers), send→receive (sample only), send→ack. */
  readonly receive: string;
  readonly sampleReceive: string;
  readonly ack: string;
}

export interface HistoryResult {
  readonly requests: number;
  readonly errors: Counts;
  /** Pages that came back with fewer messages than asked. */
  readonly shortPages: number;
  readonly latency: string;
  readonly elapsedMs: number;
}

/** One query of the search part's mix (search/queries.ts), under the name of its kind. */
export interface SearchOrder {
  readonly kind: string;
  readonly query: string;
}

export interface SearchRunResult {
  readonly requests: number;
  /** Failed requests by error code, and the first answer seen for each code. */
  readonly errors: Counts;
  readonly examples: Record<string, string>;
  /** Encoded histograms: every ok answer, and per kind. */
  readonly latency: string;
  readonly byKind: Record<
    string,
    { readonly latency: string; readonly hits: number; readonly empty: number }
  >;
  /** Ok answers that said the index was still being built. */
  readonly indexing: number;
  /** The slowest requests (query and ms), slowest first. */
  readonly slowest: readonly { readonly query: string; readonly ms: number }[];
  readonly elapsedMs: number;
}

/** The pow part's honest logins in one phase (worker/honest.ts). */
export interface HonestResult {
  /** Logins due in the phase (rate × duration), and those that connected. */
  readonly scheduled: number;
  readonly ok: number;
  /** Failed logins by code (a `pow_*` after three rounds, `rate_limited`, `timeout`, ...). */
  readonly failed: Counts;
  readonly examples: Record<string, string>;
  /** Encoded histograms: due time → connected, of the ok logins; wall time of each solve. */
  readonly latency: string;
  readonly solve: string;
  readonly solves: number;
  readonly hashes: number;
  readonly elapsedMs: number;
}

export interface Commands {
  init: { args: { target: TargetSpec; worker: number }; result: null };
  keys: { args: { count: number }; result: string[] };
  open: {
    /** No new connection attempt after `deadlineMs` (shared clock), if given. */
    args: { role: Role; count: number; concurrency: number; deadlineMs?: number };
    result: OpenResult;
  };
  step: { args: { order: StepOrder }; result: null };
  stop: { args: Record<string, never>; result: null };
  progress: { args: Record<string, never>; result: Progress };
  collect: { args: Record<string, never>; result: StepCounts };
  history: {
    args: { channelId: string; cursors: readonly string[]; concurrency: number };
    result: HistoryResult;
  };
  /** `search.messages` for each query, `lanes` at a time, each lane on a searcher connection of its own. */
  search: {
    args: { queries: readonly SearchOrder[]; lanes: number; limit: number };
    result: SearchRunResult;
  };
  /** pow part: make honest members' keys (returned for the root to authorize). */
  honestKeys: { args: { count: number }; result: string[] };
  /** pow part: log each honest member in once, keep the login pass; one of them is returned. */
  honestPasses: { args: Record<string, never>; result: string | null };
  /** pow part: honest logins at `rate` for `durationMs`, with the passes or without. */
  honest: { args: { rate: number; withPass: boolean; durationMs: number }; result: HonestResult };
  reset: { args: Record<string, never>; result: null };
}

export type CommandName = keyof Commands;

export interface Request<C extends CommandName = CommandName> {
  readonly id: number;
  readonly command: C;
  readonly args: Commands[C]['args'];
}

export type Response =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
