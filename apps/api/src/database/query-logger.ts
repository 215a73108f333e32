import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/** Longest piece of a failed statement's SQL that is logged. */
const SQL_EXCERPT_LENGTH = 160;

/**
 * TypeORM's logging, without query parameters: TypeORM's own loggers print a failed query with
 * `-- PARAMETERS: [...]`, which holds message contents and keys (docs/operations.md promises
 * neither is logged). A failed query reaches its caller as an error anyway (answered and, if
 * unexpected, logged by the exception filter), so here it is only a debug line with the statement.
 */
export class QueryLogger implements Logger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Every statement would be noise; never logged.
  }

  logQueryError(error: string | Error, query: string): void {
    const code = typeof error === 'object' && 'code' in error ? ` (${String(error.code)})` : '';
    this.logger.debug(`query failed${code}: ${excerpt(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${excerpt(query)}`);
  }

  logSchemaBuild(): void {
    // synchronize is never on.
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

function excerpt(query: string): string {
  const oneLine = query.replace(/\s+/g, ' ').trim();
  return oneLine.length > SQL_EXCERPT_LENGTH ? `${oneLine.slice(0, SQL_EXCERPT_LENGTH)}…` : oneLine;
}
