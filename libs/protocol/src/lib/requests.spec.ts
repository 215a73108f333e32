import { channelId, displayName, ID_PATTERN, roleId } from './fields';
import {
  AuditListRequest,
  BanRequest,
  HistoryRequest,
  KickRequest,
  LoginAuth,
  RevokeInviteRequest,
  RevokeMemberRequest,
  SendMessageRequest,
  SetRolesRequest,
  SinceRequest,
  UnbanRequest,
} from './requests';

describe('request schemas', () => {
  const send = { channelId: 'lobby', clientId: '0193a6f0-3c1e-7cc4-9b1e-2f0d2a5f3e11', content: 'hi' };

  it('accepts a well-formed send', () => {
    expect(SendMessageRequest.safeParse(send).success).toBe(true);
  });

  it('rejects unknown fields', () => {
    expect(SendMessageRequest.safeParse({ ...send, admin: true }).success).toBe(false);
  });

  it('rejects whitespace-only content and a non-uuid client id', () => {
    expect(SendMessageRequest.safeParse({ ...send, content: ' \n ' }).success).toBe(false);
    expect(SendMessageRequest.safeParse({ ...send, clientId: 'x' }).success).toBe(false);
  });

  it('bounds content at 32,000 code points, not UTF-16 units', () => {
    expect(SendMessageRequest.safeParse({ ...send, content: 'a'.repeat(32_000) }).success).toBe(true);
    expect(SendMessageRequest.safeParse({ ...send, content: 'a'.repeat(32_001) }).success).toBe(false);
    // 32,000 emoji are 64,000 UTF-16 units.
    expect(SendMessageRequest.safeParse({ ...send, content: '😀'.repeat(32_000) }).success).toBe(true);
    expect(SendMessageRequest.safeParse({ ...send, content: '😀'.repeat(32_001) }).success).toBe(false);
  });

  it('defaults the catch-up page size and refuses a negative or fractional change number', () => {
    expect(SinceRequest.parse({ channelId: 'lobby', afterRev: 0 }).limit).toBe(200);
    expect(SinceRequest.safeParse({ channelId: 'lobby', afterRev: -1 }).success).toBe(false);
    expect(SinceRequest.safeParse({ channelId: 'lobby', afterRev: 1.5 }).success).toBe(false);
    expect(SinceRequest.safeParse({ channelId: 'lobby', afterRev: 3, limit: 201 }).success).toBe(false);
  });

  it('defaults the history page size and refuses before+after together', () => {
    const parsed = HistoryRequest.parse({ channelId: 'lobby' });
    expect(parsed.limit).toBe(50);
    const both = { channelId: 'lobby', before: send.clientId, after: send.clientId };
    expect(HistoryRequest.safeParse(both).success).toBe(false);
  });

  describe('moderation', () => {
    const publicKey = `02${'ab'.repeat(32)}`;

    it('needs a compressed key and known-shaped roles to set roles, and nothing else', () => {
      expect(SetRolesRequest.safeParse({ publicKey, roles: ['staff'] }).success).toBe(true);
      expect(SetRolesRequest.safeParse({ publicKey, roles: [] }).success).toBe(true);
      expect(SetRolesRequest.safeParse({ publicKey }).success).toBe(false);
      expect(SetRolesRequest.safeParse({ publicKey: `04${'ab'.repeat(64)}`, roles: [] }).success).toBe(false);
      expect(SetRolesRequest.safeParse({ publicKey, roles: ['Staff!'] }).success).toBe(false);
      expect(SetRolesRequest.safeParse({ publicKey, roles: [], admin: true }).success).toBe(false);
    });

    it('makes a kick reason optional and a ban reason required, not blank, at most 500', () => {
      expect(KickRequest.safeParse({ publicKey }).success).toBe(true);
      expect(KickRequest.safeParse({ publicKey, reason: 'calm down' }).success).toBe(true);
      expect(BanRequest.safeParse({ publicKey }).success).toBe(false);
      expect(BanRequest.safeParse({ publicKey, reason: '  ' }).success).toBe(false);
      expect(BanRequest.safeParse({ publicKey, reason: 'x'.repeat(501) }).success).toBe(false);
      expect(BanRequest.safeParse({ publicKey, reason: 'spam' }).success).toBe(true);
    });

    it('reads a key in either case as its canonical (lowercase) spelling', () => {
      const upper = publicKey.toUpperCase();
      expect(KickRequest.parse({ publicKey: upper }).publicKey).toBe(publicKey);
      expect(BanRequest.parse({ publicKey: upper, reason: 'spam' }).publicKey).toBe(publicKey);
      expect(UnbanRequest.parse({ publicKey: upper }).publicKey).toBe(publicKey);
      expect(RevokeMemberRequest.parse({ publicKey: upper }).publicKey).toBe(publicKey);
      expect(SetRolesRequest.parse({ publicKey: `02${'Ab'.repeat(32)}`, roles: [] }).publicKey).toBe(
        publicKey,
      );
    });

    it('pages the audit log by 50 with a numeric cursor', () => {
      expect(AuditListRequest.parse({})).toEqual({ limit: 50 });
      expect(AuditListRequest.parse({ before: '42', limit: 10 })).toEqual({ before: '42', limit: 10 });
      for (const before of ['0', '-1', 'abc', '1'.repeat(19), '01']) {
        expect(AuditListRequest.safeParse({ before }).success).toBe(false);
      }
      expect(AuditListRequest.safeParse({ limit: 51 }).success).toBe(false);
      expect(AuditListRequest.safeParse({ limit: 0 }).success).toBe(false);
    });
  });

  it('takes channel and role ids of one pattern: lowercase letters, digits, - and _, at most 64', () => {
    for (const id of ['lobby', 'a', '0', 'off-topic', 'mods_only', 'a'.repeat(64)]) {
      expect(ID_PATTERN.test(id)).toBe(true);
      expect(channelId.safeParse(id).success).toBe(true);
      expect(roleId.safeParse(id).success).toBe(true);
    }
    for (const id of ['', 'Lobby', '-lobby', '_x', 'a b', 'a.b', 'a'.repeat(65), 'é']) {
      expect(ID_PATTERN.test(id)).toBe(false);
      expect(channelId.safeParse(id).success).toBe(false);
      expect(roleId.safeParse(id).success).toBe(false);
    }
  });

  it('takes audit entry and invite ids of one pattern: a positive decimal bigint', () => {
    for (const id of ['1', '42', '9'.repeat(18)]) {
      expect(AuditListRequest.safeParse({ before: id }).success).toBe(true);
      expect(RevokeInviteRequest.safeParse({ id }).success).toBe(true);
    }
    for (const id of ['0', '01', '-1', '1.5', 'abc', '1'.repeat(19), '']) {
      expect(AuditListRequest.safeParse({ before: id }).success).toBe(false);
      expect(RevokeInviteRequest.safeParse({ id }).success).toBe(false);
    }
  });

  it.each([
    ['Ada', true],
    ['Ada Lovelace', true],
    ['Zoë_2', true],
    ['', false],
    [' Ada', false],
    ['Ada ', false],
    ['Ada  Lovelace', false],
    ['<script>', false],
    ['a'.repeat(33), false],
  ])('display name %j valid: %s', (name, valid) => {
    expect(displayName.safeParse(name).success).toBe(valid);
  });
});

