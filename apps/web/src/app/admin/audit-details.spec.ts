import { auditDetails } from './audit-details';

const KEY = '02' + 'a'.repeat(64);
const names = (key: string) => (key === KEY ? 'Ada' : `${key.slice(0, 10)}…`);
const ROLE_NAMES: Readonly<Record<string, string>> = { staff: 'Staff', mod: 'Moderator' };
const roles = (id: string) => ROLE_NAMES[id] ?? id;

describe('auditDetails', () => {
  it('shows a role change as one detail, by the roles’ names', () => {
    expect(auditDetails({ before: [], after: ['staff', 'mod'] }, names, roles)).toEqual([
      { label: 'roles', value: '— → Staff, Moderator' },
    ]);
  });

  it('shows every detail in full: reasons quoted, keys as names, unknown details by their own name', () => {
    const reason = 'x'.repeat(400);
    expect(
      auditDetails(
        { reason, roles: null, publicKey: KEY, channelId: 'lobby', serverRenamed: true, custom: { a: 1 } },
        names,
        roles,
      ),
    ).toEqual([
      { label: 'channel', value: '#lobby' },
      { label: 'reason', value: `“${reason}”` },
      { label: 'roles', value: '—' },
      { label: 'key', value: 'Ada' },
      { label: 'server renamed', value: 'yes' },
      { label: 'custom', value: '{"a":1}' },
    ]);
  });

  it('lists config errors and changed channels whole', () => {
    expect(
      auditDetails(
        { errors: ['roles.0.color: expected #rrggbb', 'bogus: unknown key'], channelsAdded: ['news'] },
        names,
        roles,
      ),
    ).toEqual([
      { label: 'errors', value: 'roles.0.color: expected #rrggbb, bogus: unknown key' },
      { label: 'channels added', value: 'news' },
    ]);
  });
});
