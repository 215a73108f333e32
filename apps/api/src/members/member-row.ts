/**
 * A `members` row as `MembersService` selects it: an authorized key (like a line of
 * authorized_keys), plus the member it became on its first join. A plain type, not an entity:
 * queries are hand-written SQL (docs/architecture.md, "Data").
 */
export interface MemberRow {
  /** Canonical public key: compressed SEC1, lowercase hex. */
  readonly publicKey: string;
  /** null until the key joins and picks a name. */
  readonly displayName: string | null;
  readonly roles: string[];
  readonly joinedAt: Date | null;
  /** Not selected by every query (the join's RETURNING leaves it out). */
  readonly authorizedAt: Date;
}
