import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import type { AuditEntryDto } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import {
  connect,
  connectRefused,
  fails,
  nextPush,
  ok,
  request,
  type TestSocket,
  waitForDisconnect,
} from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';
import { pushMatching } from './support/push-matching';

/**
 * Membership moderation (kick, ban, unban, role changes) and the audit log, over real sockets and
 * the api's real database.
 */

/** `moderator`: kick, ban, audit log and every channel's `moderate`; `roler`: manage_roles only. */
const EXTRA = `
[[roles]]
id = "moderator"
name = "Moderator"
permissions = ["kick", "ban", "view_audit_log", "moderate"]

[[roles]]
id = "roler"
name = "Roler"
permissions = ["manage_roles"]

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

interface Member {
  readonly identity: TestIdentity;
  readonly publicKey: string;
  socket: TestSocket;
}

describe('moderation', () => {
  let api: ApiProcess;
  let db: Client;
  let root: Member;
  let moderator: Member;
  let roler: Member;
  let plain: Member;
  const sockets: TestSocket[] = [];
  let names = 0;

  async function login(identity: TestIdentity): Promise<TestSocket> {
    const socket = await connect(api, identity);
    sockets.push(socket);
    return socket;
  }

  async function loginRefusal(identity: TestIdentity) {
    return (await connectRefused(api, await loginProof(identity, api.url, api.origin))).data?.code;
  }

  /** A key authorized by root with `roles`, logged in and joined under a fresh display name. */
  async function joinedMember(roles: string[] = []): Promise<Member> {
    const identity = await newIdentity();
    await ok(root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles });
    const socket = await login(identity);
    names += 1;
    await ok(socket, 'member.join', { displayName: `Member ${names}` });
    return { identity, publicKey: identity.publicKey.hex, socket };
  }

  async function auditOf(target: string): Promise<{ actor_key: string; action: string; details: unknown }[]> {
    const result = await db.query<{ actor_key: string; action: string; details: unknown }>(
      'SELECT actor_key, action, details FROM audit_log WHERE target = $1 ORDER BY id',
      [target],
    );
    return result.rows;
  }

  async function snapshot() {
    const rows = async (sql: string) => (await db.query<Record<string, unknown>>(sql)).rows;
    return {
      members: await rows('SELECT public_key, roles, display_name FROM members ORDER BY public_key'),
      bans: await rows('SELECT * FROM bans ORDER BY public_key'),
      audit: await rows('SELECT * FROM audit_log ORDER BY id'),
    };
  }

  beforeAll(async () => {
    const identity = await newIdentity();
    api = await startApi({ configToml: defaultConfig([identity.publicKey.hex], EXTRA) });
    db = new Client({ connectionString: api.databaseUrl() });
    await db.connect();
    root = { identity, publicKey: identity.publicKey.hex, socket: await login(identity) };
    await ok(root.socket, 'member.join', { displayName: 'Root' });
    moderator = await joinedMember(['moderator']);
    roler = await joinedMember(['roler']);
    plain = await joinedMember(['plain']);
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await db.end();
    await api.dispose();
  });

  describe('kick', () => {
    it("drops every live socket of the member with session.ended 'kicked'; the key may log in again", async () => {
      const target = await joinedMember();
      const second = await login(target.identity);
      const ended = [nextPush(target.socket, 'session.ended'), nextPush(second, 'session.ended')];
      const gone = [waitForDisconnect(target.socket), waitForDisconnect(second)];

      const kicked = await ok(moderator.socket, 'members.kick', {
        publicKey: target.publicKey,
        reason: 'cool down',
      });
      expect(kicked).toEqual({ publicKey: target.publicKey });
      for (const push of await Promise.all(ended)) {
        expect(push.reason).toBe('kicked');
        expect(push.message).toContain('cool down');
        expect(push.note).toBe('cool down');
      }
      expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);

      const again = await login(target.identity);
      expect((await ok(again, 'session.get', {})).member?.publicKey).toBe(target.publicKey);
      expect(await auditOf(target.publicKey)).toContainEqual({
        actor_key: moderator.publicKey,
        action: 'member.kicked',
        details: { reason: 'cool down' },
      });
    });

    it('answers not_found for a key that is not authorized', async () => {
      const stranger = await newIdentity();
      expect(await fails(moderator.socket, 'members.kick', { publicKey: stranger.publicKey.hex })).toBe(
        'not_found',
      );
    });
  });

  describe('ban', () => {
    it('drops the sockets at once, refuses the key with banned, forbids authorizing it until unbanned', async () => {
      const target = await joinedMember(['plain']);
      const ended = nextPush(target.socket, 'session.ended');
      const gone = waitForDisconnect(target.socket);
      const removed = pushMatching(root.socket, 'member.removed', (r) => r.publicKey === target.publicKey);

      const ban = await ok(moderator.socket, 'members.ban', { publicKey: target.publicKey, reason: 'spam' });
      expect(ban).toMatchObject({
        publicKey: target.publicKey,
        reason: 'spam',
        bannedBy: moderator.publicKey,
      });
      expect(Number.isNaN(Date.parse(ban.bannedAt))).toBe(false);
      expect(await ended).toMatchObject({ reason: 'banned', note: 'spam' });
      expect(await gone).toBe('io server disconnect');
      expect(await removed).toEqual({ publicKey: target.publicKey, reason: 'banned' });

      const rows = await db.query('SELECT reason, banned_by FROM bans WHERE public_key = $1', [
        target.publicKey,
      ]);
      expect(rows.rows).toEqual([{ reason: 'spam', banned_by: moderator.publicKey }]);
      expect(
        (await db.query('SELECT 1 FROM members WHERE public_key = $1', [target.publicKey])).rowCount,
      ).toBe(0);
      expect((await ok(moderator.socket, 'bans.list', {})).map((b) => b.publicKey)).toContain(
        target.publicKey,
      );

      expect(await loginRefusal(target.identity)).toBe('banned');
      const refused = await request(root.socket, 'members.authorize', {
        publicKey: target.publicKey,
        roles: [],
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(JSON.stringify(refused)).toContain('banned');

      await ok(moderator.socket, 'members.unban', { publicKey: target.publicKey });
      expect(await fails(moderator.socket, 'members.unban', { publicKey: target.publicKey })).toBe(
        'not_found',
      );
      // The ban removed the authorization: the key is a stranger until it is authorized again.
      expect(await loginRefusal(target.identity)).toBe('not_a_member');
      await ok(root.socket, 'members.authorize', { publicKey: target.publicKey, roles: [] });
      const back = await login(target.identity);
      expect((await ok(back, 'session.get', {})).member).toBeNull();

      expect((await auditOf(target.publicKey)).map((e) => e.action)).toEqual([
        'member.authorized',
        'member.banned',
        'member.unbanned',
        'member.authorized',
      ]);
    });

    it('bans a key that was never authorized: it is refused with banned at the handshake', async () => {
      const stranger = await newIdentity();
      await ok(moderator.socket, 'members.ban', { publicKey: stranger.publicKey.hex, reason: 'known troll' });
      expect(await loginRefusal(stranger)).toBe('banned');
    });
  });

  describe('refusals', () => {
    it('never kicks or bans a root, nor lets a member kick or ban themselves', async () => {
      const before = await snapshot();
      expect(await fails(moderator.socket, 'members.kick', { publicKey: root.publicKey })).toBe('forbidden');
      expect(await fails(moderator.socket, 'members.ban', { publicKey: root.publicKey, reason: 'x' })).toBe(
        'forbidden',
      );
      expect(await fails(root.socket, 'members.ban', { publicKey: root.publicKey, reason: 'x' })).toBe(
        'forbidden',
      );
      expect(await fails(moderator.socket, 'members.kick', { publicKey: moderator.publicKey })).toBe(
        'forbidden',
      );
      expect(
        await fails(moderator.socket, 'members.ban', { publicKey: moderator.publicKey, reason: 'x' }),
      ).toBe('forbidden');
      expect(await snapshot()).toEqual(before);
      expect(root.socket.connected).toBe(true);
      expect(moderator.socket.connected).toBe(true);
    });

    it('forbids every moderation call to a member without the permission, and nothing changes', async () => {
      const target = await joinedMember();
      const banned = (await newIdentity()).publicKey.hex;
      await ok(moderator.socket, 'members.ban', { publicKey: banned, reason: 'seeded' });
      const before = await snapshot();

      expect(await fails(plain.socket, 'members.kick', { publicKey: target.publicKey })).toBe('forbidden');
      expect(await fails(plain.socket, 'members.ban', { publicKey: target.publicKey, reason: 'x' })).toBe(
        'forbidden',
      );
      expect(await fails(plain.socket, 'members.unban', { publicKey: banned })).toBe('forbidden');
      expect(await fails(plain.socket, 'bans.list', {})).toBe('forbidden');
      expect(await fails(plain.socket, 'audit.list', {})).toBe('forbidden');
      expect(
        await fails(plain.socket, 'members.setRoles', { publicKey: target.publicKey, roles: ['staff'] }),
      ).toBe('forbidden');
      // manage_roles, not kick or ban: the moderator cannot set roles, the roler cannot kick.
      expect(
        await fails(moderator.socket, 'members.setRoles', { publicKey: target.publicKey, roles: ['staff'] }),
      ).toBe('forbidden');
      expect(await fails(roler.socket, 'members.kick', { publicKey: target.publicKey })).toBe('forbidden');

      expect(await snapshot()).toEqual(before);
      expect(target.socket.connected).toBe(true);
      expect((await ok(target.socket, 'session.get', {})).member?.roles).toEqual([]);
    });
  });

  describe('members.setRoles', () => {
    it('changes rights live: the member’s sockets get channels.changed', async () => {
      const target = await joinedMember();
      const changed = nextPush(target.socket, 'channels.changed');
      const set = await ok(roler.socket, 'members.setRoles', {
        publicKey: target.publicKey,
        roles: ['staff'],
      });
      expect(set).toEqual({ publicKey: target.publicKey, roles: ['staff'] });
      expect((await changed).channels.map((c) => c.id)).toContain('staff-room');
      expect((await ok(target.socket, 'session.get', {})).member?.roles).toEqual(['staff']);
      const history = await ok(target.socket, 'messages.history', { channelId: 'staff-room' });
      expect(history.messages).toEqual([]);

      const hidden = nextPush(target.socket, 'channels.changed');
      await ok(roler.socket, 'members.setRoles', { publicKey: target.publicKey, roles: [] });
      expect((await hidden).channels.map((c) => c.id)).not.toContain('staff-room');
      expect(await fails(target.socket, 'messages.history', { channelId: 'staff-room' })).toBe('not_found');

      expect(await auditOf(target.publicKey)).toEqual([
        {
          actor_key: root.publicKey,
          action: 'member.authorized',
          details: { roles: [], previousRoles: null },
        },
        {
          actor_key: roler.publicKey,
          action: 'member.roles_changed',
          details: { before: [], after: ['staff'] },
        },
        {
          actor_key: roler.publicKey,
          action: 'member.roles_changed',
          details: { before: ['staff'], after: [] },
        },
      ]);
    });

    it('refuses to grant or remove a role with permissions the actor does not hold (roots may)', async () => {
      const target = await joinedMember(['moderator']);
      const before = await snapshot();
      expect(
        await fails(roler.socket, 'members.setRoles', { publicKey: target.publicKey, roles: ['staff'] }),
      ).toBe('forbidden');
      expect(
        await fails(roler.socket, 'members.setRoles', {
          publicKey: plain.publicKey,
          roles: ['plain', 'moderator'],
        }),
      ).toBe('forbidden');
      expect(await fails(roler.socket, 'members.setRoles', { publicKey: root.publicKey, roles: [] })).toBe(
        'forbidden',
      );
      expect(await snapshot()).toEqual(before);

      await ok(roler.socket, 'members.setRoles', { publicKey: plain.publicKey, roles: ['plain', 'roler'] });
      await ok(root.socket, 'members.setRoles', { publicKey: target.publicKey, roles: ['staff'] });
      await ok(roler.socket, 'members.setRoles', { publicKey: plain.publicKey, roles: ['plain'] });
    });

    it('answers validation_failed for an unknown role and not_found for a key that is not authorized', async () => {
      expect(
        await fails(root.socket, 'members.setRoles', { publicKey: plain.publicKey, roles: ['emperor'] }),
      ).toBe('validation_failed');
      const stranger = await newIdentity();
      expect(
        await fails(root.socket, 'members.setRoles', { publicKey: stranger.publicKey.hex, roles: [] }),
      ).toBe('not_found');
    });
  });

  describe('audit log', () => {
    it("records a moderator removing someone else's message, and not an author deleting their own", async () => {
      const author = await joinedMember();
      const send = (socket: TestSocket, content: string) =>
        ok(socket, 'messages.send', { channelId: 'lobby', clientId: randomUUID(), content });
      const theirs = await send(author.socket, 'out of line');
      const own = await send(author.socket, 'oops');

      await ok(moderator.socket, 'messages.delete', { messageId: theirs.id });
      await ok(author.socket, 'messages.delete', { messageId: own.id });

      expect(await auditOf(theirs.id)).toEqual([
        {
          actor_key: moderator.publicKey,
          action: 'message.removed',
          details: { channelId: 'lobby', author: author.publicKey, seq: theirs.seq },
        },
      ]);
      expect(await auditOf(own.id)).toEqual([]);
      const newest = (await ok(moderator.socket, 'audit.list', { limit: 1 })).entries[0];
      expect(newest).toMatchObject({
        actor: moderator.publicKey,
        action: 'message.removed',
        target: theirs.id,
      });
    });

    it('pages newest first by cursor, without gaps or duplicates', async () => {
      const all = (
        await db.query<{ id: string }>('SELECT id::text AS id FROM audit_log ORDER BY audit_log.id DESC')
      ).rows.map((r) => r.id);
      expect(all.length).toBeGreaterThan(10);

      const seen: AuditEntryDto[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await ok(root.socket, 'audit.list', before ? { before, limit: 4 } : { limit: 4 });
        expect(page.entries.length).toBeLessThanOrEqual(4);
        seen.push(...page.entries);
        if (!page.hasMore) break;
        before = page.entries.at(-1)?.id;
      }
      expect(seen.map((e) => e.id)).toEqual(all);
      for (const entry of seen) expect(Number.isNaN(Date.parse(entry.at))).toBe(false);

      const first = await ok(moderator.socket, 'audit.list', {});
      expect(first.entries.map((e) => e.id)).toEqual(all.slice(0, 50));
      expect(first.hasMore).toBe(all.length > 50);
      expect(await fails(roler.socket, 'audit.list', {})).toBe('forbidden');
    });

    it('is append-only in the database: UPDATE, DELETE and TRUNCATE fail', async () => {
      const count = async () => (await db.query('SELECT id FROM audit_log')).rowCount;
      const before = await count();
      expect(before).toBeGreaterThan(0);
      await expect(db.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      expect(await count()).toBe(before);
      const forged = await db.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM audit_log WHERE action = 'forged'`,
      );
      expect(forged.rows[0]?.n).toBe('0');
    });
  });
});
