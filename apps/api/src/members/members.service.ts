import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

import type { AuthorizedKeyDto, BanDto, MemberDto, MemberRolesDto } from '@mpqcht/protocol';

import { ChannelsService } from '../channels/channels.service';
import { ProtocolError } from '../common/protocol-error';
import { parseOperatorKey } from '../common/public-keys';
import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import { PushService } from '../realtime/push.service';
import type { MemberRecord, SocketSession } from '../realtime/socket-session';
import { displayNameKey } from './display-name-key';
import { MemberRosterEvents } from './member-roster-events';
import type { MemberRow } from './member-row';
import { PresenceStore } from './presence-store';
import {
  type Standing,
  standingColumns,
  standingFromRow,
  type StandingRow,
  toMemberRecord,
} from './standing';

interface BanRow {
  public_key: string;
  reason: string;
  banned_by: string;
  banned_at: Date;
}

function toBanDto(row: BanRow): BanDto {
  return {
    publicKey: row.public_key,
    reason: row.reason,
    bannedBy: row.banned_by,
    bannedAt: row.banned_at.toISOString(),
  };
}

const MEMBER_COLUMNS = `public_key AS "publicKey", display_name AS "displayName", roles, joined_at AS "joinedAt",
  authorized_at AS "authorizedAt"`;

/** A page of the member list (`members.list`, `members.subscribe`). */
export interface MembersPage {
  readonly limit?: number | undefined;
  readonly after?: { readonly joinedAt: string; readonly publicKey: string } | undefined;
}

