/**
 * History page latency on a long channel: `messages` rows seeded straight into mpqcht's database
 * (database.ts), then `messages.history` pages of 50 before random cursors, from a socket.io-client
 * connection of a worker, one request at a time (latency, not throughput).
 */
import { nowMs } from './clock';
import { type Latency, latency, merge } from './histogram';
import type { Counts } from './ipc';
import type { Load } from './load';
import { logLine, progressLine } from './progress';
import { HISTORY_CHANNEL } from './servers/bench-config';
import { totalCpuMs } from './system';
import { PAGE_SIZE } from './worker/history-requests';

export interface HistorySettings {
  readonly messages: number;
  readonly requests: number;
  readonly bytes: number;
}

export interface History {
  readonly messages: number;
  readonly seedSeconds: number;
  readonly requests: number;
  readonly pageMs: Latency | null;
  readonly pagesPerSecond: number;
  readonly errors: Counts;
  readonly shortPages: number;
  readonly loadCpuPercent: number;
  readonly serverCpuPercent: number;
}

export async function measureHistory(
  load: Load,
  settings: HistorySettings,
  author: string,
): Promise<History> {
  const db = load.server.db;
  if (!db) throw new Error('history needs the database');
  progressLine(`seeding ${settings.messages} messages into #${HISTORY_CHANNEL}`);
  const t0 = nowMs();
  await db.seedMessages(HISTORY_CHANNEL, settings.messages, author, settings.bytes);
  const seedSeconds = (nowMs() - t0) / 1000;
  logLine(`seeded ${settings.messages} messages in ${seedSeconds.toFixed(1)} s (with VACUUM ANALYZE)`);
  const cursors = await db.randomCursors(HISTORY_CHANNEL, settings.requests, settings.messages, PAGE_SIZE);
  progressLine(`${settings.requests} history pages at random cursors`);
  const load0 = totalCpuMs([...load.pool.pids, process.pid]);
  const server0 = totalCpuMs([load.server.process.pid]);
  const result = await load.pool.request(0, 'history', {
    channelId: HISTORY_CHANNEL,
    cursors,
    concurrency: 1,
  });
  const loadCpu = totalCpuMs([...load.pool.pids, process.pid]) - load0;
  const serverCpu = totalCpuMs([load.server.process.pid]) - server0;
  const pageMs = latency(merge([result.latency]));
  logLine(
    `history: ${result.requests} pages, p50 ${pageMs?.p50.toFixed(2) ?? 'n/a'} ms, p99 ${pageMs?.p99.toFixed(2) ?? 'n/a'} ms`,
  );
  return {
    messages: settings.messages,
    seedSeconds,
    requests: result.requests,
    pageMs,
    pagesPerSecond: (result.requests * 1000) / result.elapsedMs,
    errors: result.errors,
    shortPages: result.shortPages,
    loadCpuPercent: (100 * loadCpu) / result.elapsedMs,
    serverCpuPercent: (100 * serverCpu) / result.elapsedMs,
  };
}
