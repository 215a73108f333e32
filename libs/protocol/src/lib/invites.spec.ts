import { CreateInviteRequest, inviteCode, LoginAuth, RevokeInviteRequest } from './requests';

const CODE = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXoxMjM0';

describe('invite schemas', () => {
  it('LoginAuth takes an optional invite string and stays strict', () => {
    const proof = { publicKey: '02ab', nonce: '00', signature: '11' };
    expect(LoginAuth.safeParse(proof).success).toBe(true);
    expect(LoginAuth.safeParse({ ...proof, invite: CODE }).data).toEqual({ ...proof, invite: CODE });
    expect(LoginAuth.safeParse({ ...proof, invite: 42 }).success).toBe(false);
    expect(LoginAuth.safeParse({ ...proof, invite: 'x'.repeat(201) }).success).toBe(false);
    expect(LoginAuth.safeParse({ ...proof, invites: CODE }).success).toBe(false);
  });

  it('inviteCode accepts base64url of 16+ bytes only', () => {
    expect(inviteCode.safeParse(CODE).success).toBe(true);
    expect(inviteCode.safeParse('A'.repeat(21)).success).toBe(false);
    expect(inviteCode.safeParse(`${CODE.slice(1)}=`).success).toBe(false);
    expect(inviteCode.safeParse(`${CODE.slice(1)}+`).success).toBe(false);
  });

  it('CreateInviteRequest defaults roles, bounds its numbers and refuses unknown fields', () => {
    expect(CreateInviteRequest.parse({})).toEqual({ roles: [] });
    expect(CreateInviteRequest.safeParse({ maxUses: 0 }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ maxUses: 1.5 }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ expiresInMs: 59_999 }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ expiresInMs: 31 * 24 * 3_600_000 }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ note: 'n'.repeat(201) }).success).toBe(false);
    expect(CreateInviteRequest.safeParse({ code: CODE }).success).toBe(false);
  });

  it('RevokeInviteRequest takes exactly one of code and id', () => {
    expect(RevokeInviteRequest.safeParse({ code: CODE }).success).toBe(true);
    expect(RevokeInviteRequest.safeParse({ id: '12' }).success).toBe(true);
    expect(RevokeInviteRequest.safeParse({}).success).toBe(false);
    expect(RevokeInviteRequest.safeParse({ code: CODE, id: '12' }).success).toBe(false);
    expect(RevokeInviteRequest.safeParse({ id: '012' }).success).toBe(false);
  });
});
