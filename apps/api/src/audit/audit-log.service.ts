import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import { type AuditAction, type AuditEntryDto, AuditListRequest, type AuditPageDto } from '@mpqcht/protocol';

import { Sql } from '../database/sql';

interface AuditRow {
  id: string;
  at: Date;
  actor_key: string;
  action: AuditAction;
  target: string;
  details: Record<string, unknown>;
}

/**
 * The audit log: an append-only table (the database refuses UPDATE, DELETE and TRUNCATE on it).
 * Entries are written by the services that act, in the same SQL statement as the action where the
 * action is a database write; this service reads them.
 */
@Injectable()
export class AuditLogService {
  constructor(private readonly sql: Sql) {}

  /**
   * Appends an entry for an action that is not itself a database write (config.toml changes);
   * other actions write their entry in the statement that performs them.
   */
  async record(
    actor: string,
    action: AuditAction,
    target: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.sql.rows(
      'INSERT INTO audit_log (actor_key, action, target, details) VALUES ($1, $2, $3, $4::jsonb)',
      [actor, action, target, JSON.stringify(details)],
    );
  }

  /** A page of entries, newest first, older than the `before` entry when given. */
  async list(request: z.output<typeof AuditListRequest>): Promise<AuditPageDto> {
    const params: unknown[] = [request.limit + 1];
    if (request.before) params.push(request.before);
    const rows = await this.sql.rows<AuditRow>(
      `SELECT id::text AS id, at, actor_key, action, target, details FROM audit_log
       ${request.before ? 'WHERE id < $2::bigint' : ''} ORDER BY audit_log.id DESC LIMIT $1`,
      params,
    );
    const hasMore = rows.length > request.limit;
    return { entries: rows.slice(0, request.limit).map(toDto), hasMore };
  }
}

function toDto(row: AuditRow): AuditEntryDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor_key,
    action: row.action,
    target: row.target,
    details: row.details,
  };
}