function bannedRefusal(): ProtocolError {
  return new ProtocolError('forbidden', 'this key is banned; unban it first (members.unban)');
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

@Injectable()
export class MembersService {
  constructor(
    private readonly config: AppConfig,
    private readonly sql: Sql,
    private readonly presence: PresenceStore,
    private readonly push: PushService,
    private readonly roster: MemberRosterEvents,
    private readonly channels: ChannelsService,
    private readonly policy: ChannelPolicy,
  ) {}

  /** A key's standing at login (standing.ts), for a login that did not read it with its nonce. */
  async standing(publicKey: string): Promise<Standing> {
    const [row] = await this.sql.rows<StandingRow>(
      `SELECT ${standingColumns('$1')} FROM (VALUES (1)) AS one LEFT JOIN members ON members.public_key = $1`,
      [publicKey],
    );
    return this.standingOf(publicKey, row);
  }

  /** The standing a `standingColumns` row says (undefined: the query found no row). */
  standingOf(publicKey: string, row: StandingRow | undefined): Standing {
    return standingFromRow(row, this.config.current.rootKeys.has(publicKey));
  }

  async toDto(member: MemberRecord): Promise<MemberDto> {
    return {
      publicKey: member.publicKey,
      displayName: member.displayName,
      roles: member.roles,
      isRoot: this.config.current.rootKeys.has(member.publicKey),
      online: await this.presence.isOnline(member.publicKey),
      joinedAt: member.joinedAt.toISOString(),
    };
  }

  /** First login of an authorized key: it picks a display name, unique per server (case-insensitive). */
  async join(session: SocketSession, displayName: string): Promise<MemberRecord> {
    if (session.member) throw new ProtocolError('already_joined', 'this key has already joined');
    let rows: Omit<MemberRow, 'authorizedAt'>[];
    try {
      rows = await this.sql.rows<Omit<MemberRow, 'authorizedAt'>>(
        `INSERT INTO members AS m (public_key, display_name, display_name_key, joined_at)
         SELECT $1, $2, $4, now() WHERE $3 OR EXISTS (SELECT 1 FROM members WHERE public_key = $1)
         ON CONFLICT (public_key) DO UPDATE
           SET display_name = EXCLUDED.display_name, display_name_key = EXCLUDED.display_name_key, joined_at = now()
           WHERE m.display_name IS NULL
         RETURNING public_key AS "publicKey", display_name AS "displayName", roles, joined_at AS "joinedAt"`,
        [session.publicKey, displayName, session.isRoot, displayNameKey(displayName)],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProtocolError('display_name_taken', `the name "${displayName}" is taken on this server`);
      }
      throw error;
    }
    const row = rows[0];
    if (!row) {
      const [authorized] = await this.sql.rows<unknown>('SELECT 1 FROM members WHERE public_key = $1', [
        session.publicKey,
      ]);
      if (!authorized) throw new ProtocolError('not_a_member', 'this key is no longer authorized here');
      throw new ProtocolError('already_joined', 'this key has already joined');
    }
    const member = toMemberRecord(row);
    if (!member) throw new Error('join returned a member without a name');
    this.roster.joined(member.publicKey, member.displayName);
    return member;
  }

  /**
   * Joined members, oldest first; a page when `limit` is given, after `after`. Ordered by the join
   * time as the wire has it (milliseconds), then the key, so a cursor made from a member's
   * `joinedAt` and `publicKey` finds the next one exactly.
   */
  async list(page: MembersPage = {}): Promise<MemberDto[]> {
    const params: unknown[] = [];
    let where = 'display_name IS NOT NULL';
    if (page.after) {
      params.push(page.after.joinedAt, page.after.publicKey);
      where += ` AND (date_trunc('milliseconds', joined_at), public_key) > ($1::timestamptz, $2)`;
    }
    let limit = '';
    if (page.limit !== undefined) {
      params.push(page.limit);
      limit = ` LIMIT $${params.length}`;
    }
    const entities = await this.sql.rows<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE ${where}
       ORDER BY date_trunc('milliseconds', joined_at), public_key${limit}`,
      params,
    );
    const records = entities.flatMap((entity) => toMemberRecord(entity) ?? []);
    return Promise.all(records.map((record) => this.toDto(record)));
  }

  /**
   * Like adding a line to authorized_keys: the key may log in and join. Re-authorizing sets its
   * roles. A banned key is refused (`forbidden`) until it is unbanned; the grant rule applies to the
   * roles added or removed. The audit entry is written by the same statement.
   */
  async authorize(actor: Actor, publicKeyInput: string, roles: readonly string[]): Promise<AuthorizedKeyDto> {
    const parsed = parseOperatorKey(publicKeyInput);
    if (!parsed.ok) {
      throw new ProtocolError(
        'validation_failed',
        `publicKey: not a valid P-256 public key (${parsed.error})`,
      );
    }
    const publicKey = parsed.key.hex;
    const uniqueRoles = this.knownRoles(roles);
    const [current] = await this.sql.rows<{ roles: string[] | null; banned: boolean }>(
      `SELECT (SELECT roles FROM members WHERE public_key = $1) AS roles,
              EXISTS (SELECT 1 FROM bans WHERE public_key = $1) AS banned`,
      [publicKey],
    );
    if (current?.banned) throw bannedRefusal();
    this.policy.authorizeRoleChange(actor, current?.roles ?? null, uniqueRoles);
    const rows = await this.sql.rows<MemberRow>(
      `WITH old AS (SELECT roles FROM members WHERE public_key = $1),
       m AS (
         INSERT INTO members AS m (public_key, roles, authorized_by)
         SELECT $1::text, $2::text[], $3::text WHERE NOT EXISTS (SELECT 1 FROM bans WHERE public_key = $1)
         ON CONFLICT (public_key) DO UPDATE SET roles = EXCLUDED.roles
         RETURNING ${MEMBER_COLUMNS}),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $3::text, 'member.authorized', $1::text,
                jsonb_build_object('roles', to_jsonb($2::text[]), 'previousRoles', (SELECT to_jsonb(roles) FROM old))
         FROM m)
       SELECT * FROM m`,
      [publicKey, uniqueRoles, actor.publicKey],
    );
    const row = rows[0];
    if (!row) throw bannedRefusal(); // banned meanwhile
    const record = toMemberRecord(row);
    // A joined member's live sockets get the new rights at once (channels appear or disappear).
    if (record) await this.channels.memberRightsChanged(record);
    return { publicKey: row.publicKey, roles: row.roles, authorizedAt: row.authorizedAt.toISOString() };
  }

  /**
   * Replaces an authorized key's roles (the grant rule applies to the roles added or removed); a
   * joined member's live sockets get the new rights at once (`channels.changed`).
   */
  async setRoles(actor: Actor, publicKey: string, roles: readonly string[]): Promise<MemberRolesDto> {
    const uniqueRoles = this.knownRoles(roles);
    this.policy.authorizeMemberAction(actor, publicKey, 'setRoles');
    const [current] = await this.sql.rows<{ roles: string[] }>(
      'SELECT roles FROM members WHERE public_key = $1',
      [publicKey],
    );
    if (!current) throw new ProtocolError('not_found', 'this key is not authorized here');
    this.policy.authorizeRoleChange(actor, current.roles, uniqueRoles);
    const rows = await this.sql.rows<MemberRow>(
      `WITH m AS (
         UPDATE members SET roles = $2::text[] WHERE public_key = $1::text AND roles = $4::text[]
         RETURNING ${MEMBER_COLUMNS}),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $3::text, 'member.roles_changed', $1::text,
                jsonb_build_object('before', to_jsonb($4::text[]), 'after', to_jsonb($2::text[]))
         FROM m)
       SELECT * FROM m`,
      [publicKey, uniqueRoles, actor.publicKey, current.roles],
    );
    const row = rows[0];
    if (!row) {
      // Revoked, banned or given other roles between the read and the write.
      throw new ProtocolError('conflict', "this member's roles changed meanwhile; try again");
    }
    const record = toMemberRecord(row);
    if (record) await this.channels.memberRightsChanged(record);
    return { publicKey: row.publicKey, roles: row.roles };
  }

  /** Drops an authorized key's live sockets (`session.ended`, `kicked`); it may log in again. */
  async kick(actor: Actor, publicKey: string, reason: string | undefined): Promise<{ publicKey: string }> {
    this.policy.authorizeMemberAction(actor, publicKey, 'kick');
    const rows = await this.sql.rows<unknown>(
      `WITH m AS (SELECT public_key FROM members WHERE public_key = $1),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'member.kicked', $1::text, jsonb_strip_nulls(jsonb_build_object('reason', $3::text)) FROM m)
       SELECT 1 FROM m`,
      [publicKey, actor.publicKey, reason ?? null],
    );
    if (rows.length === 0) throw new ProtocolError('not_found', 'this key is not authorized here');
    this.push.endSessions(publicKey, {
      reason: 'kicked',
      message: reason ? `you were kicked by a moderator: ${reason}` : 'you were kicked by a moderator',
      ...(reason ? { note: reason } : {}),
    });
    return { publicKey };
  }

  /**
   * Bans a key (authorized or not): records the ban, removes the authorization and writes the audit
   * entry in one statement, then drops the key's live sockets (`session.ended`, `banned`).
   * Banning a banned key again replaces the reason, actor and time.
   */
  async ban(actor: Actor, publicKey: string, reason: string): Promise<BanDto> {
    this.policy.authorizeMemberAction(actor, publicKey, 'ban');
    const rows = await this.sql.rows<BanRow & { removed: boolean }>(
      `WITH b AS (
         INSERT INTO bans AS b (public_key, reason, banned_by) VALUES ($1::text, $2::text, $3::text)
         ON CONFLICT (public_key) DO UPDATE
           SET reason = EXCLUDED.reason, banned_by = EXCLUDED.banned_by, banned_at = now()
         RETURNING public_key, reason, banned_by, banned_at),
       d AS (DELETE FROM members WHERE public_key = $1 RETURNING roles),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $3::text, 'member.banned', $1::text,
                jsonb_build_object('reason', $2::text, 'roles', (SELECT to_jsonb(roles) FROM d)) FROM b)
       SELECT b.*, EXISTS (SELECT 1 FROM d) AS removed FROM b`,
      [publicKey, reason, actor.publicKey],
    );
    const row = rows[0];
    if (!row) throw new Error('ban returned no row');
    this.push.endSessions(publicKey, {
      reason: 'banned',
      message: `you were banned from this server: ${reason}`,
      note: reason,
    });
    if (row.removed) {
      this.roster.removed(publicKey);
      this.push.toAllMembers('member.removed', { publicKey, reason: 'banned' });
    }
    return toBanDto(row);
  }

  /** Lifts a ban; the key is not authorized again (`members.authorize` does that). */
  async unban(actor: Actor, publicKey: string): Promise<{ publicKey: string }> {
    const rows = await this.sql.rows<unknown>(
      `WITH d AS (DELETE FROM bans WHERE public_key = $1 RETURNING reason),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'member.unbanned', $1::text, jsonb_build_object('reason', d.reason) FROM d)
       SELECT 1 FROM d`,
      [publicKey, actor.publicKey],
    );
    if (rows.length === 0) throw new ProtocolError('not_found', 'this key is not banned');
    return { publicKey };
  }

  /** Every ban, newest first. */
  async bans(): Promise<BanDto[]> {
    const rows = await this.sql.rows<BanRow>(
      'SELECT public_key, reason, banned_by, banned_at FROM bans ORDER BY banned_at DESC, public_key',
    );
    return rows.map(toBanDto);
  }

  /** The roles, each once; an unknown one is `validation_failed`. */
  private knownRoles(roles: readonly string[]): string[] {
    const known = new Set(this.config.current.roles.map((r) => r.id));
    const unknown = roles.filter((r) => !known.has(r));
    if (unknown.length > 0) {
      throw new ProtocolError('validation_failed', `roles: unknown role(s) ${unknown.join(', ')}`, {
        unknown,
      });
    }
    return [...new Set(roles)];
  }

  /** Removes a key's authorization and drops its live sockets at once. */
  async revoke(actor: Actor, publicKeyHex: string): Promise<{ publicKey: string }> {
    const parsed = parseOperatorKey(publicKeyHex);
    if (!parsed.ok) throw new ProtocolError('validation_failed', 'publicKey: not a valid P-256 public key');
    const publicKey = parsed.key.hex;
    this.policy.authorizeMemberAction(actor, publicKey, 'revoke');
    const removed = await this.sql.rows<unknown>(
      `WITH d AS (DELETE FROM members WHERE public_key = $1 RETURNING roles),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'member.revoked', $1::text, jsonb_build_object('roles', to_jsonb(d.roles)) FROM d)
       SELECT 1 FROM d`,
      [publicKey, actor.publicKey],
    );
    if (removed.length === 0) throw new ProtocolError('not_found', 'this key is not authorized here');
    this.roster.removed(publicKey);
    this.push.endSessions(publicKey, {
      reason: 'revoked',
      message: 'your key was revoked by an administrator',
    });
    this.push.toAllMembers('member.removed', { publicKey, reason: 'revoked' });
    return { publicKey };
  }
}
