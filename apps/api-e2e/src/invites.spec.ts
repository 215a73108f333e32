import { createHash } from 'node:crypto';
import { Client } from 'pg';

import type { ErrorCode } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, connectRefused, fails, ok, type TestSocket } from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';

/**
 * Invite codes: created by members with `invite`, redeemed at the handshake by keys that are not
 * members yet, over real sockets and the api's real database.
 */

/** `host`: invite only; `keeper`: invite and manage_members (may grant `helper`). */
const EXTRA = `
[[roles]]
id = "host"
name = "Host"
permissions = ["invite"]

[[roles]]
id = "keeper"
name = "Keeper"
permissions = ["invite", "manage_members"]

[[roles]]
id = "staff"
name = "Staff"

[[channels]]
id = "staff-room"
name = "staff-room"
group = "general"
default_permissions = { view = false }

[[channels.overrides]]
role = "staff"
allow = ["view"]
`;

describe('invites', () => {
  let api: ApiProcess;
  let db: Client;
  let root: TestSocket;
  let host: TestSocket;
  let keeper: TestSocket;
  let plain: TestSocket;
  const sockets: TestSocket[] = [];
  let names = 0;

  function track(socket: TestSocket): TestSocket {
    sockets.push(socket);
    return socket;
  }

  async function withInvite(identity: TestIdentity, invite: string) {
    return { ...(await loginProof(identity, api.url, api.origin)), invite };
  }

  async function redeem(identity: TestIdentity, invite: string): Promise<TestSocket> {
    return track(await connect(api, identity, await withInvite(identity, invite)));
  }

  async function refusal(identity: TestIdentity, invite?: string): Promise<ErrorCode | undefined> {
    const auth =
      invite === undefined
        ? await loginProof(identity, api.url, api.origin)
        : await withInvite(identity, invite);
    return (await connectRefused(api, auth)).data?.code;
  }

  async function joinedMember(roles: string[]): Promise<TestSocket> {
    const identity = await newIdentity();
    await ok(root, 'members.authorize', { publicKey: identity.publicKey.hex, roles });
    const socket = track(await connect(api, identity));
    names += 1;
    await ok(socket, 'member.join', { displayName: `Member ${names}` });
    return socket;
  }

  async function inviteRow(id: string) {
    const result = await db.query<{ uses: number; code_hash: Buffer }>(
      'SELECT uses, code_hash FROM invites WHERE id = $1',
      [id],
    );
    return result.rows[0];
  }

  async function memberRow(publicKey: string) {
    const result = await db.query<{ roles: string[]; authorized_by: string }>(
      'SELECT roles, authorized_by FROM members WHERE public_key = $1',
      [publicKey],
    );
    return result.rows[0];
  }

  beforeAll(async () => {
    const identity = await newIdentity();
    api = await startApi({ configToml: defaultConfig([identity.publicKey.hex], EXTRA) });
    db = new Client({ connectionString: api.databaseUrl() });
    await db.connect();
    root = track(await connect(api, identity));
    await ok(root, 'member.join', { displayName: 'Root' });
    host = await joinedMember(['host']);
    keeper = await joinedMember(['keeper']);
    plain = await joinedMember(['plain']);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await db.end();
    await api.dispose();
  });

  describe('create, list, revoke', () => {
    it('needs the invite permission (forbidden otherwise, nothing stored)', async () => {
      const count = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM invites')).rows[0]?.n;
      const before = await count();
      expect(await fails(plain, 'invites.create', {})).toBe('forbidden');
      expect(await fails(plain, 'invites.list', {})).toBe('forbidden');
      expect(await fails(plain, 'invites.revoke', { id: '1' })).toBe('forbidden');
      expect(await count()).toBe(before);
    });

    it('applies the grant rule to the roles an invite grants', async () => {
      // host lacks manage_members, which `helper` carries; keeper holds it.
      expect(await fails(host, 'invites.create', { roles: ['helper'] })).toBe('forbidden');
      expect(await fails(host, 'invites.create', { roles: ['nope'] })).toBe('validation_failed');
      const made = await ok(keeper, 'invites.create', { roles: ['helper'] });
      expect(made.roles).toEqual(['helper']);
    });

    it('returns the code once, stores only its SHA-256 hash, lists and audits it', async () => {
      const made = await ok(host, 'invites.create', {
        maxUses: 2,
        expiresInMs: 3_600_000,
        roles: ['staff'],
        note: 'for the meetup',
      });
      expect(Buffer.from(made.code, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(made).toMatchObject({
        maxUses: 2,
        uses: 0,
        roles: ['staff'],
        note: 'for the meetup',
        revokedAt: null,
      });
      expect(made.expiresAt).not.toBeNull();

      const row = await inviteRow(made.id);
      expect(row?.code_hash.equals(createHash('sha256').update(made.code).digest())).toBe(true);
      const plainText = await db.query(
        `SELECT 1 FROM invites i WHERE position(convert_to($1, 'UTF8') IN i.code_hash) > 0
           OR to_jsonb(i)::text LIKE '%' || $1 || '%'`,
        [made.code],
      );
      expect(plainText.rowCount).toBe(0);
      const auditText = await db.query(`SELECT 1 FROM audit_log WHERE details::text LIKE '%' || $1 || '%'`, [
        made.code,
      ]);
      expect(auditText.rowCount).toBe(0);

      const listed = await ok(host, 'invites.list', {});
      const mine = listed.find((i) => i.id === made.id);
      expect(mine).toMatchObject({ maxUses: 2, uses: 0, note: 'for the meetup' });
      expect(mine && 'code' in mine).toBe(false);

      const audit = await db.query<{ action: string; details: { roles: string[]; maxUses: number } }>(
        'SELECT action, details FROM audit_log WHERE target = $1 ORDER BY id',
        [made.id],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]?.action).toBe('invite.created');
      expect(audit.rows[0]?.details).toMatchObject({ roles: ['staff'], maxUses: 2, note: 'for the meetup' });
    });

    it('revokes by code or id; a revoked invite no longer admits anyone', async () => {
      const a = await ok(host, 'invites.create', {});
      const b = await ok(host, 'invites.create', {});
      expect((await ok(host, 'invites.revoke', { code: a.code })).revokedAt).not.toBeNull();
      expect((await ok(root, 'invites.revoke', { id: b.id })).id).toBe(b.id);
      expect(await fails(host, 'invites.revoke', { id: b.id })).toBe('not_found');
      expect(await fails(host, 'invites.revoke', { code: a.code, id: a.id })).toBe('validation_failed');

      const stranger = await newIdentity();
      expect(await refusal(stranger, a.code)).toBe('invite_invalid');
      expect(await refusal(stranger, b.code)).toBe('invite_invalid');
      expect(await memberRow(stranger.publicKey.hex)).toBeUndefined();
      const audit = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target IN ($1, $2) ORDER BY id`,
        [a.id, b.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'invite.created',
        'invite.created',
        'invite.revoked',
        'invite.revoked',
      ]);
    });
  });

  describe('redemption at the handshake', () => {
    it("authorizes a new key with the invite's roles; it joins and sees the staff channel", async () => {
      const made = await ok(host, 'invites.create', { roles: ['staff'], maxUses: 5 });
      const newcomer = await newIdentity();
      expect(await refusal(newcomer)).toBe('not_a_member');

      const socket = await redeem(newcomer, made.code);
      const session = await ok(socket, 'session.get', {});
      expect(session).toMatchObject({ publicKey: newcomer.publicKey.hex, member: null });
      await ok(socket, 'member.join', { displayName: 'Newcomer' });
      const channels = await ok(socket, 'channels.list', {});
      expect(channels.channels.map((c) => c.id)).toContain('staff-room');

      const hostKey = (await ok(host, 'session.get', {})).publicKey;
      expect(await memberRow(newcomer.publicKey.hex)).toEqual({ roles: ['staff'], authorized_by: hostKey });
      expect((await inviteRow(made.id))?.uses).toBe(1);
      const audit = await db.query<{ actor_key: string; details: unknown }>(
        `SELECT actor_key, details FROM audit_log WHERE target = $1 AND action = 'invite.redeemed'`,
        [made.id],
      );
      expect(audit.rows).toEqual([
        {
          actor_key: newcomer.publicKey.hex,
          details: { publicKey: newcomer.publicKey.hex, roles: ['staff'] },
        },
      ]);

      // Logging in again needs no invite, and a member's invite is not used again.
      socket.close();
      const again = track(await connect(api, newcomer, await withInvite(newcomer, made.code)));
      expect((await ok(again, 'session.get', {})).member?.displayName).toBe('Newcomer');
      expect((await inviteRow(made.id))?.uses).toBe(1);
    });

    it('holds max uses under concurrent redemption: exactly maxUses keys get in', async () => {
      const made = await ok(host, 'invites.create', { maxUses: 3 });
      const keys = await Promise.all(Array.from({ length: 8 }, () => newIdentity()));
      const auths = await Promise.all(keys.map((k) => withInvite(k, made.code)));
      const outcomes = await Promise.all(
        keys.map((k, i) =>
          connect(api, k, auths[i]).then(
            (socket) => {
              track(socket);
              return 'ok';
            },
            (error: unknown) => (error as { data?: { code?: string } }).data?.code ?? 'error',
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'invite_invalid')).toHaveLength(5);
      expect((await inviteRow(made.id))?.uses).toBe(3);
      const admitted = await db.query('SELECT 1 FROM members WHERE public_key = ANY($1)', [
        keys.map((k) => k.publicKey.hex),
      ]);
      expect(admitted.rowCount).toBe(3);
      const redeemed = await db.query(
        `SELECT 1 FROM audit_log WHERE target = $1 AND action = 'invite.redeemed'`,
        [made.id],
      );
      expect(redeemed.rowCount).toBe(3);
    });

    it('refuses an expired invite with invite_invalid', async () => {
      const made = await ok(host, 'invites.create', { expiresInMs: 3_600_000 });
      await db.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [made.id]);
      const late = await newIdentity();
      expect(await refusal(late, made.code)).toBe('invite_invalid');
      expect((await inviteRow(made.id))?.uses).toBe(0);
      expect(await memberRow(late.publicKey.hex)).toBeUndefined();
    });

    it('refuses an unknown or malformed code with invite_invalid', async () => {
      const stranger = await newIdentity();
      expect(await refusal(stranger, Buffer.alloc(24, 7).toString('base64url'))).toBe('invite_invalid');
      expect(await refusal(stranger, 'not a code!')).toBe('invite_invalid');
      expect(await memberRow(stranger.publicKey.hex)).toBeUndefined();
    });

    it('refuses a banned key with banned and does not use the invite', async () => {
      const made = await ok(host, 'invites.create', { maxUses: 1 });
      const outcast = await newIdentity();
      await ok(root, 'members.ban', { publicKey: outcast.publicKey.hex, reason: 'spam' });
      const refused = await connectRefused(api, await withInvite(outcast, made.code));
      // The person is told why, on every attempt.
      expect(refused.data).toMatchObject({
        code: 'banned',
        details: { publicKey: outcast.publicKey.hex, reason: 'spam' },
      });
      expect((await inviteRow(made.id))?.uses).toBe(0);
      expect(await memberRow(outcast.publicKey.hex)).toBeUndefined();
      // The one use is still there for someone else.
      await redeem(await newIdentity(), made.code);
      expect((await inviteRow(made.id))?.uses).toBe(1);
    });

    it('keeps the handshake auth strict', async () => {
      const stranger = await newIdentity();
      const auth = { ...(await loginProof(stranger, api.url, api.origin)), invite: 42 };
      expect((await connectRefused(api, auth)).data?.code).toBe('auth_malformed');
    });
  });

  describe('preview (GET /api/invites/:code)', () => {
    async function preview(code: string) {
      const response = await fetch(`${api.url}/api/invites/${encodeURIComponent(code)}`);
      return { status: response.status, body: (await response.json()) as unknown, headers: response.headers };
    }

    it('answers only the server name, the inviter and the validity of a live invite, without a login', async () => {
      const made = await ok(host, 'invites.create', {
        maxUses: 3,
        expiresInMs: 3_600_000,
        roles: ['staff'],
        note: 'for the staff',
      });
      const answer = await preview(made.code);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        ok: true,
        data: { serverName: 'e2e', inviter: 'Member 1', expiresAt: made.expiresAt, usesLeft: 3 },
      });
      // Nothing of the roles, the note, the inviter's key or the members.
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain('staff');
      expect(text).not.toContain(made.createdBy);

      // A preview uses nothing; a redemption counts.
      await redeem(await newIdentity(), made.code);
      expect(await preview(made.code)).toMatchObject({ status: 200, body: { data: { usesLeft: 2 } } });
      expect((await inviteRow(made.id))?.uses).toBe(1);

      const open = await ok(root, 'invites.create', {});
      expect((await preview(open.code)).body).toEqual({
        ok: true,
        data: { serverName: 'e2e', inviter: 'Root', expiresAt: null, usesLeft: null },
      });
    });

    it('answers not_found, all alike, for an unknown, expired, used-up or revoked code', async () => {
      const expired = await ok(host, 'invites.create', { expiresInMs: 3_600_000 });
      await db.query(`UPDATE invites SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        expired.id,
      ]);
      const usedUp = await ok(host, 'invites.create', { maxUses: 1 });
      await redeem(await newIdentity(), usedUp.code);
      const revoked = await ok(host, 'invites.create', {});
      await ok(host, 'invites.revoke', { id: revoked.id });
      const unknown = Buffer.alloc(24, 9).toString('base64url');

      const answers = await Promise.all([unknown, expired.code, usedUp.code, revoked.code].map(preview));
      const messages = new Set<string>();
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ ok: false, error: { code: 'not_found' } });
        messages.add(JSON.stringify(answer.body));
      }
      // The same answer whatever the reason: nothing tells a used-up code from one never issued.
      expect(messages.size).toBe(1);
    });

    it('answers validation_failed for a malformed code, naming the path parameter', async () => {
      for (const code of ['short', 'not a code at all, with spaces!', `${'A'.repeat(30)}+/=`]) {
        const answer = await preview(code);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({
          ok: false,
          error: { code: 'validation_failed', details: { issues: [{ path: 'code' }] } },
        });
      }
    });

    it('is rate limited per address like challenges (429 rate_limited with Retry-After)', async () => {
      // A server of its own with the defaults' tight per-address limits (3 at once, 1 a minute).
      const strict = await startApi({
        configToml: `[server]\nname = "strict"\n[limits]\nchallenges_per_minute = 1\nchallenge_burst = 3\n[[groups]]\nid = "g"\nname = "G"\n[[channels]]\nid = "c"\nname = "c"\ngroup = "g"\n`,
      });
      try {
        const url = `${strict.url}/api/invites/${Buffer.alloc(24, 3).toString('base64url')}`;
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await fetch(url)).status);
        expect(statuses).toEqual([404, 404, 404, 429]);
        const limited = await fetch(url);
        expect(limited.status).toBe(429);
        expect(await limited.json()).toMatchObject({
          ok: false,
          error: { code: 'rate_limited', details: { retryAfterMs: expect.any(Number) as number } },
        });
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        // Logging in still works from here: challenges have a bucket of their own.
        expect((await fetch(`${strict.url}/api/auth/challenge`, { method: 'POST' })).status).toBe(200);
      } finally {
        await strict.dispose();
      }
    });
  });
});
