import type { ServerPermission } from './model';

/*
 * Who may act on whose key. The api enforces this (ChannelPolicy.authorizeMemberAction) and the web
 * client offers only what it allows (the member panel), so both read it from here.
 */

/** What one member can do to another member's key over the protocol. */
export const MEMBER_ACTIONS = ['setRoles', 'kick', 'ban', 'revoke'] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

/** The server permission each action needs (`members.setRoles`, `members.kick`, ...). */
export const MEMBER_ACTION_PERMISSIONS: Readonly<Record<MemberAction, ServerPermission>> = Object.freeze({
  setRoles: 'manage_roles',
  kick: 'kick',
  ban: 'ban',
  revoke: 'manage_members',
});

/** One side of a member action: a key (canonical hex) and whether it is a root key of config.toml. */
export interface MemberActionParty {
  readonly publicKey: string;
  readonly isRoot: boolean;
}

/**
 * Why `actor` may not take `action` on `target`, whatever permissions it holds: `self`, nobody kicks
 * or bans themselves; `root`, root keys live in config.toml, so they cannot be kicked, banned or
 * revoked, and only a root sets a root's roles. `null` when who the two are allows it; the action's
 * server permission (`MEMBER_ACTION_PERMISSIONS`) is a separate check.
 */
export function memberActionRefusal(
  action: MemberAction,
  actor: MemberActionParty,
  target: MemberActionParty,
): 'self' | 'root' | null {
  if ((action === 'kick' || action === 'ban') && target.publicKey === actor.publicKey) return 'self';
  if (target.isRoot && !(action === 'setRoles' && actor.isRoot)) return 'root';
  return null;
}
