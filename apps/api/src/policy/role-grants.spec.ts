import type { MemberAction } from '@mpqcht/permissions';
import type { ErrorCode } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { parseCommunityConfig } from '../config/load-community-config';
import type { Actor } from './channel-policy';
import { changedRoles, missingGrantPermissions } from './role-grants';
import { samplePolicy } from './testing/sample-community';

/** The P-256 generator point, compressed: a valid key to list as a root. */
const ROOT_KEY = '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';

const TOML = `
[server]
name = "grants"
root_keys = ["${ROOT_KEY}"]

[[roles]]
id = "admin"
name = "Admin"
permissions = ["manage_roles", "ban", "kick"]

[[roles]]
id = "roler"
name = "Roler"
permissions = ["manage_roles"]

[[roles]]
id = "bouncer"
name = "Bouncer"
permissions = ["kick"]

[[roles]]
id = "plain"
name = "Plain"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

const model = parseCommunityConfig(TOML, 'config.toml').permissions;

describe('changedRoles', () => {
  it.each([
    [[], ['a', 'b'], ['a', 'b']],
    [['a', 'b'], [], ['a', 'b']],
    [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
    ],
    [['a'], ['a'], []],
    [[], ['a', 'a'], ['a']],
  ])('%j -> %j changes %j', (before, after, changed) => {
    expect(changedRoles(before, after)).toEqual(changed);
  });
});

describe('missingGrantPermissions', () => {
  const member = (...roles: string[]) => ({ isRoot: false, roles });

  it('lets a root grant anything', () => {
    expect(missingGrantPermissions(model, { isRoot: true, roles: [] }, ['admin'])).toEqual([]);
  });

  it('lets a member grant roles whose permissions they hold', () => {
    expect(missingGrantPermissions(model, member('admin'), ['roler', 'bouncer', 'plain'])).toEqual([]);
    expect(missingGrantPermissions(model, member('roler'), ['roler', 'plain'])).toEqual([]);
    expect(missingGrantPermissions(model, member('roler', 'bouncer'), ['bouncer'])).toEqual([]);
  });

  it('names the permissions a member lacks for a more powerful role', () => {
    expect(missingGrantPermissions(model, member('roler'), ['admin'])).toEqual(['ban', 'kick']);
    expect(missingGrantPermissions(model, member('roler'), ['bouncer', 'plain'])).toEqual(['kick']);
    expect(missingGrantPermissions(model, member(), ['roler'])).toEqual(['manage_roles']);
  });

  it('ignores roles the model does not know', () => {
    expect(missingGrantPermissions(model, member('roler'), ['ghost'])).toEqual([]);
  });
});

describe('ChannelPolicy member actions', () => {
  const { policy } = samplePolicy(TOML);
  const root: Actor = { publicKey: ROOT_KEY, isRoot: true, roles: [] };
  const admin: Actor = { publicKey: `02${'aa'.repeat(32)}`, isRoot: false, roles: ['admin'] };
  const roler: Actor = { publicKey: `02${'bb'.repeat(32)}`, isRoot: false, roles: ['roler'] };
  const other = `02${'cc'.repeat(32)}`;

  function outcome(call: () => void): ErrorCode | 'allowed' {
    try {
      call();
      return 'allowed';
    } catch (error) {
      if (error instanceof ProtocolError) return error.code;
      throw error;
    }
  }

  it.each<[string, Actor, string, MemberAction, ErrorCode | 'allowed']>([
    ['admin kicks a member', admin, other, 'kick', 'allowed'],
    ['admin bans a member', admin, other, 'ban', 'allowed'],
    ['admin kicks a root', admin, ROOT_KEY, 'kick', 'forbidden'],
    ['admin bans a root', admin, ROOT_KEY, 'ban', 'forbidden'],
    ['a root bans itself', root, ROOT_KEY, 'ban', 'forbidden'],
    ['admin kicks itself', admin, admin.publicKey, 'kick', 'forbidden'],
    ['admin bans itself', admin, admin.publicKey, 'ban', 'forbidden'],
    ["roler sets a root's roles", roler, ROOT_KEY, 'setRoles', 'forbidden'],
    ["a root sets a root's roles", root, ROOT_KEY, 'setRoles', 'allowed'],
    ['roler sets its own roles', roler, roler.publicKey, 'setRoles', 'allowed'],
  ])('%s: %s', (_, actor, target, action, expected) => {
    expect(outcome(() => policy.authorizeMemberAction(actor, target, action))).toBe(expected);
  });

  it('applies the grant rule to added and removed roles, and reports what is missing', () => {
    expect(outcome(() => policy.authorizeRoleChange(roler, ['plain'], ['plain', 'roler']))).toBe('allowed');
    expect(outcome(() => policy.authorizeRoleChange(roler, null, ['bouncer']))).toBe('forbidden');
    expect(outcome(() => policy.authorizeRoleChange(roler, ['admin'], []))).toBe('forbidden');
    expect(outcome(() => policy.authorizeRoleChange(roler, ['admin'], ['admin', 'plain']))).toBe('allowed');
    expect(outcome(() => policy.authorizeRoleChange(root, [], ['admin']))).toBe('allowed');
    let refusal: unknown;
    try {
      policy.authorizeRoleChange(roler, null, ['admin']);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ProtocolError);
    expect((refusal as ProtocolError).details).toEqual({ missing: ['ban', 'kick'] });
  });

  it('tells a moderation from an author deleting their own message', () => {
    expect(policy.deletion(root, { streamId: 'lobby', thread: null, author: other })).toBe('moderation');
    expect(policy.deletion(root, { streamId: 'lobby', thread: null, author: root.publicKey })).toBe('own');
    expect(outcome(() => policy.deletion(roler, { streamId: 'lobby', thread: null, author: other }))).toBe(
      'forbidden',
    );
  });
});
