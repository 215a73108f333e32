import { Injectable } from '@nestjs/common';

import type { InviteCreatedDto, InviteDto, InvitePreviewDto } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import { inviteCodeHash, newInviteCode } from './invite-codes';

interface InviteRow {
  id: string;
  created_by: string;
  created_at: Date;
  max_uses: number | null;
  uses: number;
  expires_at: Date | null;
  roles: string[];
  note: string | null;
  revoked_at: Date | null;
}

const INVITE_COLUMNS = `id::text AS id, created_by, created_at, max_uses, uses, expires_at, roles, note, revoked_at`;

function toDto(row: InviteRow): InviteDto {
  return {
    id: row.id,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    maxUses: row.max_uses,
    uses: row.uses,
    expiresAt: row.expires_at?.toISOString() ?? null,
    roles: row.roles,
    note: row.note,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export interface CreateInvite {
  readonly maxUses?: number | undefined;
  readonly expiresInMs?: number | undefined;
  readonly roles: readonly string[];
  readonly note?: string | undefined;
}

/** What a redemption did: the key is now authorized with `roles`. */
export interface Redemption {
  readonly publicKey: string;
  readonly roles: readonly string[];
}

/**
 * Invite codes (docs/protocol.md, Invites). Codes are stored only as SHA-256 hashes; every change
 * writes its audit entry in the same SQL statement.
 */
@Injectable()
export class InvitesService {
  constructor(
    private readonly config: AppConfig,
    private readonly sql: Sql,
    private readonly policy: ChannelPolicy,
  ) {}

  /** A new code; the roles it grants must pass the grant rule for the creator (as members.authorize). */
  async create(actor: Actor, request: CreateInvite): Promise<InviteCreatedDto> {
    const roles = this.knownRoles(request.roles);
    this.policy.authorizeRoleChange(actor, null, roles);
    const code = newInviteCode();
    const rows = await this.sql.rows<InviteRow>(
      `WITH i AS (
         INSERT INTO invites (code_hash, created_by, max_uses, expires_at, roles, note)
         VALUES ($1, $2::text, $3::integer,
                 CASE WHEN $4::bigint IS NULL THEN NULL ELSE now() + $4::bigint * interval '1 millisecond' END,
                 $5::text[], $6::text)
         RETURNING ${INVITE_COLUMNS}),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'invite.created', i.id, jsonb_strip_nulls(jsonb_build_object(
                  'roles', to_jsonb(i.roles), 'maxUses', i.max_uses, 'expiresAt', i.expires_at, 'note', i.note))
         FROM i)
       SELECT * FROM i`,
      [
        inviteCodeHash(code),
        actor.publicKey,
        request.maxUses ?? null,
        request.expiresInMs ?? null,
        roles,
        request.note ?? null,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('invite insert returned no row');
    return { ...toDto(row), code };
  }

  /** Every invite, newest first, revoked and used-up ones included. */
  async list(): Promise<InviteDto[]> {
    const rows = await this.sql.rows<InviteRow>(
      `SELECT ${INVITE_COLUMNS} FROM invites ORDER BY invites.id DESC`,
    );
    return rows.map(toDto);
  }

  /** Revokes a live invite, named by its code or its id (`not_found` if there is none or it is revoked). */
  async revoke(actor: Actor, by: { code?: string | undefined; id?: string | undefined }): Promise<InviteDto> {
    const rows = await this.sql.rows<InviteRow>(
      `WITH i AS (
         UPDATE invites SET revoked_at = now()
         WHERE revoked_at IS NULL AND (code_hash = $1 OR id = $2::bigint)
         RETURNING ${INVITE_COLUMNS}),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $3::text, 'invite.revoked', i.id, jsonb_build_object('uses', i.uses, 'roles', to_jsonb(i.roles))
         FROM i)
       SELECT * FROM i`,
      [by.code === undefined ? null : inviteCodeHash(by.code), by.id ?? null, actor.publicKey],
    );
    const row = rows[0];
    if (!row) throw new ProtocolError('not_found', 'no such live invite');
    return toDto(row);
  }

  /**
   * What the invite page shows before logging in (`GET /api/invites/:code`): the server's name, who
   * made the invite, when it expires and how many uses it has left. Only a live invite has one;
   * unknown, revoked, expired and used-up codes are all `not_found`, so a preview tells nothing
   * about codes that do not admit anyone.
   */
  async preview(code: string): Promise<InvitePreviewDto> {
    const [row] = await this.sql.rows<{
      expires_at: Date | null;
      uses_left: number | null;
      inviter: string | null;
    }>(
      `SELECT i.expires_at, i.max_uses - i.uses AS uses_left, m.display_name AS inviter
       FROM invites i LEFT JOIN members m ON m.public_key = i.created_by
       WHERE i.code_hash = $1 AND i.revoked_at IS NULL
         AND (i.expires_at IS NULL OR i.expires_at > now())
         AND (i.max_uses IS NULL OR i.uses < i.max_uses)`,
      [inviteCodeHash(code)],
    );
    if (!row) throw new ProtocolError('not_found', 'this invite is unknown, expired, revoked or used up');
    return {
      serverName: this.config.current.serverName,
      inviter: row.inviter,
      expiresAt: row.expires_at?.toISOString() ?? null,
      usesLeft: row.uses_left,
    };
  }

  /**
   * Redeems a code for a key that is not admitted, in one statement: the use is counted only while
   * the invite is live (not revoked, not expired, uses below max_uses), the key is not banned and
   * not authorized yet; the authorization (with the invite's roles) and the audit entry are
   * inserted by the same statement. Concurrent redemptions of one invite serialize on its row, so
   * exactly max_uses of them succeed. null: the code does not admit this key.
   */
  async redeem(publicKey: string, code: string): Promise<Redemption | null> {
    const rows = await this.sql.rows<{ public_key: string; roles: string[] }>(
      `WITH i AS (
         UPDATE invites SET uses = uses + 1
         WHERE code_hash = $1 AND revoked_at IS NULL
           AND (expires_at IS NULL OR expires_at > now())
           AND (max_uses IS NULL OR uses < max_uses)
           AND NOT EXISTS (SELECT 1 FROM bans WHERE public_key = $2::text)
           AND NOT EXISTS (SELECT 1 FROM members WHERE public_key = $2::text)
         RETURNING id, roles, created_by),
       m AS (
         INSERT INTO members (public_key, roles, authorized_by)
         SELECT $2::text, i.roles, i.created_by FROM i
         RETURNING public_key, roles),
       a AS (
         INSERT INTO audit_log (actor_key, action, target, details)
         SELECT $2::text, 'invite.redeemed', i.id, jsonb_build_object('publicKey', $2::text, 'roles', to_jsonb(i.roles))
         FROM i)
       SELECT public_key, roles FROM m`,
      [inviteCodeHash(code), publicKey],
    );
    const row = rows[0];
    return row ? { publicKey: row.public_key, roles: row.roles } : null;
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
}
