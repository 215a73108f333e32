import type { MessageDeletedDto, MessageDto } from '@mpqcht/protocol';

import { type ThreadRow, toThreadDto } from '../streams/thread-row';

/** A `messages` row as the message queries return it (bigints arrive as strings). */
export interface MessageRow {
  id: string;
  channel_id: string;
  seq: string;
  rev: string;
  author_key: string;
  client_id: string;
  content: string;
  mentions: string[];
  created_at: Date;
  edited_at: Date | null;
  /** With `MESSAGE_WITH_THREAD_COLUMNS`: the thread that grew from it, if any (`t_*`). */
  t_id?: string | null;
  t_name?: string;
  t_creator_key?: string;
  t_created_at?: Date;
  t_message_count?: number;
  t_last_message_at?: Date;
  t_participants?: string[];
  t_locked?: boolean;
  t_archived_at?: Date | null;
  t_last_seq?: string;
  t_last_rev?: string;
}

export const MESSAGE_COLUMNS =
  'id, channel_id, seq, rev, author_key, client_id, content, mentions, created_at, edited_at';

/** The message columns of `m`, and the summary of a live thread under it (`t_*`, null without one). */
export const MESSAGE_WITH_THREAD_COLUMNS = `m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
  m.content, m.mentions, m.created_at, m.edited_at, t.id AS t_id, t.name AS t_name,
  t.creator_key AS t_creator_key, t.created_at AS t_created_at, t.message_count AS t_message_count,
  t.last_message_at AS t_last_message_at, t.participants AS t_participants, t.locked AS t_locked,
  t.archived_at AS t_archived_at, coalesce(s.last_seq, 0) AS t_last_seq, coalesce(s.last_rev, 0) AS t_last_rev`;

export const MESSAGE_WITH_THREAD_FROM = `messages m
  LEFT JOIN threads t ON t.id = m.id AND t.deleted_at IS NULL
  LEFT JOIN channel_sequences s ON t.id IS NOT NULL AND s.channel_id = 'thread:' || t.id`;

function threadOf(row: MessageRow): ThreadRow | null {
  if (!row.t_id || row.t_name === undefined) return null;
  return {
    id: row.t_id,
    channel_id: row.channel_id,
    name: row.t_name,
    creator_key: row.t_creator_key ?? '',
    created_at: row.t_created_at ?? row.created_at,
    message_count: row.t_message_count ?? 0,
    last_message_at: row.t_last_message_at ?? row.created_at,
    participants: row.t_participants ?? [],
    locked: row.t_locked ?? false,
    archived_at: row.t_archived_at ?? null,
    deleted_at: null,
    last_seq: row.t_last_seq ?? '0',
    last_rev: row.t_last_rev ?? '0',
  };
}

export function toMessageDto(row: MessageRow): MessageDto {
  const thread = threadOf(row);
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    rev: Number(row.rev),
    clientId: row.client_id,
    author: row.author_key,
    content: row.content,
    mentions: row.mentions,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    ...(thread ? { thread: toThreadDto(thread) } : {}),
  };
}

export function toDeletedDto(row: Pick<MessageRow, 'id' | 'channel_id' | 'seq' | 'rev'>): MessageDeletedDto {
  return { channelId: row.channel_id, messageId: row.id, seq: Number(row.seq), rev: Number(row.rev) };
}
