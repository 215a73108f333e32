/** How the audit log shows a detail's name (the rest are shown as they are named). */
const LABELS: Readonly<Record<string, string>> = {
  reason: 'reason',
  roles: 'roles',
  previousRoles: 'roles before',
  maxUses: 'max uses',
  expiresAt: 'expires',
  note: 'note',
  uses: 'uses',
  publicKey: 'key',
  author: 'author',
  seq: 'message number',
  oldHash: 'old hash',
  newHash: 'new hash',
  channelsAdded: 'channels added',
  channelsRemoved: 'channels removed',
  rolesAdded: 'roles added',
  rolesRemoved: 'roles removed',
  serverRenamed: 'server renamed',
  errors: 'errors',
};

const AT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One detail of an audit entry: what it is, and its value in words. */
export interface AuditDetail {
  readonly label: string;
  readonly value: string;
}

function isKey(value: string): boolean {
  return /^0[23][0-9a-f]{64}$/.test(value);
}

/** The details that hold role ids: shown by the roles' names. */
const ROLE_LISTS = new Set(['roles', 'previousRoles', 'before', 'after', 'rolesAdded', 'rolesRemoved']);

/**
 * Every detail of an audit entry, in full (nothing is cut off; the list wraps): keys become member
 * names through `nameOf`, role ids role names through `roleName`, lists are joined, times are
 * local, quotes mark what someone wrote. Roles before and after a change are one detail.
 */
export function auditDetails(
  details: Readonly<Record<string, unknown>>,
  nameOf: (publicKey: string) => string,
  roleName: (roleId: string) => string = (roleId) => roleId,
): AuditDetail[] {
  const out: AuditDetail[] = [];
  const value = (key: string, v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (Array.isArray(v)) return v.length === 0 ? '—' : v.map((item) => value(key, item)).join(', ');
    if (typeof v === 'string') {
      if (key === 'reason' || key === 'note') return `“${v}”`;
      if (key === 'expiresAt' && !Number.isNaN(Date.parse(v))) return AT.format(new Date(v));
      if (ROLE_LISTS.has(key)) return roleName(v);
      if (isKey(v)) return nameOf(v);
      return v;
    }
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (typeof v === 'number') return String(v);
    return JSON.stringify(v);
  };
  const before = details['before'];
  const after = details['after'];
  if (Array.isArray(before) && Array.isArray(after)) {
    out.push({ label: 'roles', value: `${value('roles', before)} → ${value('roles', after)}` });
  }
  if (typeof details['channelId'] === 'string') {
    out.push({ label: 'channel', value: `#${details['channelId']}` });
  }
  for (const [key, v] of Object.entries(details)) {
    if (key === 'before' || key === 'after' || key === 'channelId') continue;
    out.push({ label: LABELS[key] ?? key, value: value(key, v) });
  }
  return out;
}
