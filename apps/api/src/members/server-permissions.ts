import type { CommunityConfig, ServerPermission } from '../config/community-config';
import type { SocketSession } from '../realtime/socket-session';

/** Roots hold every permission; anyone else holds the union of their roles' permissions. */
export function hasServerPermission(
  session: SocketSession,
  permission: ServerPermission,
  config: CommunityConfig,
): boolean {
  if (session.isRoot) return true;
  const roles = new Set(session.member?.roles ?? []);
  return config.roles.some((role) => roles.has(role.id) && role.permissions.includes(permission));
}
