import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { THREAD_COLUMNS, type ThreadRow } from '../streams/thread-row';
import { ThreadsService } from './threads.service';

/** The sweep runs a quarter of the shortest `thread_archive_after` apart, within these bounds. */
const SWEEP_FLOOR_MS = 250;
const SWEEP_CEILING_MS = 60_000;

/**
 * Archives the threads that went `thread_archive_after` (per channel, from the current config.toml)
 * without a message, and tells the channels' viewers (`thread.updated`). One UPDATE per sweep over
 * the index of active threads by inactivity; a new message unarchives a thread (a trigger on
 * `messages`), so nothing here runs on the message path. With several api processes each sweeps;
 * the `archived_at IS NULL` condition lets one of them archive each thread.
 */
@Injectable()
export class ThreadArchiver implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ThreadArchiver.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly sql: Sql,
    private readonly config: AppConfig,
    private readonly threads: ThreadsService,
  ) {}

  onModuleInit(): void {
    this.schedule();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Archives what is due now; returns how many threads it archived. */
  async sweep(): Promise<number> {
    const channels = this.config.current.channels;
    if (channels.length === 0) return 0;
    const rows = await this.sql.rows<ThreadRow>(
      `WITH t AS (
         UPDATE threads t SET archived_at = now()
         FROM unnest($1::text[], $2::bigint[]) AS c(channel_id, after_ms)
         WHERE t.channel_id = c.channel_id AND t.archived_at IS NULL AND t.deleted_at IS NULL
           AND t.last_message_at < now() - c.after_ms * interval '1 millisecond'
         RETURNING t.*)
       SELECT ${THREAD_COLUMNS} FROM t LEFT JOIN channel_sequences s ON s.channel_id = 'thread:' || t.id`,
      [channels.map((c) => c.id), channels.map((c) => c.threadArchiveAfterMs)],
    );
    for (const row of rows) this.threads.changed(row);
    return rows.length;
  }

  private schedule(): void {
    if (this.stopped) return;
    const shortest = Math.min(...this.config.current.channels.map((c) => c.threadArchiveAfterMs));
    const delay = Math.min(SWEEP_CEILING_MS, Math.max(SWEEP_FLOOR_MS, Math.floor(shortest / 4)));
    this.timer = setTimeout(() => {
      this.sweep()
        .catch((error: unknown) => {
          // The database may be away for a moment (docs/operations.md): the next sweep catches up.
          this.logger.warn(`archiving inactive threads failed: ${String(error)}`);
        })
        .finally(() => this.schedule());
    }, delay);
    this.timer.unref();
  }
}
