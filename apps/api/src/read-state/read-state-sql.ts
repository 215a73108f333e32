import { type ReadStateDto, UNREAD_COUNT_CAP } from '@mpqcht/protocol';

/**
 * Read state: where a member's read marker is in a stream (a channel or a thread), and how many
 * messages after it are unread or mention them. Channels and threads count the same way.
 */
export interface ReadStateRow {
  channel_id: string;
  last_seq: string;
  last_rev: string;
  last_read_seq: string;
  last_read_message_id: string | null;
  unread: string;
  mentioned: string;
}

/**
 * Unread = messages by others after the marker, not deleted; mentioned = those of them that mention
 * the member. Both counted up to the cap. (`mentions <> '{}'` lets the partial index on mentions serve.)
 */
export const READ_STATE_SQL = `
  SELECT c.channel_id,
         coalesce(s.last_seq, 0) AS last_seq,
         coalesce(s.last_rev, 0) AS last_rev,
         coalesce(r.last_read_seq, 0) AS last_read_seq,
         r.last_read_message_id,
         (SELECT count(*) FROM (
            SELECT 1 FROM messages m
            WHERE m.channel_id = c.channel_id AND m.seq > coalesce(r.last_read_seq, 0)
              AND m.deleted_at IS NULL AND m.author_key <> $1
            LIMIT ${UNREAD_COUNT_CAP}) unread) AS unread,
         (SELECT count(*) FROM (
            SELECT 1 FROM messages m
            WHERE m.channel_id = c.channel_id AND m.seq > coalesce(r.last_read_seq, 0)
              AND m.deleted_at IS NULL AND m.author_key <> $1
              AND m.mentions <> '{}' AND m.mentions @> ARRAY[$1]::text[]
            LIMIT ${UNREAD_COUNT_CAP}) mentioned) AS mentioned
  FROM unnest($2::text[]) AS c(channel_id)
  LEFT JOIN channel_sequences s ON s.channel_id = c.channel_id
  LEFT JOIN read_markers r ON r.channel_id = c.channel_id AND r.member_key = $1`;

export function toReadState(row: ReadStateRow): ReadStateDto {
  return {
    channelId: row.channel_id,
    lastReadSeq: Number(row.last_read_seq),
    lastReadMessageId: row.last_read_message_id,
    unreadCount: Number(row.unread),
    mentionCount: Number(row.mentioned),
  };
}
