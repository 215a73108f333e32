import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/sql';
import { SEARCH_INDEXES } from './search-indexes';

/** "mpqs" in ASCII: held by the one process that builds (migrations hold "mpqc"). */
const BUILD_LOCK_ID = 0x6d707173;
/** Rows rebuilt per statement: each batch is its own short transaction. */
const BATCH_ROWS = 2_000;
/** How often a process looks again: for a changed language, or at the builder's progress. */
const CHECK_MS = 5_000;

interface IndexState {
  config: string;
  rebuilt_through: string | null;
  rebuilt: boolean;
}

/**
 * Brings the search index of `messages` up to date in the background, after start, so neither an
 * upgrade on a large database nor a change of `[search] language` blocks the api or holds a long
 * lock (docs/operations.md, Search index):
 *
 * 1. The configuration in use is the one in `search_index_state`: the trigger builds every new
 *    message's vector with it. A different `[search] language` replaces it and restarts the rebuild.
 * 2. The rows written before are rebuilt in batches of BATCH_ROWS, in id order, each batch one
 *    short transaction that also records how far it got, so a restart resumes there.
 * 3. Then the indexes are built with CREATE INDEX CONCURRENTLY (an invalid one, left by a build that
 *    was interrupted, is dropped and built again), and the table is analysed for the planner.
 *
 * With several api processes, the one holding an advisory lock builds; the others read the state.
 * Until all of it is done, search answers with `indexing: true`.
 */
@Injectable()
export class SearchIndexBuilder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SearchIndexBuilder.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | null = null;
  private isReady = false;
  private inUse: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.inUse = config.current.searchLanguage;
  }

  /** Every message is in the index, built with the configured language, and the indexes are valid. */
  get ready(): boolean {
    return this.isReady && this.inUse === this.config.current.searchLanguage;
  }

  /** The text search configuration the stored vectors are being built with: queries use the same. */
  get textSearchConfig(): string {
    return this.inUse;
  }

  onModuleInit(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now (tests and the schedule): builds if this process gets the lock, else reads the state. */
  pass(): Promise<void> {
    this.running ??= this.passOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // Once ready, only a change of language needs another pass; that is an in-memory comparison.
      const due = !this.ready;
      void (due ? this.pass() : Promise.resolve()).finally(() => this.schedule(CHECK_MS));
    }, delay);
    this.timer.unref();
  }

  private async passOnce(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [lock] = await queryRows<{ locked: boolean }>(
        runner,
        'SELECT pg_try_advisory_lock($1) AS locked',
        [BUILD_LOCK_ID],
      );
      if (!lock?.locked) {
        await this.readState(runner);
        return;
      }
      try {
        await this.build(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [BUILD_LOCK_ID]);
      }
    } catch (error) {
      // The database may be away for a moment (docs/operations.md): the next pass resumes.
      if (!this.stopped) this.logger.warn(`building the search index: ${String(error)}`);
    } finally {
      await runner.release();
    }
  }

  private async build(runner: QueryRunner): Promise<void> {
    const wanted = this.config.current.searchLanguage;
    let state = await this.state(runner);
    if (state.config !== wanted) {
      this.logger.log(`search language ${state.config} -> ${wanted}: rebuilding the search index`);
      await runner.query(
        'UPDATE search_index_state SET config = $1::regconfig, rebuilt_through = NULL, rebuilt = false',
        [wanted],
      );
      state = { config: wanted, rebuilt_through: null, rebuilt: false };
    }
    this.inUse = state.config;
    this.isReady = false;
    if (!state.rebuilt) {
      // An upgrade or a change of language: operators see when the rows are being rebuilt, and for how long.
      const startedAt = Date.now();
      this.logger.log(
        `rebuilding the search vectors ${state.rebuilt_through ? 'from where it stopped' : 'of every message'}`,
      );
      while (!state.rebuilt) {
        if (this.stopped || this.config.current.searchLanguage !== wanted) return;
        state = await this.rebuildBatch(runner);
      }
      this.logger.log(`search vectors rebuilt in ${Math.round((Date.now() - startedAt) / 1000)} s`);
    }
    let created = false;
    for (const index of SEARCH_INDEXES) created = (await this.ensureIndex(runner, index)) || created;
    if (created) await runner.query('ANALYZE messages');
    this.isReady = true;
  }

  /** Rebuilds the next BATCH_ROWS messages after the recorded position, and records the new one. */
  private async rebuildBatch(runner: QueryRunner): Promise<IndexState> {
    const rows = await queryRows<IndexState>(
      runner,
      `WITH batch AS (
         SELECT id FROM messages
         WHERE id > coalesce((SELECT rebuilt_through FROM search_index_state), '00000000-0000-0000-0000-000000000000')
         ORDER BY id LIMIT $1),
       done AS (
         UPDATE messages m
         SET search_vector = mpqcht_search_vector(s.config, m.channel_id, m.content, m.mentions),
             home_channel_id = CASE WHEN m.channel_id LIKE 'thread:%'
               THEN (SELECT t.channel_id FROM threads t WHERE t.id = substr(m.channel_id, 8)::uuid)
               ELSE m.channel_id END
         FROM batch, search_index_state s WHERE m.id = batch.id
         RETURNING m.id)
       UPDATE search_index_state
       SET rebuilt_through = coalesce((SELECT id FROM done ORDER BY id DESC LIMIT 1), rebuilt_through),
           rebuilt = (SELECT count(*) FROM done) < $1
       RETURNING config::text AS config, rebuilt_through, rebuilt`,
      [BATCH_ROWS],
    );
    const state = rows[0];
    if (!state) throw new Error('search_index_state has no row');
    return state;
  }

  /** Builds the index unless a valid one exists; true when it built one. */
  private async ensureIndex(runner: QueryRunner, index: (typeof SEARCH_INDEXES)[number]): Promise<boolean> {
    const found = await queryRows<{ valid: boolean }>(
      runner,
      `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname = $1 AND c.relnamespace = 'public'::regnamespace`,
      [index.name],
    );
    if (found[0]?.valid) return false;
    // An interrupted concurrent build leaves an invalid index behind, which is never used.
    if (found[0]) await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS ${index.name}`);
    this.logger.log(`building index ${index.name}`);
    await runner.query(`CREATE INDEX CONCURRENTLY ${index.name} ${index.definition}`);
    return true;
  }

  private async readState(runner: QueryRunner): Promise<void> {
    const state = await this.state(runner);
    const valid = await queryRows<{ n: number }>(
      runner,
      `SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname = ANY($1) AND c.relnamespace = 'public'::regnamespace AND i.indisvalid`,
      [SEARCH_INDEXES.map((index) => index.name)],
    );
    this.inUse = state.config;
    this.isReady = state.rebuilt && valid[0]?.n === SEARCH_INDEXES.length;
  }

  private async state(runner: QueryRunner): Promise<IndexState> {
    const rows = await queryRows<IndexState>(
      runner,
      'SELECT config::text AS config, rebuilt_through, rebuilt FROM search_index_state',
    );
    const state = rows[0];
    if (!state) throw new Error('search_index_state has no row');
    return state;
  }
}
