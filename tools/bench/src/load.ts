/**
 * The load on one running server, as the coordinator keeps track of it: which worker holds which
 * connections, how many receivers are in the channel, what to measure CPU and memory of.
 */
import { type Latency, latency, merge } from './histogram';
import type { Counts, Role, TargetSpec } from './ipc';
import { type LoadPool, split } from './pool';
import type { Root } from './root';
import { sleep } from './system';
import type { RunningServer } from './targets';

/** Receivers on socket.io-client; every other receiver uses the minimal parser. */
export const SAMPLE_RECEIVERS = 10;
/**
 * Connection set-ups in flight per worker. At 8 the ramp measured the login's latency more than
 * the server's throughput (a third of the server's profile was idle); 32 keeps it busy.
 */
const OPEN_CONCURRENCY = 32;
/** Keys generated beyond the need, for connections that fail (a failed login uses its key up). */
const SPARE_KEYS = 0.02;

export interface Opened {
  readonly opened: number;
  readonly failed: Counts;
  readonly examples: Record<string, string>;
  readonly elapsedMs: number;
  readonly handshake: Latency | null;
  readonly setup: Latency | null;
}

function addCounts(into: Counts, from: Counts): void {
  for (const [code, n] of Object.entries(from)) into[code] = (into[code] ?? 0) + n;
}

export class Load {
  /** Global sender indices held by each worker. */
  readonly senders: number[][];
  receivers = 0;
  samples = 0;

  constructor(
    readonly pool: LoadPool,
    readonly server: RunningServer,
  ) {
    this.senders = Array.from({ length: pool.size }, () => []);
  }

  get spec(): TargetSpec {
    return this.server.spec;
  }

  get senderCount(): number {
    return this.senders.reduce((n, list) => n + list.length, 0);
  }

  async init(): Promise<void> {
    await this.pool.all('init', (worker) => ({ target: this.spec, worker }));
  }

  /** mpqcht: every worker makes keys for its share of `count` connections, and the root authorizes them. */
  async prepareKeys(root: Root | undefined, perWorker: readonly number[]): Promise<void> {
    if (this.spec.kind !== 'mpqcht') return;
    if (!root) throw new Error('mpqcht needs its root connection to authorize load keys');
    const keys = await this.pool.all('keys', (worker) => ({
      count: Math.ceil((perWorker[worker] ?? 0) * (1 + SPARE_KEYS)) + 1,
    }));
    await root.authorize(keys.flat());
  }

  /** Opens connections of a role spread as `perWorker` says, `OPEN_CONCURRENCY` at a time in each. */
  async open(role: Role, perWorker: readonly number[], deadlineMs?: number): Promise<Opened> {
    const started = performance.now();
    const results = await this.pool.all('open', (worker) => ({
      role,
      count: perWorker[worker] ?? 0,
      concurrency: OPEN_CONCURRENCY,
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    }));
    const elapsedMs = performance.now() - started;
    const failed: Counts = {};
    const examples: Record<string, string> = {};
    results.forEach((result, worker) => {
      addCounts(failed, result.failed);
      Object.assign(examples, result.examples);
      if (role === 'sender') {
        for (let i = 0; i < result.opened; i++) this.senders[worker]?.push(this.senderCount);
      }
    });
    const opened = results.reduce((n, r) => n + r.opened, 0);
    if (role === 'sample') this.samples += opened;
    if (role === 'sample' || role === 'minimal') this.receivers += opened;
    return {
      opened,
      failed,
      examples,
      elapsedMs,
      handshake: latency(merge(results.map((r) => r.handshake))),
      setup: latency(merge(results.map((r) => r.setup))),
    };
  }

  /** Connections per worker for `senders` senders and receivers up to `fanOut` (for `prepareKeys`). */
  planned(senders: number, fanOut: number): number[] {
    const samples = split(Math.min(SAMPLE_RECEIVERS, fanOut), this.pool.size);
    const minimal = split(Math.max(0, fanOut - SAMPLE_RECEIVERS), this.pool.size);
    return split(senders, this.pool.size).map((n, w) => n + (samples[w] ?? 0) + (minimal[w] ?? 0));
  }

  /** Opens `count` sender connections, spread over the workers. */
  async openSenders(count: number): Promise<void> {
    const opened = await this.open('sender', split(count, this.pool.size));
    if (opened.opened < count)
      throw new Error(`only ${opened.opened} of ${count} senders: ${JSON.stringify(opened.examples)}`);
  }

  /** Receivers until `fanOut` are in the channel: socket.io-client ones first (up to the sample size). */
  async growReceivers(fanOut: number): Promise<Opened[]> {
    const samples = Math.max(0, Math.min(SAMPLE_RECEIVERS, fanOut) - this.samples);
    const minimal = Math.max(0, fanOut - this.receivers - samples);
    const bySample = split(samples, this.pool.size);
    const byMinimal = split(minimal, this.pool.size);
    const results: Opened[] = [];
    if (samples > 0) results.push(await this.open('sample', bySample));
    if (minimal > 0) results.push(await this.open('minimal', byMinimal));
    return results;
  }

  /** Waits until no connection has received anything for `quietMs` (at most `maxMs`). */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const deadline = performance.now() + maxMs;
    let frames = -1;
    let since = performance.now();
    while (performance.now() < deadline) {
      const progress = await this.pool.all('progress', {});
      const now = progress.reduce((n, p) => n + p.frames, 0);
      const pending = progress.reduce((n, p) => n + p.pendingAcks, 0);
      if (now !== frames) {
        frames = now;
        since = performance.now();
      } else if (pending === 0 && performance.now() - since >= quietMs) return;
      await sleep(50);
    }
  }

  async reset(): Promise<void> {
    await this.pool.all('reset', {});
    for (const list of this.senders) list.length = 0;
    this.receivers = 0;
    this.samples = 0;
  }
}
