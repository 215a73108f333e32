import { member, model, role, ROOT } from '../testing/model';
import { SERVER_PERMISSIONS, type ServerPermission } from './model';
import { hasServerPermission, memberColor, resolveServerPermissions, rolesOf } from './resolve';

const m = model({
  roles: [
    role('mod', { permissions: ['moderate', 'kick'], position: 20, color: '#e67e22' }),
    role('host', { permissions: ['invite', 'kick'], position: 10, color: '#2ecc71' }),
    role('auditor', { permissions: ['view_audit_log'], position: 30 }),
    role('nobody', { position: 5 }),
  ],
});

describe('resolveServerPermissions', () => {
  it('is empty for a member without roles', () => {
    expect([...resolveServerPermissions(m, member())]).toEqual([]);
  });

  it("is one role's permissions", () => {
    expect(resolveServerPermissions(m, member('mod'))).toEqual(new Set(['moderate', 'kick']));
  });

  it('is the union over several roles, each permission once', () => {
    const held = resolveServerPermissions(m, member('mod', 'host', 'auditor', 'nobody'));
    expect(held).toEqual(new Set(['moderate', 'kick', 'invite', 'view_audit_log']));
    expect(held.size).toBe(4);
  });

  it('ignores unknown role ids', () => {
    expect(resolveServerPermissions(m, member('ghost', 'host'))).toEqual(new Set(['invite', 'kick']));
    expect(resolveServerPermissions(m, member('ghost')).size).toBe(0);
  });

  it('is every server permission for a root, with or without roles', () => {
    expect(resolveServerPermissions(m, ROOT)).toEqual(new Set(SERVER_PERMISSIONS));
    expect(resolveServerPermissions(model(), { isRoot: true, roles: ['mod'] })).toEqual(
      new Set(SERVER_PERMISSIONS),
    );
    expect(SERVER_PERMISSIONS).toEqual([
      'manage_members',
      'manage_roles',
      'manage_config',
      'moderate',
      'invite',
      'view_audit_log',
      'kick',
      'ban',
    ]);
  });
});

describe('hasServerPermission', () => {
  const members = [member(), member('mod'), member('host', 'auditor'), member('ghost', 'nobody'), ROOT];

  it.each(SERVER_PERMISSIONS)(
    'agrees with resolveServerPermissions for %s',
    (permission: ServerPermission) => {
      for (const who of members) {
        expect(hasServerPermission(m, who, permission)).toBe(
          resolveServerPermissions(m, who).has(permission),
        );
      }
    },
  );

  it('answers from the union of roles, and yes for roots', () => {
    expect(hasServerPermission(m, member('host', 'auditor'), 'view_audit_log')).toBe(true);
    expect(hasServerPermission(m, member('host', 'auditor'), 'ban')).toBe(false);
    expect(hasServerPermission(m, member('ghost'), 'kick')).toBe(false);
    expect(hasServerPermission(model(), ROOT, 'manage_config')).toBe(true);
  });
});

describe('rolesOf and memberColor', () => {
  it('lists the member’s known roles, highest position first', () => {
    expect(rolesOf(m, member('nobody', 'mod', 'ghost', 'auditor')).map((r) => r.id)).toEqual([
      'auditor',
      'mod',
      'nobody',
    ]);
    expect(rolesOf(m, member())).toEqual([]);
  });

  it('keeps the model order for equal positions', () => {
    const tied = model({
      roles: [role('x', { color: '#000001' }), role('y', { color: '#000002' }), role('z')],
    });
    expect(rolesOf(tied, member('z', 'y', 'x')).map((r) => r.id)).toEqual(['x', 'y', 'z']);
    expect(memberColor(tied, member('z', 'y', 'x'))).toBe('#000001');
  });

  it('takes the colour of the highest-positioned role that has one', () => {
    expect(memberColor(m, member('host', 'mod'))).toBe('#e67e22');
    expect(memberColor(m, member('host', 'auditor'))).toBe('#2ecc71'); // auditor is higher but has no colour
    expect(memberColor(m, member('nobody'))).toBeUndefined();
    expect(memberColor(m, member())).toBeUndefined();
  });
});
