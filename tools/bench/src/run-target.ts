/**
 * Everything measured on one server, in two runs of it. First: cold start, idle memory, then the
 * connections ramp; it is killed (a graceful stop of thousands of sockets measures nothing). Second:
 * a fresh one for the saturation search at each fan-out (receivers added between fan-outs; for
 * mpqcht at fan-out 100 also into a thread of the load channel, to the same receivers), then
 * for mpqcht the history pages, then memory after the load. Third, for mpqcht and only when asked
 * (`--parts=search`): a fresh one with the search channels in its config for message search.
 */
import { type ColdStart, coldStart } from './cold-start';
import { type History, measureHistory } from './history';
import { Load } from './load';
import type { Plan } from './plan';
import type { LoadPool } from './pool';
import { split } from './pool';
import { measurePow, type PowResult } from './pow/measure';
import { logLine, progressLine } from './progress';
import { type Ramp, rampConnections, runRamp } from './ramp';
import { type Saturation, searchSaturation } from './saturation';
import { measureMessageSearch, type MessageSearch } from './search/measure';
import { SEARCH_CHANNELS } from './servers/bench-config';
import type { Stream, StreamKind } from './step';
import { pin, rssMb, sleep, totalPssMb } from './system';
import type { RunningServer, StartOptions, TargetDefinition } from './targets';

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

export interface Memory {
  readonly rssMb: number;
  /** mpqcht: PSS of its PostgreSQL processes (embedded: the cluster; else the database's backends). */
  readonly postgresPssMb: number | null;
}

export interface TargetResult {
  readonly name: string;
  readonly kind: string;
  /** mpqcht: `SELECT version()` of the PostgreSQL it ran on. */
  readonly postgres: string | null;
  readonly coldStart: ColdStart;
  readonly idle: Memory;
  readonly ramp: Ramp | null;
  readonly fanOuts: Saturation[];
  readonly history: History | null;
  readonly afterLoad: Memory | null;
  /** mpqcht with `--parts=search`: message search on the seeded corpus (in a run of its own). */
  readonly search?: MessageSearch | null;
  /** mpqcht with `--parts=pow`: honest logins under floods, proof-of-work on (a run of its own). */
  readonly pow?: PowResult | null;
  /** Lines the server logged at error/warn level during the run (the first few). */
  readonly serverProblems: string[];
}

async function memory(server: RunningServer): Promise<Memory> {
  return {
    rssMb: rssMb(server.process.pid),
    postgresPssMb: server.spec.kind === 'mpqcht' ? totalPssMb(await server.postgresPids()) : null,
  };
}

function problems(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /\b(ERROR|WARN|FATAL)\b|Error:/.test(line) && !/web client is not built/.test(line))
    .slice(0, 20);
}

async function start(
  definition: TargetDefinition,
  pinned: boolean,
  options?: StartOptions,
): Promise<RunningServer> {
  progressLine(`${definition.name}: starting`);
  const server = await definition.start(options);
  if (pinned) pin(server.process.pid, SERVER_CORE);
  return server;
}

/**
 * The streams the load can be sent into on this server: its channel, and for mpqcht (when wanted)
 * a thread of it, started by the root before it disconnects. The baselines have no threads.
 */
async function loadStreams(
  server: RunningServer,
  thread: boolean,
): Promise<Partial<Record<StreamKind, Stream>>> {
  const channel: Stream = { kind: 'channel', id: server.spec.channelId };
  const root = server.root();
  if (!thread || server.spec.kind !== 'mpqcht' || !root) return { channel };
  return { channel, thread: { kind: 'thread', id: await root.startThread('bench thread') } };
}

interface Started {
  readonly server: RunningServer;
  readonly load: Load;
  readonly cold: ColdStart;
}

/** A fresh server: started, pinned, its first message delivered (mpqcht: the root logged in). */
async function startRun(
  definition: TargetDefinition,
  pool: LoadPool,
  pinned: boolean,
  options?: StartOptions,
): Promise<Started> {
  const server = await start(definition, pinned, options);
  try {
    const cold = await coldStart(server);
    const load = new Load(pool, server);
    await load.init();
    return { server, load, cold };
  } catch (error) {
    await server.dispose();
    throw error;
  }
}

async function endRun(run: Started, problemsSeen: string[]): Promise<void> {
  problemsSeen.push(...problems(run.server.process.output()));
  await run.server.dispose();
  await run.load.reset();
}

