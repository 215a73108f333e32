import { type ThreadDto, threadStreamId } from '@mpqcht/protocol';

import type { ThreadRecord } from './thread-record';

/** A `threads` row with its stream's counters, as `THREAD_COLUMNS` selects it (bigints as strings). */
export interface ThreadRow {
  id: string;
  channel_id: string;
  name: string;
  creator_key: string;
  created_at: Date;
  message_count: number;
  last_message_at: Date;
  participants: string[];
  locked: boolean;
  archived_at: Date | null;
  deleted_at: Date | null;
  last_seq: string;
  last_rev: string;
}

/** From `threads t` joined with its stream's `channel_sequences s` (`THREAD_FROM`). */
export const THREAD_COLUMNS = `t.id, t.channel_id, t.name, t.creator_key, t.created_at, t.message_count,
  t.last_message_at, t.participants, t.locked, t.archived_at, t.deleted_at,
  coalesce(s.last_seq, 0) AS last_seq, coalesce(s.last_rev, 0) AS last_rev`;

export const THREAD_FROM = `threads t LEFT JOIN channel_sequences s ON s.channel_id = 'thread:' || t.id`;

export function toThreadDto(row: ThreadRow): ThreadDto {
  return {
    id: row.id,
    streamId: threadStreamId(row.id),
    channelId: row.channel_id,
    name: row.name,
    creator: row.creator_key,
    createdAt: row.created_at.toISOString(),
    messageCount: row.message_count,
    lastMessageAt: row.last_message_at.toISOString(),
    participants: row.participants,
    locked: row.locked,
    archived: row.archived_at !== null,
    lastSeq: Number(row.last_seq),
    lastRev: Number(row.last_rev),
  };
}

export function toThreadRecord(
  row: Pick<ThreadRow, 'id' | 'channel_id' | 'creator_key' | 'locked' | 'deleted_at'>,
): ThreadRecord {
  return {
    id: row.id,
    streamId: threadStreamId(row.id),
    channelId: row.channel_id,
    creator: row.creator_key,
    locked: row.locked,
    deleted: row.deleted_at !== null,
  };
}
