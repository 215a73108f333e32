/**
 * Message search on a large community (issue 17): `messages` messages over the search channels,
 * written by `members` members, seeded straight into mpqcht's database (seed.ts); once the api says
 * its index is built, a mix of queries (queries.ts) through `search.messages`, first one request at
 * a time, then `concurrency` requests in flight on as many connections, each timed emit → ack.
 */
import { nowMs } from '../clock';
import { type Latency, latency, merge } from '../histogram';
import type { Counts, SearchOrder, SearchRunResult } from '../ipc';
import type { Load } from '../load';
import { split } from '../pool';
import { logLine, progressLine } from '../progress';
import { SEARCH_CHANNELS } from '../servers/bench-config';
import { sleep } from '../system';
import { cpuMeter, type CpuUse } from './cpu';
import { seedMembers } from './members';
import { daysBetween, queryMix, type SearchQuerySpec } from './queries';
import { seededRandom } from './random';
import { messageRelationSizes, type RelationSize } from './relation-sizes';
import { seedCorpus } from './seed';
import { loadVocabulary } from './vocabulary';

/** The figure to report against (issue 17). */
export const TARGET_P95_MS = 15;
const INDEX_WAIT_MS = 15 * 60_000;
const SEED = 17;

export interface MessageSearchSettings {
  readonly messages: number;
  readonly members: number;
  /** Requests of the mix before measuring (fills the caches), not counted. */
  readonly warmup: number;
  /** Requests one at a time. */
  readonly sequential: number;
  /** Requests with `concurrency` in flight. */
  readonly concurrent: number;
  readonly concurrency: number;
  /** Results per page (the protocol's default). */
  readonly limit: number;
}

export interface SearchRun {
  readonly requests: number;
  readonly inFlight: number;
  readonly latencyMs: Latency | null;
  readonly perSecond: number;
  readonly errors: Counts;
  readonly errorExamples: Record<string, string>;
  /** Per kind of query: latency, mean results per page, pages with no result. */
  readonly byKind: Record<string, { latencyMs: Latency | null; meanHits: number; empty: number }>;
  readonly slowest: readonly { readonly query: string; readonly ms: number }[];
  readonly indexingAnswers: number;
  readonly cpu: CpuUse;
}

export interface MessageSearch {
  readonly messages: number;
  readonly channels: number;
  readonly members: number;
  readonly seedSeconds: number;
  /** From the end of the seeding until a search answered `indexing: false`. */
  readonly indexWaitSeconds: number;
  readonly messagesPerChannel: { readonly min: number; readonly max: number };
  readonly days: number;
  /** How many queries of each kind the measured runs sent, with an example of each. */
  readonly mix: Record<string, { count: number; example: string }>;
  readonly relationSizes: readonly RelationSize[];
  readonly targetP95Ms: number;
  readonly oneAtATime: SearchRun;
  readonly concurrent: SearchRun;
}

function mixOf(queries: readonly SearchQuerySpec[]): MessageSearch['mix'] {
  const mix: Record<string, { count: number; example: string }> = {};
  for (const { kind, query } of queries) {
    const entry = (mix[kind] ??= { count: 0, example: query });
    entry.count += 1;
  }
  return mix;
}

function summarize(results: readonly SearchRunResult[], inFlight: number, cpu: CpuUse): SearchRun {
  const errors: Counts = {};
  const errorExamples: Record<string, string> = {};
  const kinds = new Map<string, { latency: string[]; hits: number; empty: number }>();
  for (const result of results) {
    for (const [code, n] of Object.entries(result.errors)) errors[code] = (errors[code] ?? 0) + n;
    Object.assign(errorExamples, result.examples);
    for (const [name, k] of Object.entries(result.byKind)) {
      const entry = kinds.get(name) ?? { latency: [], hits: 0, empty: 0 };
      entry.latency.push(k.latency);
      entry.hits += k.hits;
      entry.empty += k.empty;
      kinds.set(name, entry);
    }
  }
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const elapsedMs = Math.max(...results.map((r) => r.elapsedMs));
  const byKind: SearchRun['byKind'] = {};
  for (const [name, k] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
    const kindLatency = latency(merge(k.latency));
    byKind[name] = { latencyMs: kindLatency, meanHits: k.hits / (kindLatency?.count ?? 1), empty: k.empty };
  }
  return {
    requests,
    inFlight,
    latencyMs: latency(merge(results.map((r) => r.latency))),
    perSecond: (requests * 1000) / elapsedMs,
    errors,
    errorExamples,
    byKind,
    slowest: results
      .flatMap((r) => r.slowest)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10),
    indexingAnswers: results.reduce((n, r) => n + r.indexing, 0),
    cpu,
  };
}

