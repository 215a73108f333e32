import type { MessageDeletedDto, MessageDto } from '@mpqcht/protocol';

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
}

export const MESSAGE_COLUMNS =
  'id, channel_id, seq, rev, author_key, client_id, content, mentions, created_at, edited_at';

export function toMessageDto(row: MessageRow): MessageDto {
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
  };
}

export function toDeletedDto(row: Pick<MessageRow, 'id' | 'channel_id' | 'seq' | 'rev'>): MessageDeletedDto {
  return { channelId: row.channel_id, messageId: row.id, seq: Number(row.seq), rev: Number(row.rev) };
}
