import { Injectable } from '@nestjs/common';
import type {
  EditMessageRequest,
  HistoryPageDto,
  MessageDeletedDto,
  MessageDto,
  SendMessageRequest,
} from '@mpqcht/protocol';
import { HistoryRequest } from '@mpqcht/protocol';
import type { z } from 'zod';
import { ChannelsService } from '../channels/channels.service';
import { Sql } from '../database/sql';
import { ProtocolError } from '../common/protocol-error';
import { ChannelPolicy, type Actor, type MessageRef } from '../policy/channel-policy';
import { PushService } from '../realtime/push.service';
import { MentionResolver } from './mention-resolver';

interface MessageRow {
  id: string;
  channel_id: string;
  seq: string;
  author_key: string;
  client_id: string;
  content: string;
  mentions: string[];
  created_at: Date;
  edited_at: Date | null;
}

const COLUMNS = 'id, channel_id, seq, author_key, client_id, content, mentions, created_at, edited_at';

function toDto(row: MessageRow): MessageDto {
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    clientId: row.client_id,
    author: row.author_key,
    content: row.content,
    mentions: row.mentions,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
  };
}

@Injectable()
export class MessagesService {
  constructor(
    private readonly sql: Sql,
    private readonly policy: ChannelPolicy,
    private readonly channels: ChannelsService,
    private readonly push: PushService,
    private readonly mentions: MentionResolver,
  ) {}

  /**
   * Stores a message and pushes it to the channel. The ack (the return value) comes after the
   * commit. A retry with the same client id returns the stored message and pushes nothing new.
   * Mentions are resolved before the call and stored with the message in the same round trip.
   * (The AccessGuard has checked that the author may write in the channel.)
   */
  async send(author: Actor, request: SendMessageRequest): Promise<MessageDto> {
    checkLength(request.content, this.policy.limits(author, request.channelId).maxMessageLength);
    const mentions = await this.mentions.resolve(request.content);
    const rows: (MessageRow & { duplicate: boolean })[] = await this.sql.rows(
      'SELECT * FROM mpqcht_post_message($1, $2, $3, $4, $5)',
      [request.channelId, author.publicKey, request.clientId, request.content, mentions],
    );
    const row = rows[0];
    if (!row) throw new Error('mpqcht_post_message returned no row');
    if (row.duplicate && row.channel_id !== request.channelId) {
      throw new ProtocolError('conflict', 'this clientId was already used for a message in another channel');
    }
    const message = toDto(row);
    if (!row.duplicate) this.push.toChannel(message.channelId, 'message.created', message);
    return message;
  }

  /**
   * Replaces the content of the author's own message, if they may still write in its channel (and
   * within their length limit there); its mentions are resolved again (an edit may add or remove
   * some).
   */
  async edit(author: Actor, request: EditMessageRequest): Promise<MessageDto> {
    const target = await this.liveMessage(request.messageId);
    const { limits } = this.policy.authorizeEdit(author, target);
    checkLength(request.content, limits.maxMessageLength);
    const mentions = await this.mentions.resolve(request.content);
    const rows = await this.sql.rows<MessageRow>(
      `UPDATE messages SET content = $3, mentions = $4, edited_at = now()
       WHERE id = $1 AND author_key = $2 AND deleted_at IS NULL RETURNING ${COLUMNS}`,
      [request.messageId, author.publicKey, request.content, mentions],
    );
    const row = rows[0];
    if (!row) throw gone(); // deleted meanwhile
    const message = toDto(row);
    this.push.toChannel(message.channelId, 'message.updated', message);
    return message;
  }

  /** Deletes the author's own message, or anyone's for a moderator of the channel. */
  async delete(actor: Actor, messageId: string): Promise<MessageDeletedDto> {
    const target = await this.liveMessage(messageId);
    // A moderator removing someone else's message is audited, in the same statement as the delete.
    const moderation = this.policy.deletion(actor, target) === 'moderation';
    const rows = await this.sql.rows<Pick<MessageRow, 'channel_id' | 'seq'>>(
      `WITH d AS (
         UPDATE messages SET content = '', mentions = '{}', deleted_at = now()
         WHERE id = $1 AND deleted_at IS NULL RETURNING channel_id, seq, author_key),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'message.removed', $1::text,
                jsonb_build_object('channelId', d.channel_id, 'author', d.author_key, 'seq', d.seq)
         FROM d WHERE $3::boolean)
       SELECT channel_id, seq FROM d`,
      [messageId, actor.publicKey, moderation],
    );
    const row = rows[0];
    if (!row) throw gone(); // deleted meanwhile
    const deleted = { channelId: row.channel_id, messageId, seq: Number(row.seq) };
    this.push.toChannel(deleted.channelId, 'message.deleted', deleted);
    return deleted;
  }

  /** A page of live (not deleted) messages, oldest first, before or after a cursor message. */
  async history(request: z.output<typeof HistoryRequest>): Promise<HistoryPageDto> {
    this.channels.requireChannel(request.channelId);
    const cursor = request.before ?? request.after;
    if (cursor) {
      const found = await this.sql.rows<unknown>('SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2', [
        cursor,
        request.channelId,
      ]);
      if (found.length === 0)
        throw new ProtocolError('not_found', 'the cursor is not a message of this channel');
    }
    const forward = request.after !== undefined;
    const condition = cursor ? (forward ? 'AND id > $3' : 'AND id < $3') : '';
    const params: unknown[] = [request.channelId, request.limit + 1];
    if (cursor) params.push(cursor);
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${COLUMNS} FROM messages
       WHERE channel_id = $1 AND deleted_at IS NULL ${condition}
       ORDER BY id ${forward ? 'ASC' : 'DESC'} LIMIT $2`,
      params,
    );
    const hasMore = rows.length > request.limit;
    const page = rows.slice(0, request.limit);
    if (!forward) page.reverse();
    return { messages: page.map(toDto), hasMore };
  }

  /** Where a message is and who wrote it; `not_found` when it does not exist or was deleted. */
  private async liveMessage(messageId: string): Promise<MessageRef> {
    const rows = await this.sql.rows<Pick<MessageRow, 'channel_id' | 'author_key'>>(
      'SELECT channel_id, author_key FROM messages WHERE id = $1 AND deleted_at IS NULL',
      [messageId],
    );
    const row = rows[0];
    if (!row) throw gone();
    return { channelId: row.channel_id, author: row.author_key };
  }
}

function gone(): ProtocolError {
  return new ProtocolError('not_found', 'no such message');
}

/** `max` is the member's limit in the channel, in Unicode code points (`message_too_long`). */
function checkLength(content: string, max: number): void {
  // Length in code points, so an emoji counts once; the UTF-16 length is an upper bound.
  if (content.length > max && Array.from(content).length > max) {
    throw new ProtocolError('message_too_long', `messages here are limited to ${max} characters`, { max });
  }
}
