/**
 * One step of open-loop load at a fixed rate: every worker sends its share on schedule, the
 * coordinator watches progress (and gives up early on a hopeless backlog), waits for the last
 * deliveries and acks, then collects counts, histograms, CPU of load / server / PostgreSQL, and for
 * mpqcht the rows persisted.
 */
import { nowMs } from './clock';
import { type Latency, latency, merge } from './histogram';
import type { Counts, Progress } from './ipc';
import type { Load } from './load';
import { progressLine } from './progress';
import { cpuSpentMs, cpuTimes, machineBusyMs, sleep, totalCpuMs } from './system';

/** The pass criterion of the saturation search (issue 8). */
export const P99_LIMIT_MS = 250;
export const ERROR_LIMIT = 0.001;

export interface StepSettings {
  readonly seconds: number;
  readonly bytes: number;
  /** After the last scheduled send, wait at most this long for deliveries and acks. */
  readonly drainMs: number;
  /** After collecting, wait for this long a silence (the server's backlog gone) before the next step. */
  readonly quietMs: number;
}

export interface StepResult {
  readonly rate: number;
  readonly fanOut: number;
  readonly seconds: number;
  readonly sent: number;
  readonly acked: number | null;
  readonly delivered: number;
  readonly expected: number;
  /** By code: mpqcht's (e.g. rate_limited), ack_timeout, no_ack (none within the drain), not_delivered. */
  readonly errors: Counts;
  /** The larger of failed sends / sent and missing deliveries / expected. */
  readonly errorRate: number;
  readonly aborted: boolean;
  readonly pass: boolean;
  readonly acceptedPerSecond: number | null;
  readonly persistedPerSecond: number | null;
  readonly deliveredPerSecond: number;
  readonly sendToReceiveMs: Latency | null;
  readonly sampleSendToReceiveMs: Latency | null;
  readonly sendToAckMs: Latency | null;
  readonly stale: number;
  /** CPU as % of one core over the step: the load generator (workers + coordinator), the server, PostgreSQL. */
  readonly loadCpuPercent: number;
  readonly serverCpuPercent: number;
  readonly postgresCpuPercent: number | null;
  /** Everything else the machine ran meanwhile (other processes: noise), % of one core. */
  readonly otherCpuPercent: number;
}

/**
 * What the senders send into: the load channel, or (mpqcht) a thread of it, `thread:<id>`, whose
 * messages are pushed to the channel's room, so the same receivers get them.
 */
export type StreamKind = 'channel' | 'thread';

export interface Stream {
  readonly kind: StreamKind;
  readonly id: string;
}

let nextStep = 1;

function otherCpu(before: CpuSnapshot, after: CpuSnapshot): number {
  const ours =
    after.load - before.load + (after.server - before.server) + cpuSpentMs(before.postgres, after.postgres);
  return Math.max(0, after.machine - before.machine - ours);
}

function sum(progress: readonly Progress[], key: keyof Progress): number {
  return progress.reduce((n, p) => n + p[key], 0);
}

interface CpuSnapshot {
  readonly atMs: number;
  readonly load: number;
  readonly server: number;
  readonly postgres: Map<number, number>;
  readonly machine: number;
}

function cpuSnapshot(load: Load, postgresPids: readonly number[]): CpuSnapshot {
  return {
    atMs: nowMs(),
    load: totalCpuMs([...load.pool.pids, process.pid]),
    server: totalCpuMs([load.server.process.pid]),
    postgres: cpuTimes(postgresPids),
    machine: machineBusyMs(),
  };
}

