/**
 * The pow part (issue 18, docs/performance.md "Proof of work"): on a server with `[pow]` on,
 * honest members log in at a steady rate, those coming back with their login pass, new devices
 * without (solving what they are asked), first with nothing else going on, then while a flood of
 * each kind (flood-kinds.ts) hits the server from the load core, with a calm gap between floods
 * (until the server's effort is back to 0). Per phase: the honest logins' success, rate, latency
 * and solving; the server's effort (`GET /api/auth/pow` every 500 ms); what the flood sent and
 * got; and the server's and PostgreSQL's CPU, from which the CPU per flood request (after the
 * flood's first seconds, when the effort has risen) and per honest login are derived.
 */
import { nowMs } from '../clock';
import { type Latency, latency, merge } from '../histogram';
import type { Counts, HonestResult } from '../ipc';
import type { Load } from '../load';
import { logLine, progressLine } from '../progress';
import type { Root } from '../root';
import { cpuMs, cpuSpentMs, cpuTimes, machineBusyMs, runQueueWaitMs, sleep, totalCpuMs } from '../system';
import {
  countsBetween,
  effortIn,
  floodMicrosPerRequest,
  microsPerLogin,
  perSecond,
  successPercent,
} from './cost';
import type { FloodKind, FloodStats } from './flood-kinds';
import { FLOOD_NICE, FloodProcess } from './flood-process';

const POLL_MS = 500;

export interface PowSettings {
  /** Honest members per kind (keys reused round-robin). */
  readonly members: number;
  /** Logins/s of members coming back (with a login pass), and of new devices (without). */
  readonly passRate: number;
  readonly freshRate: number;
  /** Each phase: the one before any flood, and each flood. */
  readonly phaseSeconds: number;
  /** A flood's first seconds (the effort rising) are left out of its per-request CPU. */
  readonly warmupSeconds: number;
  readonly floods: readonly FloodKind[];
  /** Flood connections (one request in flight on each); `valid` uses `solvingLanes`. */
  readonly lanes: number;
  readonly solvingLanes: number;
  /** `[pow] calm_seconds` of the server (undefined: the default, 10). */
  readonly calmSeconds?: number;
  /** Longest wait after a flood for the effort to fall back to 0. */
  readonly maxCalmWaitSeconds: number;
}

export interface HonestFigures {
  readonly scheduled: number;
  readonly ok: number;
  readonly successPercent: number | null;
  /** ok logins per second of the phase. */
  readonly perSecond: number;
  /** Due time → Socket.IO connected (challenge, any solving, signature, handshake). */
  readonly latencyMs: Latency | null;
  readonly solveMs: Latency | null;
  readonly solves: number;
  readonly meanHashes: number | null;
  readonly failed: Counts;
  readonly examples: Record<string, string>;
}

export interface FloodFigures {
  readonly kind: FloodKind;
  readonly attemptedPerSecond: number;
  readonly answeredPerSecond: number;
  /** Answers by code over the whole flood (`nonce`: a challenge was issued to the flood). */
  readonly codes: Counts;
  readonly errors: number;
  readonly solved: number;
  readonly hashes: number;
  /** After the warm-up: seconds, answers, and CPU per answered request (baseline subtracted). */
  readonly steadySeconds: number;
  readonly steadyAnswered: number;
  readonly steadyCodes: Counts;
  readonly serverMicrosPerRequest: number | null;
  readonly postgresMicrosPerRequest: number | null;
}

export interface CpuFigures {
  /** % of one core over the phase. */
  readonly serverPercent: number;
  readonly postgresPercent: number;
  /** Honest clients' workers and the coordinator. */
  readonly honestPercent: number;
  readonly floodPercent: number;
  readonly otherPercent: number;
  /**
   * How long the server's event loop was runnable but waiting for its core (other processes on
   * it), % of the phase: above a few per cent the phase was disturbed.
   */
  readonly serverWaitPercent: number;
}

export interface PowPhase {
  readonly name: string;
  readonly flood: FloodFigures | null;
  /** Seconds since the part started. */
  readonly startS: number;
  readonly endS: number;
  readonly pass: HonestFigures;
  readonly fresh: HonestFigures;
  readonly effort: { readonly max: number; readonly mean: number } | null;
  readonly cpu: CpuFigures;
  /** After a flood: seconds from its end until the effort was 0 again (null: not within the wait). */
  readonly calmAfterSeconds: number | null;
}

export interface PowResult {
  readonly settings: PowSettings;
  readonly floodNice: number;
  /** Server and PostgreSQL CPU per honest login with no flood (the whole phase over its logins). */
  readonly serverMicrosPerLogin: number | null;
  readonly postgresMicrosPerLogin: number | null;
  readonly phases: PowPhase[];
  /** `[seconds since the part started, effort]`, every 500 ms. */
  readonly effortTimeline: [number, number][];
}

