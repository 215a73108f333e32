import { Injectable } from '@nestjs/common';

import { threadIdOf } from '@mpqcht/protocol';

import { Sql } from '../database/sql';
import type { ThreadRecord } from './thread-record';
import { type ThreadRow, toThreadRecord } from './thread-row';

/** Threads remembered at most; beyond, the longest remembered is forgotten (and read again if asked). */
const CAPACITY = 10_000;

/**
 * Which channel a thread belongs to and whether it is locked or deleted: asked by the AccessGuard
 * for every request that names a thread, so it is remembered in memory after the first read and
 * updated by the threads service when it changes one. Misses are not remembered (a thread created
 * a moment later must be found). One api process per community holds the only copy; when several
 * processes serve one community, a change must reach the others' directories (docs/architecture.md).
 */
@Injectable()
export class ThreadDirectory {
  private readonly known = new Map<string, ThreadRecord>();

  constructor(private readonly sql: Sql) {}

  /** The thread of a stream id; null for a channel's stream or a thread that does not exist. */
  async find(streamId: string): Promise<ThreadRecord | null> {
    const threadId = threadIdOf(streamId);
    if (!threadId) return null;
    const known = this.known.get(threadId);
    if (known) return known;
    const rows = await this.sql.rows<
      Pick<ThreadRow, 'id' | 'channel_id' | 'creator_key' | 'locked' | 'deleted_at'>
    >('SELECT id, channel_id, creator_key, locked, deleted_at FROM threads WHERE id = $1', [threadId]);
    const row = rows[0];
    if (!row) return null;
    const record = toThreadRecord(row);
    this.remember(record);
    return record;
  }

  /** A thread as it is now (created, renamed, locked, deleted). */
  remember(record: ThreadRecord): void {
    this.known.delete(record.id);
    this.known.set(record.id, record);
    if (this.known.size > CAPACITY) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }
}
