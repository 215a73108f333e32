import {
  type PermissionModel,
  type PermissionSubject,
  resolveServerPermissions,
  type ServerPermission,
} from '@mpqcht/permissions';

/** The roles a change adds or removes (each once, in first-seen order); unchanged roles are left out. */
export function changedRoles(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before);
  const next = new Set(after);
  return [...new Set([...after.filter((r) => !old.has(r)), ...before.filter((r) => !next.has(r))])];
}

/**
 * The grant rule: a member may add or remove a role only if they hold every server permission that
 * role carries themselves (roots hold them all). Returns the permissions the actor lacks for the
 * changed roles, sorted; empty when the change is allowed. Role ids the model does not know carry
 * no permissions.
 */
export function missingGrantPermissions(
  model: PermissionModel,
  actor: PermissionSubject,
  roles: readonly string[],
): ServerPermission[] {
  if (actor.isRoot) return [];
  const held = resolveServerPermissions(model, actor);
  const wanted = new Set(roles);
  const missing = new Set<ServerPermission>();
  for (const role of model.roles) {
    if (!wanted.has(role.id)) continue;
    for (const permission of role.permissions) if (!held.has(permission)) missing.add(permission);
  }
  return [...missing].sort();
}
