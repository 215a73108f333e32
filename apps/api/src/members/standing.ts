import type { MemberRecord } from '../realtime/socket-session';
import type { MemberRow } from './member-row';

export interface Admission {
  readonly isRoot: boolean;
  readonly member: MemberRecord | null;
}

/**
 * A key at login: its ban's reason (null: not banned; a root key from config.toml never is), and
 * whether it may log in and as whom (`admission` null: the key is neither a root nor authorized).
 */
export interface Standing {
  readonly banReason: string | null;
  readonly admission: Admission | null;
}

/** What `standingColumns` selects; with no member row the LEFT JOIN's columns are null. */
export type StandingRow = { [K in keyof MemberRow]: MemberRow[K] | null } & { banReason: string | null };

/**
 * The columns of a key's standing, for a query that LEFT JOINs `members` on `members.public_key =
 * <keyParam>`: the login reads them in the statement that consumes its nonce (one round trip).
 */
export function standingColumns(keyParam: string): string {
  return `(SELECT reason FROM bans WHERE bans.public_key = ${keyParam}) AS "banReason",
    members.public_key AS "publicKey", members.display_name AS "displayName", members.roles,
    members.joined_at AS "joinedAt", members.authorized_at AS "authorizedAt"`;
}

export function toMemberRecord(entity: Omit<MemberRow, 'authorizedAt'>): MemberRecord | null {
  if (entity.displayName === null || entity.joinedAt === null) return null;
  return {
    publicKey: entity.publicKey,
    displayName: entity.displayName,
    roles: entity.roles,
    joinedAt: entity.joinedAt,
  };
}

/** The standing a `standingColumns` row (or none) says, for a key that is a root or not. */
export function standingFromRow(row: StandingRow | undefined, isRoot: boolean): Standing {
  const entity: MemberRow | null =
    row?.publicKey && row.roles && row.authorizedAt
      ? { ...row, publicKey: row.publicKey, roles: row.roles, authorizedAt: row.authorizedAt }
      : null;
  return {
    banReason: isRoot ? null : (row?.banReason ?? null),
    admission: entity || isRoot ? { isRoot, member: entity ? toMemberRecord(entity) : null } : null,
  };
}
