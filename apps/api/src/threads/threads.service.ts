import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import {
  type CreateThreadRequest,
  FOLLOWED_THREADS_LIMIT,
  ListThreadsRequest,
  type ThreadDeletedDto,
  type ThreadDto,
  type ThreadEntryDto,
  type ThreadPageDto,
  threadStreamId,
  type UpdateThreadRequest,
} from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { Sql } from '../database/sql';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import { noSuchChannel, noSuchMessage } from '../policy/hidden-refusals';
import type { RequestDecision } from '../policy/request-decision';
import { READ_STATE_SQL, type ReadStateRow, toReadState } from '../read-state/read-state-sql';
import { PushService } from '../realtime/push.service';
import { ThreadDirectory } from '../streams/thread-directory';
import type { ThreadRecord } from '../streams/thread-record';
import {
  THREAD_COLUMNS,
  THREAD_FROM,
  type ThreadRow,
  toThreadDto,
  toThreadRecord,
} from '../streams/thread-row';
import { decodeThreadCursor, encodeThreadCursor } from './thread-cursor';

type ListedRow = ThreadRow & { following: boolean; last_message_micros: string };

/**
 * Threads as such: starting one on a message, the list per channel, rename / lock / archive /
 * delete, following. Their messages are not here: a thread is a message stream, written and read
 * through `messages.*` like a channel (the AccessGuard decides on both alike). Every change is
 * pushed as `thread.updated` (or `thread.deleted`) to the channel's room.
 */
@Injectable()
export class ThreadsService {
  constructor(
    private readonly sql: Sql,
    private readonly push: PushService,
    private readonly directory: ThreadDirectory,
    private readonly policy: ChannelPolicy,
  ) {}

  /**
   * Starts a thread on a live message of the channel (the guard checked `create_threads` there).
   * One thread per message: `conflict` if it has one. A thread deleted earlier can be started
   * again; it starts empty (the old messages stay deleted). The creator follows it.
   */
  async create(
    actor: Actor,
    { channelId }: RequestDecision,
    request: CreateThreadRequest,
  ): Promise<ThreadEntryDto> {
    const rows = await this.sql.rows<ThreadRow>(
      `WITH t AS (
         INSERT INTO threads AS t (id, channel_id, name, creator_key)
         SELECT m.id, m.channel_id, $3, $4 FROM messages m
         WHERE m.id = $1 AND m.channel_id = $2 AND m.deleted_at IS NULL
         ON CONFLICT (id) DO UPDATE
           SET name = EXCLUDED.name, creator_key = EXCLUDED.creator_key, created_at = now(),
               message_count = 0, last_message_at = now(), participants = '{}', locked = false,
               archived_at = NULL, deleted_at = NULL
           WHERE t.deleted_at IS NOT NULL
         RETURNING t.*),
       f AS (INSERT INTO thread_followers (thread_id, member_key) SELECT id, $4 FROM t ON CONFLICT DO NOTHING)
       SELECT ${THREAD_COLUMNS} FROM t LEFT JOIN channel_sequences s ON s.channel_id = 'thread:' || t.id`,
      [request.messageId, channelId, request.name, actor.publicKey],
    );
    const row = rows[0];
    if (!row) {
      // Nothing inserted: the message is not a live one of this channel, or has a thread.
      const live = await this.sql.rows<unknown>(
        'SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2 AND deleted_at IS NULL',
        [request.messageId, channelId],
      );
      if (live.length === 0) throw noSuchMessage();
      throw new ProtocolError('conflict', 'this message already has a thread', {
        channelId: threadStreamId(request.messageId),
      });
    }
    const thread = this.changed(row);
    return { ...thread, following: true, readState: await this.readState(actor, thread.streamId) };
  }

