import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import type { CatchUpPageDto, MessageDeletedDto, MessageDto } from '@mpqcht/protocol';
import type { SinceRequest } from '@mpqcht/protocol';

import { Sql } from '../database/sql';
import type { RequestDecision } from '../policy/request-decision';
import { MESSAGE_COLUMNS, type MessageRow, toDeletedDto, toMessageDto } from './message-row';

type CatchUpRow = { head: string } & (
  (MessageRow & { deleted_at: Date | null }) | { [K in keyof MessageRow]: null }
);

/**
 * `messages.since`: what changed in a channel after a change number. A socket is in the rooms of
 * its channels from the moment it connects, before it can ask, so whatever commits after this
 * query's snapshot is pushed to it and whatever committed before is in the answer: no window. What
 * is in both (committed before, pushed after) the client drops by `rev`.
 */
@Injectable()
export class CatchUpService {
  constructor(private readonly sql: Sql) {}

  /** In the channel of the AccessGuard's decision (one the member can view). */
  async since(
    { streamId }: RequestDecision,
    request: z.output<typeof SinceRequest>,
  ): Promise<CatchUpPageDto> {
    // One statement, one snapshot: the head and the page agree. The LEFT JOIN keeps one row (with
    // the head) when nothing changed.
    const rows = await this.sql.rows<CatchUpRow>(
      `SELECT h.head, m.* FROM
         (SELECT coalesce(max(last_rev), 0) AS head FROM channel_sequences WHERE channel_id = $1) h
       LEFT JOIN LATERAL (
         SELECT ${MESSAGE_COLUMNS}, deleted_at FROM messages
         WHERE channel_id = $1 AND rev > $2 ORDER BY rev LIMIT $3) m ON true`,
      [streamId, request.afterRev, request.limit + 1],
    );
    const head = Number(rows[0]?.head ?? 0);
    const changed = rows.filter(
      (row): row is CatchUpRow & MessageRow & { deleted_at: Date | null } => row.id !== null,
    );
    const hasMore = changed.length > request.limit;
    const page = changed.slice(0, request.limit);
    const messages: MessageDto[] = [];
    const deleted: MessageDeletedDto[] = [];
    for (const row of page) {
      if (row.deleted_at) deleted.push(toDeletedDto(row));
      else messages.push(toMessageDto(row));
    }
    const last = page.at(-1);
    return { messages, deleted, rev: hasMore && last ? Number(last.rev) : head, hasMore };
  }
}
