/**
 * One backlog scenario on one fresh server: readers (and for `stalled`, connections that stop
 * reading and pong blindly) in the load channel, an open-loop sender at a fixed rate, and the
 * server's RSS sampled throughout, then after the load once the server is quiet again, with a
 * `process.memoryUsage()` breakdown before and after a full GC (memory-probe.ts).
 */
import { nowMs } from '../clock';
import type { Progress } from '../ipc';
import { Load } from '../load';
import { type LoadPool, split } from '../pool';
import { logLine, progressLine } from '../progress';
import { SERVER_CORE } from '../run-target';
import { cpuMs, pin, rssMb, sleep } from '../system';
import type { TargetDefinition } from '../targets';
import { type MemoryProbe, readMemory } from './memory-probe';

export interface ScenarioSettings {
  readonly name: string;
  /** Receivers that read (socket.io-client samples first, then minimal ones). */
  readonly readers: number;
  /** Receivers that stop reading once joined. */
  readonly stalled: number;
  readonly rate: number;
  readonly bytes: number;
  readonly seconds: number;
  /** After the last delivery (or the drain limit), wait this long before the last RSS. */
  readonly settleMs: number;
}

export interface ScenarioResult {
  readonly target: string;
  readonly scenario: ScenarioSettings;
  readonly idleRssMb: number;
  readonly connectedRssMb: number;
  readonly peakRssMb: number;
  /** When the last message was due. */
  readonly endOfSendingRssMb: number;
  /** `settleMs` after the deliveries ended. */
  readonly afterRssMb: number;
  /** `LATE_MS` after the deliveries ended: whether the RSS comes down once the process is idle. */
  readonly lateRssMb: number;
  readonly memory: MemoryProbe | null;
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  /** sent × readers: what the readers should have received. */
  readonly expected: number;
  /** Connections the server logged as dropped for their backlog (mpqcht). */
  readonly dropped: number;
  readonly serverCpuPercent: number;
  readonly loadCpuPercent: number;
}

const DRAIN_LIMIT_MS = 60_000;
/** Past V8's memory reducer (its first GC comes ~8 s after allocation slows down). */
const LATE_MS = 30_000;
let nextStep = 1;

const round = (mb: number) => Math.round(mb * 10) / 10;

function sum(progress: readonly Progress[], key: keyof Progress): number {
  return progress.reduce((n, p) => n + p[key], 0);
}

export async function runScenario(
  definition: TargetDefinition,
  pool: LoadPool,
  pinned: boolean,
  settings: ScenarioSettings,
): Promise<ScenarioResult> {
  const label = `${definition.name} ${settings.name}`;
  progressLine(`${label}: starting`);
  const server = await definition.start();
  const pid = server.process.pid;
  if (pinned) pin(pid, SERVER_CORE);
  const load = new Load(pool, server);
  try {
    await server.firstMessage();
    await load.init();
    await sleep(2_000);
    const idleRssMb = round(rssMb(pid));
    const connections = 1 + settings.readers + settings.stalled;
    await load.prepareKeys(server.root(), split(connections, pool.size));
    server.root()?.close();
    await load.openSenders(1);
    await load.growReceivers(settings.readers);
    if (settings.stalled > 0) await load.open('stalled', split(settings.stalled, pool.size));
    await load.quiet(500, 60_000);
    const connectedRssMb = round(rssMb(pid));
    logLine(`${label}: ${load.receivers} readers, ${settings.stalled} stalled; RSS ${connectedRssMb} MB`);

    const total = Math.round(settings.rate * settings.seconds);
    const startAtMs = nowMs() + 50;
    const endAtMs = startAtMs + (total * 1000) / settings.rate;
    const step = nextStep++;
    const cpuBefore = { server: cpuMs(pid), load: pool.pids.reduce((n, p) => n + cpuMs(p), 0), at: nowMs() };
    await pool.all('step', (worker) => ({
      order: {
        step,
        startAtMs,
        rate: settings.rate,
        total,
        senders: 1,
        mine: load.senders[worker] ?? [],
        bytes: settings.bytes,
        streamId: load.spec.channelId,
      },
    }));
    let peakRssMb = 0;
    let endOfSendingRssMb = 0;
    let progress: Progress[] = [];
    const drainUntil = endAtMs + DRAIN_LIMIT_MS;
    while (nowMs() < drainUntil) {
      await sleep(500);
      const rss = round(rssMb(pid));
      peakRssMb = Math.max(peakRssMb, rss);
      if (endOfSendingRssMb === 0 && nowMs() >= endAtMs) endOfSendingRssMb = rss;
      progress = await pool.all('progress', {});
      const sent = sum(progress, 'sent');
      progressLine(`${label}: sent ${sent}/${total}, delivered ${sum(progress, 'delivered')}, RSS ${rss} MB`);
      const answered = sum(progress, 'acked') + sum(progress, 'failed');
      if (nowMs() >= endAtMs && answered >= sent && sum(progress, 'delivered') >= sent * load.receivers)
        break;
    }
    const wallMs = nowMs() - cpuBefore.at;
    const serverCpuPercent = (100 * (cpuMs(pid) - cpuBefore.server)) / wallMs;
    const loadCpuPercent = (100 * (pool.pids.reduce((n, p) => n + cpuMs(p), 0) - cpuBefore.load)) / wallMs;
    const counts = await pool.all('collect', {});
    await sleep(settings.settleMs);
    const afterRssMb = round(rssMb(pid));
    await sleep(Math.max(0, LATE_MS - settings.settleMs));
    const lateRssMb = round(rssMb(pid));
    const memory = await readMemory(pid, () => server.process.output());
    const sent = counts.reduce((n, c) => n + c.sent, 0);
    const result: ScenarioResult = {
      target: definition.name,
      scenario: settings,
      idleRssMb,
      connectedRssMb,
      peakRssMb,
      endOfSendingRssMb,
      afterRssMb,
      lateRssMb,
      memory,
      sent,
      acked: counts.reduce((n, c) => n + c.acked, 0),
      delivered: counts.reduce((n, c) => n + c.delivered, 0),
      expected: sent * load.receivers,
      dropped: server.process.output().split('bytes waiting to be written').length - 1,
      serverCpuPercent: Math.round(serverCpuPercent),
      loadCpuPercent: Math.round(loadCpuPercent),
    };
    logLine(`${label}: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await server.dispose();
    await load.reset();
  }
}