  /** A page of the channel's threads: active first, then archived, latest activity first. */
  async list(
    actor: Actor,
    { channelId }: RequestDecision,
    request: z.output<typeof ListThreadsRequest>,
  ): Promise<ThreadPageDto> {
    const cursor = request.cursor ? decodeThreadCursor(request.cursor) : null;
    const after = cursor
      ? `AND ((t.archived_at IS NOT NULL) > $4
          OR ((t.archived_at IS NOT NULL) = $4
              AND (t.last_message_at, t.id) < ('epoch'::timestamptz + $5::bigint * interval '1 microsecond', $6::uuid)))`
      : '';
    const params: unknown[] = [channelId, request.limit + 1, actor.publicKey];
    if (cursor) params.push(cursor.archived, cursor.lastMessageMicros, cursor.id);
    const rows = await this.sql.rows<ListedRow>(
      `SELECT ${THREAD_COLUMNS}, f.member_key IS NOT NULL AS following,
              (extract(epoch FROM t.last_message_at) * 1000000)::bigint::text AS last_message_micros
       FROM ${THREAD_FROM}
       LEFT JOIN thread_followers f ON f.thread_id = t.id AND f.member_key = $3
       WHERE t.channel_id = $1 AND t.deleted_at IS NULL ${after}
       ORDER BY (t.archived_at IS NOT NULL), t.last_message_at DESC, t.id DESC
       LIMIT $2`,
      params,
    );
    const page = rows.slice(0, request.limit);
    const states = await this.readStates(
      actor,
      page.map((row) => threadStreamId(row.id)),
    );
    const last = page.at(-1);
    return {
      threads: page.map((row) => ({
        ...toThreadDto(row),
        following: row.following,
        readState: states.get(threadStreamId(row.id)) ?? emptyReadState(threadStreamId(row.id)),
      })),
      cursor:
        rows.length > request.limit && last
          ? encodeThreadCursor({
              archived: last.archived_at !== null,
              lastMessageMicros: last.last_message_micros,
              id: last.id,
            })
          : null,
    };
  }