describe('LoginAuth (the handshake auth)', () => {
  const proof = { publicKey: `02${'ab'.repeat(32)}`, nonce: 'cd'.repeat(32), signature: 'ef'.repeat(64) };

  it('reads every hex field in either case and keeps the text as given', () => {
    const upper = {
      publicKey: proof.publicKey.toUpperCase(),
      nonce: proof.nonce.toUpperCase(),
      signature: proof.signature.toUpperCase(),
    };
    expect(LoginAuth.safeParse(upper).data).toEqual(upper);
    const mixed = { ...proof, nonce: `Cd${'cD'.repeat(31)}` };
    expect(LoginAuth.safeParse(mixed).success).toBe(true);
  });

  it.each(['publicKey', 'nonce', 'signature'] as const)(
    'refuses a %s that is not hex: other characters, an odd length, empty, a 0x prefix',
    (field) => {
      const good = proof[field];
      for (const bad of ['not a key', `${good.slice(0, -2)}zz`, good.slice(1), '', `0x${good}`, ` ${good}`]) {
        expect(LoginAuth.safeParse({ ...proof, [field]: bad }).success).toBe(false);
      }
    },
  );

  it('refuses fields longer than their caps (200, 200, 400 characters) whatever they hold', () => {
    expect(LoginAuth.safeParse({ ...proof, publicKey: '02'.repeat(100) }).success).toBe(true);
    expect(LoginAuth.safeParse({ ...proof, publicKey: '02'.repeat(101) }).success).toBe(false);
    expect(LoginAuth.safeParse({ ...proof, nonce: '00'.repeat(101) }).success).toBe(false);
    expect(LoginAuth.safeParse({ ...proof, signature: '00'.repeat(200) }).success).toBe(true);
    expect(LoginAuth.safeParse({ ...proof, signature: '00'.repeat(201) }).success).toBe(false);
  });
});