export async function runTarget(
  definition: TargetDefinition,
  plan: Plan,
  pool: LoadPool,
  pinned: boolean,
): Promise<TargetResult> {
  const name = definition.name;
  const serverProblems: string[] = [];
  let first: { cold: ColdStart; idle: Memory; postgres: string | null } | undefined;
  const measureStart = async (run: Started) => {
    if (first) return;
    const { cold } = run;
    logLine(
      `${name}: listening after ${cold.listeningMs.toFixed(0)} ms, first message after ${cold.firstMessageMs.toFixed(0)} ms`,
    );
    await sleep(plan.idleSettleMs);
    first = {
      cold,
      idle: await memory(run.server),
      postgres: run.server.db ? await run.server.db.version() : null,
    };
  };

  // Run 1: cold start, idle memory, connections ramp.
  let ramp: Ramp | null = null;
  if (plan.parts.includes('ramp')) {
    const run = await startRun(definition, pool, pinned);
    try {
      await measureStart(run);
      await run.load.prepareKeys(run.server.root(), rampConnections(plan.ramp.levels, pool.size));
      run.server.root()?.close();
      ramp = await runRamp(run.load, plan.ramp, name);
    } finally {
      await endRun(run, serverProblems);
    }
  }

  // Run 2: saturation per fan-out, history, memory after load.
  const fanOuts: Saturation[] = [];
  let history: History | null = null;
  let afterLoad: Memory | null = null;
  const saturation = plan.parts.includes('load');
  const pages = plan.parts.includes('history') && definition.kind === 'mpqcht';
  const searching = plan.parts.includes('search') && definition.kind === 'mpqcht';
  const powing = plan.parts.includes('pow') && definition.kind === 'mpqcht';
  if (saturation || pages || (!first && !searching && !powing)) {
    const run = await startRun(definition, pool, pinned);
    const { server, load } = run;
    try {
      await measureStart(run);
      const maxFanOut = saturation ? Math.max(...plan.fanOuts.map((f) => f.fanOut)) : 0;
      await load.prepareKeys(server.root(), load.planned(plan.senders, maxFanOut));
      const streams = await loadStreams(
        server,
        saturation && plan.fanOuts.some((f) => f.streams.includes('thread')),
      );
      server.root()?.close();
      await load.openSenders(plan.senders);
      for (const { fanOut, search, streams: kinds } of saturation ? plan.fanOuts : []) {
        progressLine(`${name}: ${fanOut} receivers`);
        const opened = await load.growReceivers(fanOut);
        for (const o of opened.filter((o) => Object.keys(o.failed).length > 0)) {
          logLine(
            `${name}: receivers that failed to connect: ${JSON.stringify(o.failed)} ${JSON.stringify(o.examples)}`,
          );
        }
        // The same receivers for every stream: they are in the channel, which gets its threads' pushes.
        for (const stream of kinds.flatMap((kind) => streams[kind] ?? [])) {
          await load.quiet(500, 60_000);
          fanOuts.push(await searchSaturation(load, search, name, stream));
        }
      }
      if (pages && server.rootKey) history = await measureHistory(load, plan.history, server.rootKey);
      afterLoad = await memory(server);
    } finally {
      await endRun(run, serverProblems);
    }
  }
  // Run 3: message search, on a server whose config has the search channels.
  let search: MessageSearch | null = null;
  if (searching) {
    const run = await startRun(definition, pool, pinned, { extraChannels: SEARCH_CHANNELS });
    try {
      await measureStart(run);
      const searchers = split(plan.search.concurrency, pool.size);
      await run.load.prepareKeys(run.server.root(), searchers);
      run.server.root()?.close();
      const opened = await run.load.open('searcher', searchers);
      if (opened.opened < plan.search.concurrency)
        throw new Error(`only ${opened.opened} searchers: ${JSON.stringify(opened.examples)}`);
      search = await measureMessageSearch(run.load, plan.search);
    } finally {
      await endRun(run, serverProblems);
    }
  }
  // Run 4: proof-of-work, on a server with `[pow]` on (every other run has it off: bench-config.ts).
  let pow: PowResult | null = null;
  if (powing) {
    const calm = plan.pow.calmSeconds;
    const run = await startRun(definition, pool, pinned, {
      pow: calm === undefined ? { enabled: true } : { enabled: true, calmSeconds: calm },
    });
    try {
      await measureStart(run);
      const root = run.server.root();
      if (!root) throw new Error('pow needs the root connection to authorize its members');
      pow = await measurePow(run.load, root, plan.pow, pinned ? LOAD_CORE : undefined);
    } finally {
      await endRun(run, serverProblems);
    }
  }
  if (!first) throw new Error(`${name}: nothing was measured`);
  return {
    name,
    kind: definition.kind,
    postgres: first.postgres,
    coldStart: first.cold,
    idle: first.idle,
    ramp,
    fanOuts,
    history,
    afterLoad,
    search,
    pow,
    serverProblems,
  };
}