export async function runStep(
  load: Load,
  rate: number,
  settings: StepSettings,
  label: string,
  stream: Stream,
): Promise<StepResult> {
  const { pool } = load;
  const fanOut = load.receivers;
  const acks = load.spec.kind !== 'ws';
  const db = load.server.db;
  const persistedBefore = db ? await db.countMessages(stream.id) : 0;
  const postgresPids = await load.server.postgresPids();
  const step = nextStep++;
  const total = Math.max(1, Math.round(rate * settings.seconds));
  const startAtMs = nowMs() + 50;
  const endAtMs = startAtMs + (total * 1000) / rate;
  const before = cpuSnapshot(load, postgresPids);
  await pool.all('step', (worker) => ({
    order: {
      step,
      startAtMs,
      rate,
      total,
      senders: load.senderCount,
      mine: load.senders[worker] ?? [],
      bytes: settings.bytes,
      streamId: stream.id,
    },
  }));

  // Sending: watch, and stop early when the backlog alone already fails the step.
  let aborted = false;
  let progress: Progress[] = [];
  while (nowMs() < endAtMs) {
    await sleep(200);
    progress = await pool.all('progress', {});
    const sent = sum(progress, 'sent');
    const backlog = sent * fanOut - sum(progress, 'delivered');
    const failed = sum(progress, 'failed');
    progressLine(`${label}: ${rate} msg/s, sent ${sent}/${total}, delivered ${sum(progress, 'delivered')}`);
    const hopeless =
      nowMs() - startAtMs > 500 &&
      (backlog > Math.max(rate * fanOut * 0.5, fanOut * 5) || failed > Math.max(10, sent * 0.01));
    if (hopeless) {
      aborted = true;
      await pool.all('stop', {});
      break;
    }
  }

  // Draining: the last deliveries and acks, at most drainMs after the last send.
  const drainUntil = Math.min(nowMs(), endAtMs) + settings.drainMs;
  while (nowMs() < drainUntil) {
    progress = await pool.all('progress', {});
    const sent = sum(progress, 'sent');
    const answered = sum(progress, 'acked') + sum(progress, 'failed');
    const accepted = acks ? sent - sum(progress, 'failed') : sent;
    if (sum(progress, 'delivered') >= accepted * fanOut && (!acks || answered >= sent)) break;
    await sleep(20);
  }
  const counts = await pool.all('collect', {});
  const after = cpuSnapshot(load, await load.server.postgresPids());
  const persisted = db ? (await db.countMessages(stream.id)) - persistedBefore : null;
  await load.quiet(settings.quietMs, 15_000);

  const sent = counts.reduce((n, c) => n + c.sent, 0);
  const acked = counts.reduce((n, c) => n + c.acked, 0);
  const delivered = counts.reduce((n, c) => n + c.delivered, 0);
  const errors: Counts = {};
  for (const c of counts) {
    for (const [code, n] of Object.entries(c.ackErrors)) errors[code] = (errors[code] ?? 0) + n;
  }
  const failedSends = Object.values(errors).reduce((a, b) => a + b, 0);
  const noAck = acks ? Math.max(0, sent - acked - failedSends) : 0;
  if (noAck > 0) errors['no_ack'] = noAck;
  const expected = (acks ? sent - failedSends : sent) * fanOut;
  const notDelivered = Math.max(0, expected - delivered);
  if (notDelivered > 0) errors['not_delivered'] = notDelivered;
  const errorRate = Math.max((failedSends + noAck) / Math.max(1, sent), notDelivered / Math.max(1, expected));
  const receive = latency(merge(counts.map((c) => c.receive)));
  const seconds = sent / rate;
  const wallMs = after.atMs - before.atMs;
  const percent = (ms: number) => (100 * ms) / wallMs;
  return {
    rate,
    fanOut,
    seconds,
    sent,
    acked: acks ? acked : null,
    delivered,
    expected,
    errors,
    errorRate,
    aborted,
    pass: !aborted && receive !== null && receive.p99 < P99_LIMIT_MS && errorRate < ERROR_LIMIT,
    acceptedPerSecond: acks ? acked / seconds : null,
    persistedPerSecond: persisted === null ? null : persisted / seconds,
    deliveredPerSecond: delivered / seconds,
    sendToReceiveMs: receive,
    sampleSendToReceiveMs: latency(merge(counts.map((c) => c.sampleReceive))),
    sendToAckMs: acks ? latency(merge(counts.map((c) => c.ack))) : null,
    stale: counts.reduce((n, c) => n + c.stale, 0),
    loadCpuPercent: percent(after.load - before.load),
    serverCpuPercent: percent(after.server - before.server),
    postgresCpuPercent: db ? percent(cpuSpentMs(before.postgres, after.postgres)) : null,
    otherCpuPercent: percent(otherCpu(before, after)),
  };
}