function honestFigures(result: HonestResult, seconds: number): HonestFigures {
  return {
    scheduled: result.scheduled,
    ok: result.ok,
    successPercent: successPercent(result.ok, result.scheduled),
    perSecond: result.ok / seconds,
    latencyMs: latency(merge([result.latency])),
    solveMs: latency(merge([result.solve])),
    solves: result.solves,
    meanHashes: result.solves > 0 ? result.hashes / result.solves : null,
    failed: result.failed,
    examples: result.examples,
  };
}

/** CPU of the processes a phase involves, in ms, read at once. */
interface CpuSnapshot {
  readonly at: number;
  readonly server: number;
  readonly serverWait: number;
  readonly postgres: Map<number, number>;
  readonly honest: number;
  readonly flood: number;
  readonly machine: number;
}

class EffortPoller {
  readonly timeline: [number, number][] = [];
  private readonly timer: NodeJS.Timeout;
  latest = 0;

  constructor(url: string, origin: number) {
    this.timer = setInterval(() => {
      fetch(`${url}/api/auth/pow`, { signal: AbortSignal.timeout(POLL_MS * 4) })
        .then((response) => response.json())
        .then((body: { data?: { effort?: number } }) => {
          const effort = body.data?.effort;
          if (typeof effort !== 'number') return;
          this.latest = effort;
          this.timeline.push([Math.round(nowMs() - origin) / 1000, effort]);
        })
        .catch(() => undefined);
    }, POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export async function measurePow(
  load: Load,
  root: Root,
  settings: PowSettings,
  floodCore: number | undefined,
): Promise<PowResult> {
  const { pool, server } = load;
  const passWorker = 0;
  const freshWorker = pool.size > 1 ? 1 : 0;
  progressLine('mpqcht: pow: honest members');
  const keys = await Promise.all([
    pool.request(passWorker, 'honestKeys', { count: settings.members }),
    pool.request(freshWorker, 'honestKeys', { count: settings.members }),
  ]);
  await root.authorize(keys.flat());
  root.close();
  const pass = await pool.request(passWorker, 'honestPasses', {});
  if (!pass) throw new Error('pow: no login pass from session.get');

  const flood = FloodProcess.start(floodCore);
  const origin = nowMs();
  const poller = new EffortPoller(server.spec.url, origin);
  const seconds = (at: number) => (at - origin) / 1000;
  const snapshot = async (): Promise<CpuSnapshot> => ({
    at: nowMs(),
    server: cpuMs(server.process.pid),
    serverWait: runQueueWaitMs(server.process.pid),
    postgres: cpuTimes(await server.postgresPids()),
    honest: totalCpuMs([...pool.pids, process.pid]),
    flood: flood.pid === undefined ? 0 : cpuMs(flood.pid),
    machine: machineBusyMs(),
  });
  const postgresBetween = async (a: CpuSnapshot) =>
    cpuSpentMs(a.postgres, cpuTimes(await server.postgresPids()));
  const phases: PowPhase[] = [];
  let baselineServerMsPerSecond = 0;
  let baselinePostgresMsPerSecond = 0;
  let serverMicrosPerLogin: number | null = null;
  let postgresMicrosPerLogin: number | null = null;

  const waitCalm = async (): Promise<number | null> => {
    const started = nowMs();
    while (nowMs() - started < settings.maxCalmWaitSeconds * 1000) {
      await sleep(POLL_MS);
      if (poller.latest === 0 && poller.timeline.at(-1)?.[1] === 0) return (nowMs() - started) / 1000;
    }
    return null;
  };

  try {
    for (const kind of [null, ...settings.floods]) {
      const name = kind ?? 'before';
      progressLine(`mpqcht: pow: ${name}`);
      const durationMs = settings.phaseSeconds * 1000;
      const start = await snapshot();
      const honest = Promise.all([
        pool.request(passWorker, 'honest', { rate: settings.passRate, withPass: true, durationMs }),
        pool.request(freshWorker, 'honest', { rate: settings.freshRate, withPass: false, durationMs }),
      ]);
      let steady: {
        from: CpuSnapshot;
        to: CpuSnapshot;
        postgresMs: number;
        a: FloodStats;
        b: FloodStats;
      } | null = null;
      let total: FloodStats | undefined;
      if (kind) {
        await flood.begin({
          kind,
          port: server.process.port,
          lanes: kind === 'valid' ? settings.solvingLanes : settings.lanes,
          pass,
        });
        await sleep(settings.warmupSeconds * 1000);
        const from = await snapshot();
        const a = await flood.stats();
        await sleep(Math.max(0, start.at + durationMs - nowMs()));
        const b = await flood.stats();
        const postgresMs = await postgresBetween(from);
        const to = await snapshot();
        total = await flood.end();
        if (a && b) steady = { from, to, postgresMs, a, b };
      } else {
        await sleep(durationMs);
      }
      const end = await snapshot();
      const postgresMs = await postgresBetween(start);
      const [passResult, freshResult] = await honest;
      const wallMs = end.at - start.at;
      const serverMs = end.server - start.server;
      const honestMs = end.honest - start.honest;
      const floodMs = end.flood - start.flood;
      const otherMs = Math.max(0, end.machine - start.machine - serverMs - postgresMs - honestMs - floodMs);
      const percent = (ms: number) => (100 * ms) / wallMs;
      const phaseSeconds = wallMs / 1000;
      const passFigures = honestFigures(passResult, phaseSeconds);
      const freshFigures = honestFigures(freshResult, phaseSeconds);
      if (!kind) {
        baselineServerMsPerSecond = serverMs / phaseSeconds;
        baselinePostgresMsPerSecond = postgresMs / phaseSeconds;
        serverMicrosPerLogin = microsPerLogin(serverMs, passResult.ok + freshResult.ok);
        postgresMicrosPerLogin = microsPerLogin(postgresMs, passResult.ok + freshResult.ok);
      }
      let floodFigures: FloodFigures | null = null;
      if (kind && total) {
        const steadySeconds = steady ? (steady.to.at - steady.from.at) / 1000 : 0;
        const steadyAnswered = steady ? steady.b.answered - steady.a.answered : 0;
        floodFigures = {
          kind,
          attemptedPerSecond: perSecond(total.sent, wallMs),
          answeredPerSecond: perSecond(total.answered, wallMs),
          codes: total.codes,
          errors: total.errors,
          solved: total.solved,
          hashes: total.hashes,
          steadySeconds,
          steadyAnswered,
          steadyCodes: steady ? countsBetween(steady.a.codes, steady.b.codes) : {},
          serverMicrosPerRequest: steady
            ? floodMicrosPerRequest(
                steady.to.server - steady.from.server,
                steadySeconds,
                baselineServerMsPerSecond,
                steadyAnswered,
              )
            : null,
          postgresMicrosPerRequest: steady
            ? floodMicrosPerRequest(
                steady.postgresMs,
                steadySeconds,
                baselinePostgresMsPerSecond,
                steadyAnswered,
              )
            : null,
        };
      }
      const endS = seconds(end.at);
      const calmAfterSeconds = kind ? await waitCalm() : null;
      const phase: PowPhase = {
        name,
        flood: floodFigures,
        startS: seconds(start.at),
        endS,
        pass: passFigures,
        fresh: freshFigures,
        effort: effortIn(poller.timeline, seconds(start.at), endS),
        cpu: {
          serverPercent: percent(serverMs),
          postgresPercent: percent(postgresMs),
          honestPercent: percent(honestMs),
          floodPercent: percent(floodMs),
          otherPercent: percent(otherMs),
          serverWaitPercent: percent(end.serverWait - start.serverWait),
        },
        calmAfterSeconds,
      };
      phases.push(phase);
      logLine(describePhase(phase));
    }
  } finally {
    poller.stop();
    await flood.end().catch(() => undefined);
    await flood.close();
  }
  return {
    settings,
    floodNice: FLOOD_NICE,
    serverMicrosPerLogin,
    postgresMicrosPerLogin,
    phases,
    effortTimeline: poller.timeline,
  };
}

function describePhase(phase: PowPhase): string {
  const f = (n: number | null | undefined, digits = 0) =>
    n === null || n === undefined ? 'n/a' : n.toFixed(digits);
  const honest = (label: string, h: HonestFigures) =>
    `${label} ${h.ok}/${h.scheduled} (${f(h.perSecond, 1)}/s) p50 ${f(h.latencyMs?.p50, 1)} p99 ${f(h.latencyMs?.p99, 1)} ms` +
    (h.solves > 0 ? ` solved ${h.solves}, p50 ${f(h.solveMs?.p50)} ms` : '') +
    (Object.keys(h.failed).length > 0 ? ` failed ${JSON.stringify(h.failed)}` : '');
  const flood = phase.flood
    ? `; flood ${f(phase.flood.attemptedPerSecond)}/s sent, ${f(phase.flood.answeredPerSecond)}/s answered ${JSON.stringify(phase.flood.codes)}, ` +
      `server ${f(phase.flood.serverMicrosPerRequest)} µs/request, PostgreSQL ${f(phase.flood.postgresMicrosPerRequest)} µs`
    : '';
  return (
    `mpqcht: pow ${phase.name}: ${honest('pass', phase.pass)}; ${honest('fresh', phase.fresh)}; ` +
    `effort max ${f(phase.effort?.max)} mean ${f(phase.effort?.mean)}; ` +
    `cpu server ${f(phase.cpu.serverPercent)} % pg ${f(phase.cpu.postgresPercent)} % honest ${f(phase.cpu.honestPercent)} % ` +
    `flood ${f(phase.cpu.floodPercent)} % other ${f(phase.cpu.otherPercent)} %, server waited for its core ${f(phase.cpu.serverWaitPercent)} %${flood}` +
    (phase.flood ? `; calm again after ${f(phase.calmAfterSeconds, 1)} s` : '')
  );
}
