import { Injectable } from '@nestjs/common';

import { Sql } from '../database/sql';
import { rateLimited } from '../rate-limit/rate-limited';
import type { MessageRow } from './message-row';

export interface NewMessage {
  readonly channelId: string;
  readonly author: string;
  readonly clientId: string;
  readonly content: string;
  readonly mentions: readonly string[];
}

/** A stored message; `duplicate` when the (author, client id) pair was already stored. */
export type PostedRow = MessageRow & { duplicate: boolean };

interface Pending {
  readonly message: NewMessage;
  readonly resolve: (row: PostedRow) => void;
  readonly reject: (error: unknown) => void;
}

/** One batch is at most this many sends (one statement, one transaction). */
export const MAX_BATCH = 256;
/** Batches committing at once: while one waits for its WAL flush the next is parsed and planned. */
const MAX_IN_FLIGHT = 2;
/**
 * Sends waiting for a batch beyond this are refused with `rate_limited` at once: when the database
 * cannot keep up, the process sheds load instead of queueing without bound.
 */
export const MAX_QUEUED = 4 * MAX_BATCH;
const OVERLOAD_RETRY_MS = 500;

/**
 * Group commit for sends. A send that arrives while the database is busy with earlier ones waits
 * for the next batch; every send in a batch is stored by one call of `mpqcht_post_messages`, in
 * one transaction, so the WAL is flushed once for all of them. When idle a send waits only for the
 * end of the current event-loop turn (to join the sends decoded in the same turn).
 *
 * Results come back in (channel, seq) order and are settled in that order, so the pushes that
 * follow leave in seq order within a batch.
 */
@Injectable()
export class MessageBatchWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly sql: Sql) {}

  write(message: NewMessage): Promise<PostedRow> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(rateLimited(OVERLOAD_RETRY_MS, 'the server is overloaded'));
    }
    return new Promise<PostedRow>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.schedule();
    });
  }

  /** Sends accepted but not yet committed (for a graceful shutdown to wait on). */
  pending(): number {
    return this.queue.length + this.inFlight;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async flush(batch: Pending[]): Promise<void> {
    let rows: (PostedRow & { ord: number })[];
    try {
      rows = await this.sql.rows(
        'SELECT * FROM mpqcht_post_messages($1::text[], $2::text[], $3::uuid[], $4::text[], $5::jsonb)',
        [
          batch.map((p) => p.message.channelId),
          batch.map((p) => p.message.author),
          batch.map((p) => p.message.clientId),
          batch.map((p) => p.message.content),
          JSON.stringify(batch.map((p) => p.message.mentions)),
        ],
      );
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const settled = new Set<number>();
    for (const { ord, ...row } of rows) {
      const pending = batch[ord];
      if (!pending || settled.has(ord)) continue;
      settled.add(ord);
      pending.resolve(row);
    }
    for (const [ord, pending] of batch.entries()) {
      if (!settled.has(ord)) pending.reject(new Error('mpqcht_post_messages returned no row for a send'));
    }
  }
}
