import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import type {
  EditMessageRequest,
  HistoryPageDto,
  MessageDeletedDto,
  MessageDto,
  MessagesAroundDto,
  SendMessageRequest,
} from '@mpqcht/protocol';
import { HistoryRequest, MessagesAroundRequest } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { Sql } from '../database/sql';
import { type Actor, ChannelPolicy, type MessageRef } from '../policy/channel-policy';
import { noSuchMessage } from '../policy/hidden-refusals';
import type { RequestDecision } from '../policy/request-decision';
import { PushService } from '../realtime/push.service';
import { ThreadDirectory } from '../streams/thread-directory';
import { MentionResolver } from './mention-resolver';
import { MessageBatchWriter } from './message-batch-writer';
import {
  MESSAGE_WITH_THREAD_COLUMNS,
  MESSAGE_WITH_THREAD_FROM,
  type MessageRow,
  toDeletedDto,
  toMessageDto,
} from './message-row';

@Injectable()
export class MessagesService {
  constructor(
    private readonly sql: Sql,
    private readonly policy: ChannelPolicy,
    private readonly push: PushService,
    private readonly mentions: MentionResolver,
    private readonly writer: MessageBatchWriter,
    private readonly threads: ThreadDirectory,
  ) {}

  /**
   * Stores a message and pushes it to the channel. The ack (the return value) comes after the
   * commit. A retry with the same client id returns the stored message and pushes nothing new.
   * Mentions are resolved before and stored with the message; the store is group-committed with
   * the other sends of the moment (MessageBatchWriter). `decision` is the AccessGuard's: the
   * author may write in the stream (a channel or a thread), with these limits. A thread's messages
   * go to its channel's room: whoever can view the channel can view its threads.
   */
  async send(author: Actor, request: SendMessageRequest, decision: RequestDecision): Promise<MessageDto> {
    const { streamId, channelId, permissions } = decision;
    checkLength(request.content, permissions.limits.maxMessageLength);
    const mentions = await this.mentions.resolve(request.content);
    const row = await this.writer.write({
      channelId: streamId,
      author: author.publicKey,
      clientId: request.clientId,
      content: request.content,
      mentions,
    });
    if (row.duplicate && row.channel_id !== streamId) {
      throw new ProtocolError('conflict', 'this clientId was already used for a message in another channel');
    }
    const message = toMessageDto(row);
    if (!row.duplicate) this.push.toChannel(channelId, 'message.created', message);
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
    const rows = await this.sql.rows<MessageRow>('SELECT * FROM mpqcht_edit_message($1, $2, $3, $4)', [
      request.messageId,
      author.publicKey,
      request.content,
      mentions,
    ]);
    const row = rows[0];
    if (!row) throw noSuchMessage(); // deleted meanwhile
    const message = toMessageDto(row);
    this.push.toChannel(roomOf(target), 'message.updated', message);
    return message;
  }

  /** Deletes the author's own message, or anyone's for a moderator of the channel. */
  async delete(actor: Actor, messageId: string): Promise<MessageDeletedDto> {
    const target = await this.liveMessage(messageId);
    // A moderator removing someone else's message is audited, in the same statement as the delete.
    const moderation = this.policy.deletion(actor, target) === 'moderation';
    const rows = await this.sql.rows<Pick<MessageRow, 'channel_id' | 'seq' | 'rev'>>(
      'SELECT * FROM mpqcht_delete_message($1, $2, $3)',
      [messageId, actor.publicKey, moderation],
    );
    const row = rows[0];
    if (!row) throw noSuchMessage(); // deleted meanwhile
    const deleted = toDeletedDto({ ...row, id: messageId });
    this.push.toChannel(roomOf(target), 'message.deleted', deleted);
    return deleted;
  }

