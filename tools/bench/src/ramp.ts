/**
 * Connections ramp: 0 → 1,000 → 2,000 → 5,000 receivers (for mpqcht: logged in and joined), the
 * server's RSS after each level has settled, login handshakes per second and their latency.
 */
import { nowMs } from './clock';
import type { Latency } from './histogram';
import type { Counts } from './ipc';
import type { Load } from './load';
import { split } from './pool';
import { logLine, progressLine } from './progress';
import { cpuSpentMs, cpuTimes, machineBusyMs, rssMb, sleep, totalCpuMs, totalPssMb } from './system';

export interface RampLevel {
  /** The level asked for, and the connections open when it was measured (fewer: out of time or failures). */
  readonly target: number;
  readonly connections: number;
  readonly rssMb: number;
  /** mpqcht: PSS of the PostgreSQL processes serving it. */
  readonly postgresPssMb: number | null;
  /** Connections opened per second while ramping up to this level (for mpqcht: login + join). */
  readonly handshakesPerSecond: number;
  readonly handshakeMs: Latency | null;
  readonly setupMs: Latency | null;
  readonly failed: Counts;
  readonly loadCpuPercent: number;
  readonly serverCpuPercent: number;
  /** Other processes meanwhile (noise), % of one core. */
  readonly otherCpuPercent: number;
}

export interface Ramp {
  readonly start: RampLevel;
  readonly levels: RampLevel[];
  /** (RSS at the last level − RSS at 0) per 1,000 connections. */
  readonly rssPer1000Mb: number;
}

export interface RampSettings {
  readonly levels: readonly number[];
  /** The whole ramp's time budget: past it no new connection is tried and the ramp stops there. */
  readonly maxSeconds: number;
  /** Silence on every connection before RSS is read (the server done with the level's pushes). */
  readonly settleMs: number;
}

/** Connections each worker opens over the whole ramp (the ramp splits each level's increase). */
export function rampConnections(levels: readonly number[], workers: number): number[] {
  const total = Array.from({ length: workers }, () => 0);
  let previous = 0;
  for (const level of levels) {
    split(Math.max(0, level - previous), workers).forEach((n, w) => (total[w] = (total[w] ?? 0) + n));
    previous = Math.max(previous, level);
  }
  return total;
}

async function memory(load: Load): Promise<{ rssMb: number; postgresPssMb: number | null }> {
  const pids = await load.server.postgresPids();
  return {
    rssMb: rssMb(load.server.process.pid),
    postgresPssMb: load.spec.kind === 'mpqcht' ? totalPssMb(pids) : null,
  };
}

export async function runRamp(load: Load, settings: RampSettings, name: string): Promise<Ramp> {
  await sleep(settings.settleMs);
  const start: RampLevel = {
    target: 0,
    connections: 0,
    ...(await memory(load)),
    handshakesPerSecond: Number.NaN,
    handshakeMs: null,
    setupMs: null,
    failed: {},
    loadCpuPercent: Number.NaN,
    serverCpuPercent: Number.NaN,
    otherCpuPercent: Number.NaN,
  };
  const levels: RampLevel[] = [];
  const deadlineMs = nowMs() + settings.maxSeconds * 1000;
  for (const level of settings.levels) {
    const more = level - load.receivers;
    if (more <= 0) continue;
    progressLine(`${name}: ramp to ${level} connections`);
    const t0 = nowMs();
    const load0 = totalCpuMs([...load.pool.pids, process.pid]);
    const server0 = totalCpuMs([load.server.process.pid]);
    const postgres0 = cpuTimes(await load.server.postgresPids());
    const machine0 = machineBusyMs();
    const opened = await load.open('minimal', split(more, load.pool.size), deadlineMs);
    const wallMs = nowMs() - t0;
    const loadCpu = totalCpuMs([...load.pool.pids, process.pid]) - load0;
    const serverCpu = totalCpuMs([load.server.process.pid]) - server0;
    const postgresCpu = cpuSpentMs(postgres0, cpuTimes(await load.server.postgresPids()));
    const otherCpu = Math.max(0, machineBusyMs() - machine0 - loadCpu - serverCpu - postgresCpu);
    await load.quiet(settings.settleMs, 60_000);
    await sleep(settings.settleMs);
    const result: RampLevel = {
      target: level,
      connections: load.receivers,
      ...(await memory(load)),
      handshakesPerSecond: (opened.opened * 1000) / opened.elapsedMs,
      handshakeMs: opened.handshake,
      setupMs: opened.setup,
      failed: opened.failed,
      loadCpuPercent: (100 * loadCpu) / wallMs,
      serverCpuPercent: (100 * serverCpu) / wallMs,
      otherCpuPercent: (100 * otherCpu) / wallMs,
    };
    levels.push(result);
    if (nowMs() >= deadlineMs) {
      logLine(
        `${name}: the ramp's ${settings.maxSeconds} s are up at ${load.receivers} of ${level} connections`,
      );
      break;
    }
    const failures = Object.entries(opened.failed).map(([code, n]) => `${code} ${n}`);
    logLine(
      `${name}: ${result.connections} connections, RSS ${result.rssMb.toFixed(1)} MB, ` +
        `${result.handshakesPerSecond.toFixed(0)} logins/s, handshake p99 ${opened.handshake?.p99.toFixed(1) ?? 'n/a'} ms, ` +
        `cpu load ${result.loadCpuPercent.toFixed(0)} % server ${result.serverCpuPercent.toFixed(0)} %` +
        (result.otherCpuPercent >= 10 ? ` other ${result.otherCpuPercent.toFixed(0)} % (noise)` : '') +
        (failures.length > 0 ? `, failed: ${failures.join(', ')} ${JSON.stringify(opened.examples)}` : ''),
    );
  }
  const last = levels.at(-1);
  return {
    start,
    levels,
    rssPer1000Mb: last ? ((last.rssMb - start.rssMb) * 1000) / last.connections : Number.NaN,
  };
}
