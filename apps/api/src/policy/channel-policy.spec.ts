import { DEFAULT_CHANNEL_FLAGS } from '@mpqcht/permissions';
import type { ErrorCode } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { noSuchMessage } from './hidden-refusals';
import { actor, ROOT, SAMPLE_TOML, samplePolicy } from './testing/sample-community';

/** The refusal's code, or 'allowed' when the call returns. */
function outcome(call: () => unknown): ErrorCode | 'allowed' {
  try {
    call();
    return 'allowed';
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
}

function refusal(call: () => unknown): ProtocolError {
  try {
    call();
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
  throw new Error('the call was allowed');
}

describe('ChannelPolicy', () => {
  const { policy } = samplePolicy();
  const plain = actor('plain');
  const writer = actor('writer', 'writer');
  const staff = actor('staff', 'staff');
  const admin = actor('admin', 'admin');
  const mod = actor('mod', 'mod');

  describe('requireChannel', () => {
    it.each([
      ['plain', plain, 'lobby', 'write', 'allowed'],
      ['plain', plain, 'announcements', 'view', 'allowed'],
      ['plain', plain, 'announcements', 'write', 'forbidden'],
      ['plain', plain, 'lobby', 'moderate', 'forbidden'],
      ['plain', plain, 'staff-room', 'view', 'not_found'],
      ['plain', plain, 'staff-room', 'write', 'not_found'],
      ['plain', plain, 'nowhere', 'view', 'not_found'],
      ['writer', writer, 'announcements', 'write', 'allowed'],
      ['staff', staff, 'staff-room', 'write', 'allowed'],
      ['staff', staff, 'announcements', 'write', 'forbidden'],
      ['mod', mod, 'lobby', 'moderate', 'allowed'],
      ['mod', mod, 'announcements', 'moderate', 'forbidden'],
      ['root', ROOT, 'staff-room', 'manage', 'allowed'],
      ['root', ROOT, 'nowhere', 'view', 'not_found'],
    ] as const)('%s in %s with %s: %s', (_name, who, channelId, flag, expected) => {
      expect(outcome(() => policy.requireChannel(who, channelId, flag))).toBe(expected);
    });

    it('refuses a hidden channel exactly as it refuses one that does not exist', () => {
      const withoutStaffRoom = samplePolicy(
        SAMPLE_TOML.slice(0, SAMPLE_TOML.indexOf('[[channels]]\nid = "staff-room"')),
      ).policy;
      const hidden = refusal(() => policy.requireChannel(plain, 'staff-room', 'write'));
      const unknown = refusal(() => withoutStaffRoom.requireChannel(staff, 'staff-room', 'write'));
      expect(hidden.toBody()).toEqual(unknown.toBody());
      expect(hidden.toBody().code).toBe('not_found');
    });

    it('returns the effective permissions, with the per-channel limits', () => {
      expect(policy.requireChannel(plain, 'lobby', 'write')).toEqual({
        flags: DEFAULT_CHANNEL_FLAGS,
        limits: { maxMessageLength: 100, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
      });
      expect(policy.limits(plain, 'announcements').maxMessageLength).toBe(300);
      expect(policy.limits(staff, 'lobby').maxMessageLength).toBe(2000);
      expect(outcome(() => policy.limits(plain, 'staff-room'))).toBe('not_found');
    });
  });

  describe('server permissions', () => {
    it.each([
      ['plain', plain, 'forbidden'],
      ['mod', mod, 'forbidden'],
      ['admin', admin, 'allowed'],
      ['root', ROOT, 'allowed'],
    ] as const)('manage_members for %s: %s', (_name, who, expected) => {
      expect(outcome(() => policy.requireServerPermission(who, 'manage_members'))).toBe(expected);
      expect(policy.hasServerPermission(who, 'manage_members')).toBe(expected === 'allowed');
    });
  });

  describe('visibleChannels and mostGenerousLimits', () => {
    it('lists what each member can view, in config.toml order', () => {
      expect(policy.visibleChannels(plain)).toEqual(['lobby', 'announcements']);
      expect(policy.visibleChannels(staff)).toEqual(['lobby', 'announcements', 'staff-room']);
      expect(policy.visibleChannels(ROOT)).toEqual(['lobby', 'announcements', 'staff-room']);
      expect(policy.visibleChannels(actor('ghost', 'no-such-role'))).toEqual(['lobby', 'announcements']);
    });

    it('bounds every member by the longest length anyone may send', () => {
      expect(policy.mostGenerousLimits().maxMessageLength).toBe(2000);
    });
  });

  describe('authorizeEdit', () => {
    const own = (who: { publicKey: string }, streamId: string) => ({
      streamId,
      thread: null,
      author: who.publicKey,
    });

    it.each([
      ['own message where the author may write', plain, own(plain, 'lobby'), 'allowed'],
      [
        'own message in a channel the author may no longer write in',
        plain,
        own(plain, 'announcements'),
        'forbidden',
      ],
      ["another member's message", mod, own(plain, 'lobby'), 'forbidden'],
      ["another member's message, as root", ROOT, own(plain, 'lobby'), 'forbidden'],
      [
        'own message in a channel the author can no longer view',
        plain,
        own(plain, 'staff-room'),
        'not_found',
      ],
      ["another member's message in a hidden channel", plain, own(staff, 'staff-room'), 'not_found'],
      ['a message of a channel removed from config.toml', plain, own(plain, 'gone'), 'not_found'],
    ] as const)('%s: %s', (_what, who, message, expected) => {
      expect(outcome(() => policy.authorizeEdit(who, message))).toBe(expected);
    });

    it("returns the author's limits in the message's channel", () => {
      expect(policy.authorizeEdit(plain, own(plain, 'lobby')).limits.maxMessageLength).toBe(100);
      expect(policy.authorizeEdit(staff, own(staff, 'staff-room')).limits.maxMessageLength).toBe(2000);
    });
  });

  it('refuses a message in a hidden channel exactly as a message that does not exist', () => {
    const missing = noSuchMessage().toBody();
    const hidden = { streamId: 'staff-room', thread: null, author: staff.publicKey };
    expect(refusal(() => policy.authorizeEdit(plain, hidden)).toBody()).toEqual(missing);
    expect(refusal(() => policy.authorizeDelete(plain, hidden)).toBody()).toEqual(missing);
  });

  describe('authorizeDelete', () => {
    const by = (who: { publicKey: string }, streamId: string) => ({
      streamId,
      thread: null,
      author: who.publicKey,
    });

    it.each([
      ['own message where the author may write', plain, by(plain, 'lobby'), 'allowed'],
      ['own message where the author may no longer write', plain, by(plain, 'announcements'), 'forbidden'],
      ["another member's message without moderate", plain, by(staff, 'lobby'), 'forbidden'],
      ["another member's message with moderate there", mod, by(plain, 'lobby'), 'allowed'],
      [
        "another member's message where the moderator only views",
        mod,
        by(writer, 'announcements'),
        'forbidden',
      ],
      ["another member's message, as root", ROOT, by(staff, 'staff-room'), 'allowed'],
      ["another member's message in a hidden channel", plain, by(staff, 'staff-room'), 'not_found'],
      ['own message in a channel the author can no longer view', plain, by(plain, 'staff-room'), 'not_found'],
      ['a message of a channel removed from config.toml', ROOT, by(plain, 'gone'), 'not_found'],
    ] as const)('%s: %s', (_what, who, message, expected) => {
      expect(outcome(() => policy.authorizeDelete(who, message))).toBe(expected);
    });
  });
});