/** `queries` spread over the workers, `inFlight` lanes in all (each lane its own connection). */
async function run(load: Load, queries: readonly SearchOrder[], inFlight: number, limit: number) {
  const workers = inFlight === 1 ? 1 : load.pool.size;
  const lanes = split(inFlight, workers);
  const stop = await cpuMeter(load);
  const results = await Promise.all(
    lanes.map((n, worker) =>
      load.pool.request(worker, 'search', {
        queries: queries.filter((_, i) => i % workers === worker),
        lanes: n,
        limit,
      }),
    ),
  );
  return summarize(results, inFlight, await stop());
}

function logRun(label: string, result: SearchRun): void {
  const l = result.latencyMs;
  const errors = Object.keys(result.errors).length > 0 ? `, errors ${JSON.stringify(result.errors)}` : '';
  logLine(
    `search ${label}: ${result.requests} requests, p50 ${l?.p50.toFixed(2) ?? 'n/a'} / p95 ${l?.p95.toFixed(2) ?? 'n/a'} / p99 ${l?.p99.toFixed(2) ?? 'n/a'} ms, ${result.perSecond.toFixed(0)}/s${errors}`,
  );
}

/** Probes with one query until the api says its index is complete; throws on an error answer. */
async function waitForIndex(load: Load): Promise<void> {
  const deadline = nowMs() + INDEX_WAIT_MS;
  for (;;) {
    const probe = await load.pool.request(0, 'search', {
      queries: [{ kind: 'probe', query: 'the' }],
      lanes: 1,
      limit: 1,
    });
    // An api without search never acks (10 s per request): the part fails at once instead.
    if (Object.keys(probe.errors).length > 0) {
      throw new Error(`search.messages failed: ${JSON.stringify(probe.examples)}`);
    }
    if (probe.indexing === 0) return;
    if (nowMs() > deadline) throw new Error('search: still indexing after 15 minutes');
    progressLine('search: waiting for the api to finish its index');
    await sleep(1_000);
  }
}

export async function measureMessageSearch(
  load: Load,
  settings: MessageSearchSettings,
): Promise<MessageSearch> {
  const db = load.server.db;
  if (!db) throw new Error('search needs the database');
  const random = seededRandom(SEED);
  const vocabulary = loadVocabulary();
  const members = seedMembers(settings.members, random);
  const t0 = nowMs();
  const seeded = await seedCorpus(db, {
    count: settings.messages,
    channels: SEARCH_CHANNELS,
    members,
    vocabulary,
    random,
    onProgress: (n) => {
      progressLine(`search: seeded ${n} of ${settings.messages} messages`);
    },
  });
  const seedSeconds = (nowMs() - t0) / 1000;
  logLine(
    `search: seeded ${settings.messages} messages in ${seedSeconds.toFixed(1)} s (with VACUUM ANALYZE)`,
  );
  const t1 = nowMs();
  await waitForIndex(load);
  const indexWaitSeconds = (nowMs() - t1) / 1000;
  const relationSizes = await messageRelationSizes(db);
  logLine(`search: index ready after ${indexWaitSeconds.toFixed(1)} s; ${JSON.stringify(relationSizes)}`);

  const days = daysBetween(seeded.firstMs, seeded.lastMs);
  const context = { words: vocabulary.words, members, channels: SEARCH_CHANNELS, days, random };
  const warmup = queryMix(settings.warmup, context);
  const sequential = queryMix(settings.sequential, context);
  const concurrent = queryMix(settings.concurrent, context);
  progressLine(`search: ${settings.warmup} warm-up requests`);
  await run(load, warmup, 1, settings.limit);
  progressLine(`search: ${settings.sequential} requests one at a time`);
  const oneAtATime = await run(load, sequential, 1, settings.limit);
  logRun('one at a time', oneAtATime);
  progressLine(`search: ${settings.concurrent} requests, ${settings.concurrency} in flight`);
  const inFlight = await run(load, concurrent, settings.concurrency, settings.limit);
  logRun(`${settings.concurrency} in flight`, inFlight);
  return {
    messages: settings.messages,
    channels: SEARCH_CHANNELS.length,
    members: settings.members,
    seedSeconds,
    indexWaitSeconds,
    messagesPerChannel: { min: Math.min(...seeded.perChannel), max: Math.max(...seeded.perChannel) },
    days: days.length,
    mix: mixOf([...sequential, ...concurrent]),
    relationSizes,
    targetP95Ms: TARGET_P95_MS,
    oneAtATime,
    concurrent: inFlight,
  };
}