  /**
   * The live threads the member follows in the channels they can view now, most recently active
   * first (at most FOLLOWED_THREADS_LIMIT), each with their read state: what a client counts its
   * thread badges from.
   */
  async followed(actor: Actor): Promise<ThreadEntryDto[]> {
    const rows = await this.sql.rows<ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
       JOIN thread_followers f ON f.thread_id = t.id AND f.member_key = $1
       WHERE t.deleted_at IS NULL AND t.channel_id = ANY($2::text[])
       ORDER BY t.last_message_at DESC, t.id DESC
       LIMIT $3`,
      [actor.publicKey, this.policy.visibleChannels(actor), FOLLOWED_THREADS_LIMIT],
    );
    const states = await this.readStates(
      actor,
      rows.map((row) => threadStreamId(row.id)),
    );
    return rows.map((row) => {
      const streamId = threadStreamId(row.id);
      return {
        ...toThreadDto(row),
        following: true,
        readState: states.get(streamId) ?? emptyReadState(streamId),
      };
    });
  }

  /** One thread as the member sees it (the guard found it, in a channel they can view). */
  async get(actor: Actor, decision: RequestDecision): Promise<ThreadEntryDto> {
    const thread = requireThread(decision);
    const rows = await this.sql.rows<ThreadRow & { following: boolean }>(
      `SELECT ${THREAD_COLUMNS}, f.member_key IS NOT NULL AS following FROM ${THREAD_FROM}
       LEFT JOIN thread_followers f ON f.thread_id = t.id AND f.member_key = $2
       WHERE t.id = $1 AND t.deleted_at IS NULL`,
      [thread.id, actor.publicKey],
    );
    const row = rows[0];
    if (!row) throw noSuchThread();
    return {
      ...toThreadDto(row),
      following: row.following,
      readState: await this.readState(actor, thread.streamId),
    };
  }

  /**
   * Renames (its creator, or `manage_threads`), archives or unarchives (the same), locks or unlocks
   * (`manage_threads` only). In a locked thread only `manage_threads` holders change anything.
   */
  async update(actor: Actor, decision: RequestDecision, request: UpdateThreadRequest): Promise<ThreadDto> {
    const thread = requireThread(decision);
    const manages = decision.permissions.flags.manage_threads;
    const own = thread.creator === actor.publicKey && !thread.locked;
    if (request.locked !== undefined && !manages) {
      throw new ProtocolError('forbidden', 'locking a thread needs manage_threads in its channel');
    }
    if (!manages && !own) {
      throw new ProtocolError(
        'forbidden',
        thread.locked ? 'this thread is locked' : 'only its creator or manage_threads can change a thread',
      );
    }
    const rows = await this.sql.rows<ThreadRow>(
      `WITH t AS (
         UPDATE threads t SET
           name = coalesce($2, t.name),
           locked = coalesce($3, t.locked),
           archived_at = CASE WHEN $4::boolean IS NULL THEN t.archived_at
                              WHEN $4 THEN coalesce(t.archived_at, now())
                              ELSE NULL END,
           -- Unarchived by hand: it is active again from now, or the sweep would archive it at once.
           last_message_at = CASE WHEN $4 = false AND t.archived_at IS NOT NULL
                                  THEN greatest(t.last_message_at, now()) ELSE t.last_message_at END
         WHERE t.id = $1 AND t.deleted_at IS NULL
         RETURNING t.*)
       SELECT ${THREAD_COLUMNS} FROM t LEFT JOIN channel_sequences s ON s.channel_id = 'thread:' || t.id`,
      [thread.id, request.name ?? null, request.locked ?? null, request.archived ?? null],
    );
    const row = rows[0];
    if (!row) throw noSuchThread();
    return this.changed(row);
  }

  /**
   * Deletes a thread (`manage_threads`): its messages are deleted with it (their content erased, as
   * `messages.delete` does), its followers and read markers dropped; the message it grew from stays.
   */
  async delete(actor: Actor, decision: RequestDecision): Promise<ThreadDeletedDto> {
    const thread = requireThread(decision);
    if (!decision.permissions.flags.manage_threads) {
      throw new ProtocolError('forbidden', 'deleting a thread needs manage_threads in its channel');
    }
    const row = await this.sql.transaction(async (tx) => {
      const rows = await tx.rows<ThreadRow>(
        `UPDATE threads t SET deleted_at = now() WHERE t.id = $1 AND t.deleted_at IS NULL
         RETURNING t.id, t.channel_id, t.creator_key, t.locked, t.deleted_at`,
        [thread.id],
      );
      if (rows.length === 0) return null;
      await tx.rows(
        `UPDATE messages SET content = '', mentions = '{}', deleted_at = now()
         WHERE channel_id = $1 AND deleted_at IS NULL`,
        [thread.streamId],
      );
      await tx.rows('DELETE FROM thread_followers WHERE thread_id = $1', [thread.id]);
      await tx.rows('DELETE FROM read_markers WHERE channel_id = $1', [thread.streamId]);
      await tx.rows(
        `INSERT INTO audit_log (actor_key, action, target, details) VALUES ($1, 'thread.deleted', $2, $3::jsonb)`,
        [
          actor.publicKey,
          thread.id,
          JSON.stringify({ channelId: thread.channelId, creator: thread.creator }),
        ],
      );
      return rows[0] ?? null;
    });
    if (!row) throw noSuchThread();
    this.directory.remember(toThreadRecord(row));
    const deleted: ThreadDeletedDto = {
      channelId: thread.channelId,
      streamId: thread.streamId,
      id: thread.id,
    };
    this.push.toChannel(thread.channelId, 'thread.deleted', deleted);
    return deleted;
  }

  /** Follows or unfollows; the member's other devices learn it (`thread.following`). */
  async follow(actor: Actor, decision: RequestDecision, follow: boolean): Promise<ThreadEntryDto> {
    const thread = requireThread(decision);
    await this.sql.rows(
      follow
        ? 'INSERT INTO thread_followers (thread_id, member_key) VALUES ($1, $2) ON CONFLICT DO NOTHING'
        : 'DELETE FROM thread_followers WHERE thread_id = $1 AND member_key = $2',
      [thread.id, actor.publicKey],
    );
    const entry = await this.get(actor, decision);
    this.push.toMember(actor.publicKey, 'thread.following', entry);
    return entry;
  }

  /** A thread's row changed: the directory learns it, the channel's viewers are told. */
  changed(row: ThreadRow): ThreadDto {
    this.directory.remember(toThreadRecord(row));
    const thread = toThreadDto(row);
    this.push.toChannel(thread.channelId, 'thread.updated', thread);
    return thread;
  }

  private async readState(actor: Actor, streamId: string) {
    return (await this.readStates(actor, [streamId])).get(streamId) ?? emptyReadState(streamId);
  }

  private async readStates(actor: Actor, streamIds: readonly string[]) {
    if (streamIds.length === 0) return new Map<string, ReturnType<typeof toReadState>>();
    const rows = await this.sql.rows<ReadStateRow>(READ_STATE_SQL, [actor.publicKey, streamIds]);
    return new Map(rows.map((row) => [row.channel_id, toReadState(row)]));
  }
}

function emptyReadState(streamId: string) {
  return { channelId: streamId, lastReadSeq: 0, lastReadMessageId: null, unreadCount: 0, mentionCount: 0 };
}

/** Thread requests name a thread (their schema says so); the guard found it. */
function requireThread(decision: RequestDecision): ThreadRecord {
  if (!decision.thread) throw noSuchThread();
  return decision.thread;
}

/** A thread that is gone is refused as any unknown stream is (as `noSuchChannel`). */
function noSuchThread(): ProtocolError {
  return noSuchChannel();
}
