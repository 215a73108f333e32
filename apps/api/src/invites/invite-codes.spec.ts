import { inviteCode } from '@mpqcht/protocol';

import { INVITE_CODE_BYTES, inviteCodeHash, newInviteCode } from './invite-codes';

describe('invite codes', () => {
  it('are base64url of INVITE_CODE_BYTES random bytes that the protocol accepts, and differ', () => {
    const a = newInviteCode();
    const b = newInviteCode();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url')).toHaveLength(INVITE_CODE_BYTES);
    expect(inviteCode.safeParse(a).success).toBe(true);
    expect(INVITE_CODE_BYTES).toBeGreaterThanOrEqual(16);
  });

  it('are stored as their SHA-256 hash (32 bytes), the same for the same code', () => {
    const code = newInviteCode();
    expect(inviteCodeHash(code)).toHaveLength(32);
    expect(inviteCodeHash(code).equals(inviteCodeHash(code))).toBe(true);
    expect(inviteCodeHash(code).equals(inviteCodeHash(newInviteCode()))).toBe(false);
    expect(inviteCodeHash('abc').toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