  /**
   * A page of live (not deleted) messages, oldest first, before or after a cursor message, in the
   * stream of the AccessGuard's decision (a channel or thread the member can view). A message that
   * grew a thread carries the thread's summary.
   */
  async history(
    { streamId }: RequestDecision,
    request: z.output<typeof HistoryRequest>,
  ): Promise<HistoryPageDto> {
    const cursor = request.before ?? request.after;
    if (cursor) {
      const found = await this.sql.rows<unknown>('SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2', [
        cursor,
        streamId,
      ]);
      if (found.length === 0)
        throw new ProtocolError('not_found', 'the cursor is not a message of this channel');
    }
    const forward = request.after !== undefined;
    const condition = cursor ? (forward ? 'AND m.id > $3' : 'AND m.id < $3') : '';
    const params: unknown[] = [streamId, request.limit + 1];
    if (cursor) params.push(cursor);
    const rows = await this.sql.rows<MessageRow>(
      `SELECT ${MESSAGE_WITH_THREAD_COLUMNS} FROM ${MESSAGE_WITH_THREAD_FROM}
       WHERE m.channel_id = $1 AND m.deleted_at IS NULL ${condition}
       ORDER BY m.id ${forward ? 'ASC' : 'DESC'} LIMIT $2`,
      params,
    );
    const hasMore = rows.length > request.limit;
    const page = rows.slice(0, request.limit);
    if (!forward) page.reverse();
    return { messages: page.map(toMessageDto), hasMore };
  }

  /**
   * The live message `messageId` of the decision's stream with up to `limit` live messages on each
   * side, oldest first (jump to a message). `not_found` when it is not a live message of that stream.
   */
  async around(
    { streamId }: RequestDecision,
    request: z.output<typeof MessagesAroundRequest>,
  ): Promise<MessagesAroundDto> {
    const rows = await this.sql.rows<MessageRow & { side: 'before' | 'after' }>(
      `(SELECT ${MESSAGE_WITH_THREAD_COLUMNS}, 'before' AS side FROM ${MESSAGE_WITH_THREAD_FROM}
        WHERE m.channel_id = $1 AND m.deleted_at IS NULL AND m.id < $2 ORDER BY m.id DESC LIMIT $3)
       UNION ALL
       (SELECT ${MESSAGE_WITH_THREAD_COLUMNS}, 'after' AS side FROM ${MESSAGE_WITH_THREAD_FROM}
        WHERE m.channel_id = $1 AND m.deleted_at IS NULL AND m.id >= $2 ORDER BY m.id ASC LIMIT $4)`,
      [streamId, request.messageId, request.limit + 1, request.limit + 2],
    );
    const before = rows.filter((row) => row.side === 'before');
    const after = rows.filter((row) => row.side === 'after');
    if (after[0]?.id !== request.messageId) throw noSuchMessage();
    const older = before.slice(0, request.limit).reverse();
    const newer = after.slice(0, request.limit + 1);
    return {
      messages: [...older, ...newer].map(toMessageDto),
      hasBefore: before.length > request.limit,
      hasAfter: after.length > request.limit + 1,
    };
  }

  /** Where a message is and who wrote it; `not_found` when it does not exist or was deleted. */
  private async liveMessage(messageId: string): Promise<MessageRef> {
    const rows = await this.sql.rows<Pick<MessageRow, 'channel_id' | 'author_key'>>(
      'SELECT channel_id, author_key FROM messages WHERE id = $1 AND deleted_at IS NULL',
      [messageId],
    );
    const row = rows[0];
    if (!row) throw noSuchMessage();
    const thread = await this.threads.find(row.channel_id);
    return { streamId: row.channel_id, thread, author: row.author_key };
  }
}

/** The room whose members get a message's pushes: its channel's (a thread's too). */
function roomOf(message: MessageRef): string {
  return message.thread ? message.thread.channelId : message.streamId;
}

/** `max` is the member's limit in the channel, in Unicode code points (`message_too_long`). */
function checkLength(content: string, max: number): void {
  // Length in code points, so an emoji counts once; the UTF-16 length is an upper bound.
  if (content.length > max && Array.from(content).length > max) {
    throw new ProtocolError('message_too_long', `messages here are limited to ${max} characters`, { max });
  }
}
