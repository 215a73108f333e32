import {
  MEMBER_ACTION_PERMISSIONS,
  MEMBER_ACTIONS,
  type MemberAction,
  type MemberActionParty,
  memberActionRefusal,
} from './member-actions';
import { SERVER_PERMISSIONS } from './model';

const root: MemberActionParty = { publicKey: `02${'aa'.repeat(32)}`, isRoot: true };
const otherRoot: MemberActionParty = { publicKey: `03${'ab'.repeat(32)}`, isRoot: true };
const member: MemberActionParty = { publicKey: `02${'bb'.repeat(32)}`, isRoot: false };
const other: MemberActionParty = { publicKey: `03${'cc'.repeat(32)}`, isRoot: false };

describe('memberActionRefusal', () => {
  it.each<[string, MemberAction, MemberActionParty, MemberActionParty, 'self' | 'root' | null]>([
    ['a member kicks a member', 'kick', member, other, null],
    ['a member bans a member', 'ban', member, other, null],
    ['a member revokes a member', 'revoke', member, other, null],
    ["a member sets a member's roles", 'setRoles', member, other, null],
    ['a root kicks a member', 'kick', root, member, null],
    ['a root bans a member', 'ban', root, member, null],
    ['a member kicks a root', 'kick', member, root, 'root'],
    ['a member bans a root', 'ban', member, root, 'root'],
    ['a member revokes a root', 'revoke', member, root, 'root'],
    ["a member sets a root's roles", 'setRoles', member, root, 'root'],
    ['a root kicks another root', 'kick', root, otherRoot, 'root'],
    ['a root bans another root', 'ban', root, otherRoot, 'root'],
    ['a root revokes another root', 'revoke', root, otherRoot, 'root'],
    ["a root sets another root's roles", 'setRoles', root, otherRoot, null],
    ['a root sets its own roles', 'setRoles', root, root, null],
    ['a member kicks itself', 'kick', member, member, 'self'],
    ['a member bans itself', 'ban', member, member, 'self'],
    ['a root kicks itself (oneself before root)', 'kick', root, root, 'self'],
    ['a root bans itself (oneself before root)', 'ban', root, root, 'self'],
    ['a member revokes itself', 'revoke', member, member, null],
    ['a member sets its own roles', 'setRoles', member, member, null],
  ])('%s: %s', (_, action, actor, target, expected) => {
    expect(memberActionRefusal(action, actor, target)).toBe(expected);
  });
});

describe('MEMBER_ACTION_PERMISSIONS', () => {
  it('names the server permission of each action', () => {
    expect(MEMBER_ACTION_PERMISSIONS).toEqual({
      setRoles: 'manage_roles',
      kick: 'kick',
      ban: 'ban',
      revoke: 'manage_members',
    });
    for (const action of MEMBER_ACTIONS) {
      expect(SERVER_PERMISSIONS).toContain(MEMBER_ACTION_PERMISSIONS[action]);
    }
  });
});
