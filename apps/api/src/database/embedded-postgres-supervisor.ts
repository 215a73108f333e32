import type { EmbeddedDatabaseHealthDto } from '@mpqcht/protocol';

import type { EmbeddedPostgres, PostgresExit } from './embedded-postgres';
import { postgresLogTail } from './postgres-log-tail';

/** First wait before a restart; doubled after each failed attempt, up to MAX_RESTART_DELAY_MS. */
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A cluster that ran this long before it died starts again from the first delay. */
const STABLE_AFTER_MS = 60_000;

/** Injection token of the supervisor; its value is null when the api uses DATABASE_URL. */
export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

export interface SupervisorLog {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Keeps the embedded PostgreSQL running while the api runs. Without it, a postmaster that died (a
 * full disk, an OOM kill, an operator's `kill`) stayed dead and the api answered errors until it
 * was restarted by hand. It notices the exit, logs it with the last status lines of
 * `postgres.log` (why it stopped), and starts the cluster again on the same port, so the pool
 * reconnects by itself; failed attempts are retried with a growing delay, so a cluster that cannot
 * start (the disk is still full) is not restarted in a tight loop. Meanwhile requests are answered
 * `database_unavailable` (DatabaseAvailability) and `/api/health` reports the state.
 */
export class EmbeddedPostgresSupervisor {
  private state: EmbeddedDatabaseHealthDto['state'] = 'running';
  private restarts = 0;
  private lastExit: EmbeddedDatabaseHealthDto['lastExit'] = null;
  private failedAttempts = 0;
  private runningSince = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly postgres: EmbeddedPostgres,
    private readonly logger: SupervisorLog,
  ) {
    postgres.onUnexpectedExit((exit) => {
      this.exited(exit);
    });
  }

  status(): EmbeddedDatabaseHealthDto {
    return { state: this.state, restarts: this.restarts, lastExit: this.lastExit };
  }

  /** Stops supervising and shuts the cluster down (fast shutdown). */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.timer);
    await this.postgres.stop();
  }

  private exited({ code, signal }: PostgresExit): void {
    if (this.state === 'stopped') return;
    this.state = 'restarting';
    this.lastExit = { at: new Date().toISOString(), code, signal };
    if (Date.now() - this.runningSince >= STABLE_AFTER_MS) this.failedAttempts = 0;
    const how = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
    this.logger.error(
      `embedded PostgreSQL exited unexpectedly (${how})${this.logTail()}\n` +
        `restarting it on port ${String(this.postgres.port)} in ${this.delay()} ms`,
    );
    this.schedule();
  }

  private delay(): number {
    return Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** this.failedAttempts);
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.restart(), this.delay());
  }

  private async restart(): Promise<void> {
    try {
      await this.postgres.restart();
    } catch (error) {
      if (this.state === 'stopped') return;
      this.failedAttempts += 1;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `restarting the embedded PostgreSQL failed: ${reason}${this.logTail()}\n` +
          `next attempt in ${this.delay()} ms`,
      );
      this.schedule();
      return;
    }
    if (this.state === 'stopped') {
      // stop() ran while this attempt was starting the cluster: it must not outlive the api.
      await this.postgres.stop();
      return;
    }
    this.state = 'running';
    this.restarts += 1;
    this.runningSince = Date.now();
    this.logger.log(`embedded PostgreSQL is running again (restart ${this.restarts})`);
  }

  private logTail(): string {
    const lines = postgresLogTail(this.postgres.logFile);
    return lines.length === 0
      ? ''
      : `; last lines of ${this.postgres.logFile}:\n${lines.map((l) => `  ${l}`).join('\n')}`;
  }
}
