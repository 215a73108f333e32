import type { ServerPermission } from '@mpqcht/permissions';

import type { ServerSession } from '../connection/server-session';

/** The sections of a server's settings view, in the order of its tabs. */
export const SETTINGS_SECTIONS = ['invites', 'members', 'bans', 'audit', 'config'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

/** The server permission that shows each section (the server still decides every request). */
export const SECTION_PERMISSIONS: Readonly<Record<SettingsSection, ServerPermission>> = {
  invites: 'invite',
  members: 'manage_members',
  bans: 'ban',
  audit: 'view_audit_log',
  config: 'manage_config',
};

export const SECTION_LABELS: Readonly<Record<SettingsSection, string>> = {
  invites: 'Invites',
  members: 'Members',
  bans: 'Bans',
  audit: 'Audit log',
  config: 'config.toml',
};

/**
 * The sections this member may open, from the permissions `session.get` reported. None before the
 * member has joined (a key that has not picked a name yet administers nothing from here).
 */
export function settingsSections(session: ServerSession): SettingsSection[] {
  if (session.self() === null) return [];
  return SETTINGS_SECTIONS.filter((section) => session.can(SECTION_PERMISSIONS[section]));
}
