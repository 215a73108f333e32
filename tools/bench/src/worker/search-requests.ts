/**
 * `search.messages` requests from a worker: each lane sends one request at a time on a connection
 * of its own (the way many members searching at once reach the server), the next as soon as the
 * previous one is answered; every answer is timed from the emit to the ack.
 */
import type { Socket } from 'socket.io-client';

import { nowMs } from '../clock';
import { encode, type Histogram, newHistogram, recordMs } from '../histogram';
import type { Counts, SearchOrder, SearchRunResult } from '../ipc';
import { ACK_TIMEOUT_MS, envelopeError } from './connections';

/** How many of the slowest requests come back with their query (to find the slow shapes). */
const SLOWEST = 10;

interface Answer {
  readonly error: string | null;
  readonly hits: number;
  readonly indexing: boolean;
  readonly raw: unknown;
}

async function searchOnce(socket: Socket, query: string, limit: number): Promise<Answer> {
  const envelope: unknown = await socket
    .timeout(ACK_TIMEOUT_MS)
    .emitWithAck('search.messages', { query, limit });
  const data = (envelope as { data?: { results?: unknown; indexing?: unknown } } | undefined)?.data;
  return {
    error: envelopeError(envelope),
    hits: Array.isArray(data?.results) ? data.results.length : 0,
    indexing: data?.indexing === true,
    raw: envelope,
  };
}

export async function runSearch(
  sockets: readonly Socket[],
  queries: readonly SearchOrder[],
  lanes: number,
  limit: number,
): Promise<SearchRunResult> {
  if (sockets.length < lanes) throw new Error(`${lanes} lanes need as many searchers, not ${sockets.length}`);
  const all = newHistogram();
  const kinds = new Map<string, { histogram: Histogram; hits: number; empty: number }>();
  const errors: Counts = {};
  const examples: Record<string, string> = {};
  let slowest: { query: string; ms: number }[] = [];
  let indexing = 0;
  let next = 0;
  const started = nowMs();
  const lane = async (socket: Socket) => {
    while (next < queries.length) {
      const order = queries[next++];
      if (!order) break;
      const t0 = nowMs();
      let answer: Answer;
      try {
        answer = await searchOnce(socket, order.query, limit);
      } catch {
        answer = { error: 'ack_timeout', hits: 0, indexing: false, raw: null };
      }
      const ms = nowMs() - t0;
      if (answer.error !== null) {
        errors[answer.error] = (errors[answer.error] ?? 0) + 1;
        examples[answer.error] ??= `${order.query} → ${JSON.stringify(answer.raw)}`.slice(0, 300);
        continue;
      }
      recordMs(all, ms);
      let kind = kinds.get(order.kind);
      if (!kind) kinds.set(order.kind, (kind = { histogram: newHistogram(), hits: 0, empty: 0 }));
      recordMs(kind.histogram, ms);
      kind.hits += answer.hits;
      if (answer.hits === 0) kind.empty += 1;
      if (answer.indexing) indexing += 1;
      if (slowest.length < SLOWEST || ms > (slowest[slowest.length - 1]?.ms ?? 0)) {
        slowest = [...slowest, { query: order.query, ms }].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
      }
    }
  };
  await Promise.all(sockets.slice(0, Math.max(1, lanes)).map(lane));
  return {
    requests: queries.length,
    errors,
    examples,
    latency: encode(all),
    byKind: Object.fromEntries(
      [...kinds].map(([name, k]) => [name, { latency: encode(k.histogram), hits: k.hits, empty: k.empty }]),
    ),
    indexing,
    slowest,
    elapsedMs: nowMs() - started,
  };
}
