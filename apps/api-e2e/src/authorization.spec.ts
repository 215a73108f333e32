import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { Client } from 'pg';

import {
  type Envelope,
  type ErrorCode,
  type PushEvent,
  REQUEST_SCHEMAS,
  type RequestEvent,
  type RequestPayload,
  type ResponseTypes,
} from '@mpqcht/protocol';
import { type ApiProcess, startApi } from '@mpqcht/test-harness';

import { connect, connectRefused, fails, nextPush, ok, request, type TestSocket } from './support/client';
import { loginProof, newIdentity, type TestIdentity } from './support/identity';
import { sendMarker } from './support/joined-members';
import { pushMatching } from './support/push-matching';

/**
 * The authorization matrix: every client event, for every kind of subject, against the channels
 * they can and cannot view. Allowed calls succeed and do what they say; every other call is refused
 * with the expected code and changes nothing in the database; no push reaches a socket whose
 * member cannot view its channel. The expected rights are written out by hand below (not computed
 * with @mpqcht/permissions), so a resolver or enforcement bug shows up here.
 */

const LOBBY = 'lobby';
const ANNOUNCEMENTS = 'announcements';
const STAFF_ROOM = 'staff-room';
const CHANNELS = [LOBBY, ANNOUNCEMENTS, STAFF_ROOM] as const;
/** A channel id that config.toml does not have: a hidden channel must be refused exactly like it. */
const NOWHERE = 'no-such-channel';
type ChannelId = (typeof CHANNELS)[number];

/**
 * `lobby`: everyone views and writes (100 code points); `mod` moderates it and manages its threads. `announcements`:
 * read-only except for `writer`. `staff-room` (its own group): hidden except from `staff`.
 * `admin` manages members. `longform` may write 16000 code points anywhere.
 */
function configToml(rootKey: string): string {
  return `
[server]
name = "authorization"
root_keys = ["${rootKey}"]

[limits]
max_message_length = 300
# Generous rate limits: every test connects from 127.0.0.1 (rate-limits.spec.ts tests them).
burst = 10000
rate_per_second = 10000
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000

[[roles]]
id = "writer"
name = "Writer"

[[roles]]
id = "staff"
name = "Staff"
limits = { max_message_length = 2000 }

[[roles]]
id = "admin"
name = "Admin"
permissions = ["manage_members"]

[[roles]]
id = "mod"
name = "Mod"

[[roles]]
id = "longform"
name = "Longform"
limits = { max_message_length = 16000 }

[[groups]]
id = "general"
name = "General"

[[groups]]
id = "staff"
name = "Staff"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
default_permissions = { max_message_length = 100 }

[[channels.overrides]]
role = "mod"
allow = ["moderate", "manage_threads"]

[[channels]]
id = "announcements"
name = "announcements"
group = "general"
default_permissions = { write = false }

[[channels.overrides]]
role = "writer"
allow = ["write"]

[[channels]]
id = "staff-room"
name = "staff-room"
group = "staff"
default_permissions = { view = false }

[[channels.overrides]]
role = "staff"
allow = ["view"]
`;
}

const SUBJECTS = ['root', 'plain', 'writer', 'staff', 'admin', 'mod', 'pending'] as const;
type SubjectName = (typeof SUBJECTS)[number];

interface Rights {
  /** false: authorized, but no display name picked yet. */
  readonly joined: boolean;
  readonly roles: readonly string[];
  readonly view: readonly ChannelId[];
  readonly write: readonly ChannelId[];
  readonly moderate: readonly ChannelId[];
  /** Where they rename, lock, archive and delete anyone's threads. */
  readonly manageThreads: readonly ChannelId[];
  readonly manageMembers: boolean;
}

const ALL: readonly ChannelId[] = CHANNELS;
const PUBLIC: readonly ChannelId[] = [LOBBY, ANNOUNCEMENTS];

const RIGHTS: Record<SubjectName, Rights> = {
  root: {
    joined: true,
    roles: [],
    view: ALL,
    write: ALL,
    moderate: ALL,
    manageThreads: ALL,
    manageMembers: true,
  },
  plain: {
    joined: true,
    roles: [],
    view: PUBLIC,
    write: [LOBBY],
    moderate: [],
    manageThreads: [],
    manageMembers: false,
  },
  writer: {
    joined: true,
    roles: ['writer'],
    view: PUBLIC,
    write: PUBLIC,
    moderate: [],
    manageThreads: [],
    manageMembers: false,
  },
  staff: {
    joined: true,
    roles: ['staff'],
    view: ALL,
    write: [LOBBY, STAFF_ROOM],
    moderate: [],
    manageThreads: [],
    manageMembers: false,
  },
  admin: {
    joined: true,
    roles: ['admin'],
    view: PUBLIC,
    write: [LOBBY],
    moderate: [],
    manageThreads: [],
    manageMembers: true,
  },
  mod: {
    joined: true,
    roles: ['mod'],
    view: PUBLIC,
    write: [LOBBY],
    moderate: [LOBBY],
    manageThreads: [LOBBY],
    manageMembers: false,
  },
  pending: {
    joined: false,
    roles: [],
    view: [],
    write: [],
    moderate: [],
    manageThreads: [],
    manageMembers: false,
  },
};

interface Push {
  readonly event: string;
  readonly payload: unknown;
}

/** A key with one live socket whose every push is logged. */
interface Party {
  readonly name: string;
  readonly identity: TestIdentity;
  readonly publicKey: string;
  readonly socket: TestSocket;
  /** The channels whose pushes this socket may receive. */
  readonly view: ReadonlySet<string>;
  readonly log: Push[];
}

type Outcome = 'ok' | ErrorCode;

/** The channel of each thread the matrix made: a thread's pushes are about its channel. */
const threadChannels = new Map<string, ChannelId>();

/** The stream a payload names (a channel's id, or a thread's `thread:<id>`). */
function streamOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('channelId' in payload)) return undefined;
  return typeof payload.channelId === 'string' ? payload.channelId : undefined;
}

/** The channel a payload is about: its own, or its thread's. */
function channelOf(payload: unknown): string | undefined {
  const stream = streamOf(payload);
  return stream === undefined ? undefined : (threadChannels.get(stream) ?? stream);
}

/** A thread that does not exist: a hidden channel's thread must be refused exactly like it. */
const NO_THREAD = `thread:${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`;

function clientIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('clientId' in payload)) return undefined;
  return typeof payload.clientId === 'string' ? payload.clientId : undefined;
}

describe('authorization', () => {
  let api: ApiProcess;
  let db: Client;
  const sockets: TestSocket[] = [];
  const parties = new Map<string, Party>();
  /** Everyone whose pushes are checked after every call: the subjects and the watcher. */
  const observers: Party[] = [];
  const markers = new Set<string>();
  /** One message per channel, by the watcher, for markRead and history. */
  const seeded = new Map<ChannelId, string>();
  /** Per channel, a thread (by the watcher) and one message in it. */
  const threads = new Map<ChannelId, { streamId: string; message: string }>();
  let rootKey: TestIdentity;

  async function login(identity: TestIdentity): Promise<TestSocket> {
    const socket = await connect(api, identity);
    sockets.push(socket);
    return socket;
  }

  /** Root authorizes a new key with `roles`; it logs in and, unless `join` is false, joins. */
  async function party(name: string, roles: readonly string[], view: readonly string[], join = true) {
    const identity = name === 'root' ? rootKey : await newIdentity();
    if (name !== 'root') {
      await ok(by('root').socket, 'members.authorize', {
        publicKey: identity.publicKey.hex,
        roles: [...roles],
      });
    }
    const socket = await login(identity);
    const log: Push[] = [];
    socket.onAny((event: string, payload: unknown) => log.push({ event, payload }));
    if (join) await ok(socket, 'member.join', { displayName: name });
    const p: Party = { name, identity, publicKey: identity.publicKey.hex, socket, view: new Set(view), log };
    parties.set(name, p);
    return p;
  }

  function by(name: string): Party {
    const p = parties.get(name);
    if (!p) throw new Error(`no party ${name}`);
    return p;
  }

  beforeAll(async () => {
    rootKey = await newIdentity();
    api = await startApi({ configToml: configToml(rootKey.publicKey.hex) });
    db = new Client({ connectionString: api.databaseUrl() });
    await db.connect();
    observers.push(await party('root', [], ALL));
    for (const name of SUBJECTS.filter((s) => s !== 'root')) {
      const rights = RIGHTS[name];
      observers.push(await party(name, rights.roles, rights.view, rights.joined));
    }
    observers.push(await party('watcher', ['staff'], ALL));
    for (const channelId of CHANNELS) seeded.set(channelId, await seed(channelId, by('watcher').publicKey));
    for (const channelId of CHANNELS) {
      const streamId = await seedThread(channelId);
      threads.set(channelId, { streamId, message: await seed(streamId, by('watcher').publicKey) });
    }
  });

  /** A thread by the watcher on a new message of the channel, stored directly (no push). */
  async function seedThread(channelId: ChannelId): Promise<string> {
    const parent = await seed(channelId, by('watcher').publicKey);
    await db.query('INSERT INTO threads (id, channel_id, name, creator_key) VALUES ($1, $2, $3, $4)', [
      parent,
      channelId,
      `seeded in ${channelId}`,
      by('watcher').publicKey,
    ]);
    const streamId = `thread:${parent}`;
    threadChannels.set(streamId, channelId);
    return streamId;
  }

  /** Every stream the message requests are tried in: each channel, and a thread of each. */
  function streams(): { streamId: string; channelId: ChannelId; seeded: string; missing: string }[] {
    return CHANNELS.flatMap((channelId) => {
      const thread = threads.get(channelId);
      if (!thread) throw new Error(`no thread in ${channelId}`);
      return [
        { streamId: channelId, channelId, seeded: seeded.get(channelId) ?? '', missing: NOWHERE },
        { streamId: thread.streamId, channelId, seeded: thread.message, missing: NO_THREAD },
      ];
    });
  }

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await db.end();
    await api.dispose();
  });

  /** A message stored directly in the database (no push): the target of an edit, delete or markRead. */
  async function seed(channelId: string, author: string): Promise<string> {
    const result = await db.query<{ id: string }>(
      `SELECT id FROM mpqcht_post_messages(ARRAY[$1], ARRAY[$2], ARRAY[$3]::uuid[], ARRAY[$4], '[[]]')`,
      [channelId, author, randomUUID(), `seeded in ${channelId}`],
    );
    const id = result.rows[0]?.id;
    if (!id) throw new Error('no seeded message');
    return id;
  }

  async function snapshot() {
    const rows = async (sql: string): Promise<unknown[]> =>
      (await db.query<Record<string, unknown>>(sql)).rows;
    return {
      messages: await rows(
        `SELECT id, channel_id, seq, author_key, client_id, content, mentions, edited_at, deleted_at
         FROM messages ORDER BY id`,
      ),
      sequences: await rows('SELECT * FROM channel_sequences ORDER BY channel_id'),
      readMarkers: await rows('SELECT * FROM read_markers ORDER BY member_key, channel_id'),
      members: await rows(
        `SELECT public_key, display_name, roles, authorized_by, authorized_at, joined_at
         FROM members ORDER BY public_key`,
      ),
      bans: await rows('SELECT * FROM bans ORDER BY public_key'),
      audit: await rows('SELECT * FROM audit_log ORDER BY id'),
      invites: await rows('SELECT * FROM invites ORDER BY id'),
      threads: await rows('SELECT * FROM threads ORDER BY id'),
      followers: await rows(
        'SELECT thread_id, member_key FROM thread_followers ORDER BY thread_id, member_key',
      ),
    };
  }

  /**
   * Waits until every push the server made so far has reached every observer: a marker message in
   * the lobby for those who see it (pushes to one socket arrive in order), and a round trip on
   * their own socket for those who see no channel.
   */
  async function barrier(): Promise<void> {
    const clientId = randomUUID();
    markers.add(clientId);
    const arrivals = observers
      .filter((o) => o.view.has(LOBBY))
      .map((o) => pushMatching(o.socket, 'message.created', (m) => m.clientId === clientId));
    await ok(by('watcher').socket, 'messages.send', { channelId: LOBBY, clientId, content: 'marker' });
    await Promise.all(arrivals);
    await Promise.all(
      observers.filter((o) => !o.view.has(LOBBY)).map((o) => ok(o.socket, 'session.get', {})),
    );
  }

  /**
   * Runs `call`, waits for its pushes, and returns what each observer received meanwhile (markers
   * left out), after checking that none of it is about a channel the observer cannot view.
   */
  async function observe<T>(call: () => Promise<T>): Promise<{ result: T; pushes: Map<string, Push[]> }> {
    const marks = new Map(observers.map((o) => [o.name, o.log.length]));
    const result = await call();
    await barrier();
    const pushes = new Map(
      observers.map((o) => [
        o.name,
        o.log
          .slice(marks.get(o.name))
          .filter((p) => !(p.event === 'message.created' && markers.has(clientIdOf(p.payload) ?? ''))),
      ]),
    );
    for (const o of observers) {
      const leaked = (pushes.get(o.name) ?? []).filter((p) => {
        const channelId = channelOf(p.payload);
        return channelId !== undefined && !o.view.has(channelId);
      });
      expect({ observer: o.name, leaked }).toEqual({ observer: o.name, leaked: [] });
    }
    return { result, pushes };
  }

  function pushesOf(pushes: Map<string, Push[]>, event: PushEvent, matches: (payload: unknown) => boolean) {
    return observers.filter((o) =>
      (pushes.get(o.name) ?? []).some((p) => p.event === event && matches(p.payload)),
    );
  }

  /**
   * One call with its expected outcome. A refused call must change nothing in the database and push
   * nothing to anyone; an allowed one returns its data for the case to check its effect. A call
   * refused with `not_found` (a hidden channel, or a message in one) is made again with `missing`,
   * the same request naming a channel or message that does not exist, and both errors must be
   * identical (code, message and details), so nothing tells hidden from nonexistent.
   */
  async function attempt<E extends RequestEvent>(
    who: Party,
    event: E,
    payload: RequestPayload<E>,
    expected: Outcome,
    where = '',
    missing?: RequestPayload<E>,
  ): Promise<{ data: ResponseTypes[E] | undefined; pushes: Map<string, Push[]> }> {
    const before = await snapshot();
    const { result, pushes } = await observe(async () => {
      const envelope: Envelope<ResponseTypes[E]> = await request(who.socket, event, payload);
      return { envelope, after: await snapshot() };
    });
    const { envelope, after } = result;
    const got: Outcome = envelope.ok ? 'ok' : envelope.error.code;
    expect({ who: who.name, event, where, outcome: got }).toEqual({
      who: who.name,
      event,
      where,
      outcome: expected,
    });
    if (expected === 'not_found') {
      if (!missing) throw new Error(`${event} (${where}): a not_found case needs its nonexistent twin`);
      const twin: Envelope<ResponseTypes[E]> = await request(who.socket, event, missing);
      expect({ event, where, error: envelope.ok ? undefined : envelope.error }).toEqual({
        event,
        where,
        error: twin.ok ? undefined : twin.error,
      });
    }
    if (expected !== 'ok') {
      expect(after).toEqual(before);
      for (const o of observers) {
        expect({ observer: o.name, pushes: pushes.get(o.name) }).toEqual({ observer: o.name, pushes: [] });
      }
    }
    return { data: envelope.ok ? envelope.data : undefined, pushes };
  }

  function rights(who: Party): Rights {
    return RIGHTS[who.name as SubjectName];
  }

  /** What a call that needs `flag` in `channelId` answers for `who`. */
  function channelOutcome(
    who: Party,
    channelId: ChannelId,
    flag: 'view' | 'write' | 'moderate' | 'manageThreads',
  ): Outcome {
    const r = rights(who);
    if (!r.joined) return 'not_joined';
    if (!r.view.includes(channelId)) return 'not_found';
    if (flag !== 'view' && !r[flag].includes(channelId)) return 'forbidden';
    return 'ok';
  }

  function serverOutcome(who: Party): Outcome {
    const r = rights(who);
    if (!r.joined) return 'not_joined';
    return r.manageMembers ? 'ok' : 'forbidden';
  }

  /** No subject but root holds manage_roles, kick, ban or view_audit_log. */
  function rootOnlyOutcome(who: Party): Outcome {
    const r = rights(who);
    if (!r.joined) return 'not_joined';
    return who.name === 'root' ? 'ok' : 'forbidden';
  }

  /** An authorized key without a socket, stored directly: the target of a moderation call. */
  async function storedTarget(): Promise<string> {
    const target = (await newIdentity()).publicKey.hex;
    await db.query('INSERT INTO members (public_key, roles, authorized_by) VALUES ($1, $2, $3)', [
      target,
      [],
      by('root').publicKey,
    ]);
    return target;
  }

  async function banRow(publicKey: string) {
    const result = await db.query<{ reason: string }>('SELECT reason FROM bans WHERE public_key = $1', [
      publicKey,
    ]);
    return result.rows[0];
  }

  async function memberRow(publicKey: string) {
    const result = await db.query<{
      display_name: string | null;
      roles: string[];
      authorized_by: string | null;
    }>('SELECT display_name, roles, authorized_by FROM members WHERE public_key = $1', [publicKey]);
    return result.rows[0];
  }

  /** The id of the newest live message in a channel, from the database. */
  async function newestIn(channelId: string): Promise<string | undefined> {
    const result = await db.query<{ id: string }>(
      'SELECT id FROM messages WHERE channel_id = $1 AND deleted_at IS NULL ORDER BY id DESC LIMIT 1',
      [channelId],
    );
    return result.rows[0]?.id;
  }

  /** The channel's latest change number (`messages.since`), from the database. */
  async function headRevOf(channelId: string): Promise<number> {
    const result = await db.query<{ last_rev: string }>(
      'SELECT last_rev FROM channel_sequences WHERE channel_id = $1',
      [channelId],
    );
    return Number(result.rows[0]?.last_rev ?? 0);
  }

  async function messageRow(id: string) {
    const result = await db.query<{ content: string; edited_at: Date | null; deleted_at: Date | null }>(
      'SELECT content, edited_at, deleted_at FROM messages WHERE id = $1',
      [id],
    );
    return result.rows[0];
  }

  const MATRIX: { readonly [E in RequestEvent]: (who: Party) => Promise<void> } = {
    'session.get': async (who) => {
      const { data } = await attempt(who, 'session.get', {}, 'ok');
      expect(data?.publicKey).toBe(who.publicKey);
      expect(data?.isRoot).toBe(who.name === 'root');
      expect(data?.member?.publicKey ?? null).toBe(rights(who).joined ? who.publicKey : null);
    },

    'member.join': async (who) => {
      if (rights(who).joined) {
        await attempt(who, 'member.join', { displayName: 'Someone Else' }, 'already_joined');
        return;
      }
      // Joining is what a key that has not joined may do: shown with a fresh key of the same kind,
      // so the pending subject stays pending for the other events.
      const fresh = await newIdentity();
      await ok(by('root').socket, 'members.authorize', { publicKey: fresh.publicKey.hex, roles: [] });
      const socket = await login(fresh);
      const { data } = await attempt(
        { ...who, socket },
        'member.join',
        { displayName: `joiner ${fresh.publicKey.hex.slice(2, 10)}` },
        'ok',
      );
      expect(data?.publicKey).toBe(fresh.publicKey.hex);
      expect((await memberRow(fresh.publicKey.hex))?.display_name).toBe(data?.displayName);
      socket.close();
    },

    'members.list': async (who) => {
      const expected = rights(who).joined ? 'ok' : 'not_joined';
      const { data } = await attempt(who, 'members.list', {}, expected);
      if (expected === 'ok') expect(data?.map((m) => m.publicKey)).toContain(who.publicKey);
    },

    'members.subscribe': async (who) => {
      const expected = rights(who).joined ? 'ok' : 'not_joined';
      const { data } = await attempt(who, 'members.subscribe', {}, expected);
      if (expected === 'ok') expect(data?.map((m) => m.publicKey)).toContain(who.publicKey);
    },

    'members.unsubscribe': async (who) => {
      const expected = rights(who).joined ? 'ok' : 'not_joined';
      const { data } = await attempt(who, 'members.unsubscribe', {}, expected);
      if (expected === 'ok') expect(data).toEqual({});
    },

    'members.authorize': async (who) => {
      const fresh = (await newIdentity()).publicKey.hex;
      const expected = serverOutcome(who);
      const { data } = await attempt(
        who,
        'members.authorize',
        { publicKey: fresh, roles: ['writer'] },
        expected,
      );
      if (expected === 'ok') {
        expect(data).toMatchObject({ publicKey: fresh, roles: ['writer'] });
        expect(await memberRow(fresh)).toEqual({
          display_name: null,
          roles: ['writer'],
          authorized_by: who.publicKey,
        });
      } else {
        expect(await memberRow(fresh)).toBeUndefined();
      }
    },

    'members.revoke': async (who) => {
      const target = (await newIdentity()).publicKey.hex;
      await db.query('INSERT INTO members (public_key, roles, authorized_by) VALUES ($1, $2, $3)', [
        target,
        [],
        by('root').publicKey,
      ]);
      const expected = serverOutcome(who);
      await attempt(who, 'members.revoke', { publicKey: target }, expected);
      expect(await memberRow(target)).toEqual(
        expected === 'ok'
          ? undefined
          : { display_name: null, roles: [], authorized_by: by('root').publicKey },
      );
    },

    'members.setRoles': async (who) => {
      const target = await storedTarget();
      const expected = rootOnlyOutcome(who);
      await attempt(who, 'members.setRoles', { publicKey: target, roles: ['writer'] }, expected);
      expect((await memberRow(target))?.roles).toEqual(expected === 'ok' ? ['writer'] : []);
    },

    'members.kick': async (who) => {
      const target = await storedTarget();
      await attempt(who, 'members.kick', { publicKey: target }, rootOnlyOutcome(who));
      expect(await memberRow(target)).toBeDefined();
    },

    'members.ban': async (who) => {
      const target = await storedTarget();
      const expected = rootOnlyOutcome(who);
      await attempt(who, 'members.ban', { publicKey: target, reason: 'matrix' }, expected);
      expect(await banRow(target)).toEqual(expected === 'ok' ? { reason: 'matrix' } : undefined);
      expect(await memberRow(target)).toEqual(
        expected === 'ok'
          ? undefined
          : { display_name: null, roles: [], authorized_by: by('root').publicKey },
      );
    },

    'members.unban': async (who) => {
      const target = (await newIdentity()).publicKey.hex;
      await db.query('INSERT INTO bans (public_key, reason, banned_by) VALUES ($1, $2, $3)', [
        target,
        'seeded',
        by('root').publicKey,
      ]);
      const expected = rootOnlyOutcome(who);
      await attempt(who, 'members.unban', { publicKey: target }, expected);
      expect(await banRow(target)).toEqual(expected === 'ok' ? undefined : { reason: 'seeded' });
    },

    'bans.list': async (who) => {
      const { data } = await attempt(who, 'bans.list', {}, rootOnlyOutcome(who));
      if (data) expect(Array.isArray(data)).toBe(true);
    },

    'audit.list': async (who) => {
      const { data } = await attempt(who, 'audit.list', {}, rootOnlyOutcome(who));
      if (data) expect(data.entries.length).toBeGreaterThan(0);
    },

    // No subject but root holds `manage_config` (config-over-protocol.spec.ts covers real edits).
    'config.get': async (who) => {
      const { data } = await attempt(who, 'config.get', {}, rootOnlyOutcome(who));
      if (data) expect(data.text).toBe(fs.readFileSync(api.configPath, 'utf8'));
    },

    // A root replaces the text with itself: a real replacement would change the matrix's config.
    'config.replace': async (who) => {
      const before = fs.readFileSync(api.configPath);
      const hash = createHash('sha256').update(before).digest('hex');
      const { data } = await attempt(
        who,
        'config.replace',
        { text: before.toString('utf8'), expectedHash: hash },
        rootOnlyOutcome(who),
      );
      expect(fs.readFileSync(api.configPath).equals(before)).toBe(true);
      if (data) expect(data.hash).toBe(hash);
    },

    // No subject but root holds `invite` (invites.spec.ts covers the permission and redemption).
    'invites.create': async (who) => {
      const { data } = await attempt(who, 'invites.create', { maxUses: 1 }, rootOnlyOutcome(who));
      if (data) expect(data).toMatchObject({ maxUses: 1, uses: 0, createdBy: who.publicKey });
    },

    'invites.list': async (who) => {
      const { data } = await attempt(who, 'invites.list', {}, rootOnlyOutcome(who));
      if (data) expect(Array.isArray(data)).toBe(true);
    },

    'invites.revoke': async (who) => {
      const seededInvite = await db.query<{ id: string }>(
        `INSERT INTO invites (code_hash, created_by) VALUES (sha256(gen_random_uuid()::text::bytea), $1)
         RETURNING id::text AS id`,
        [by('root').publicKey],
      );
      const id = seededInvite.rows[0]?.id ?? '';
      const expected = rootOnlyOutcome(who);
      await attempt(who, 'invites.revoke', { id }, expected);
      const row = await db.query<{ revoked: boolean }>(
        'SELECT revoked_at IS NOT NULL AS revoked FROM invites WHERE id = $1',
        [id],
      );
      expect(row.rows[0]?.revoked).toBe(expected === 'ok');
    },

    'channels.list': async (who) => {
      const r = rights(who);
      const { data } = await attempt(who, 'channels.list', {}, r.joined ? 'ok' : 'not_joined');
      if (!r.joined) return;
      expect(data?.channels.map((c) => c.id)).toEqual(r.view);
      // A group is listed only when it holds a channel the member can view.
      expect(data?.groups.map((g) => g.id)).toEqual(
        r.view.includes(STAFF_ROOM) ? ['general', 'staff'] : ['general'],
      );
      // Each channel tells the member what they may do there, so a client hides the rest.
      const rightsIn = (id: string) => data?.channels.find((c) => c.id === id)?.rights;
      expect(rightsIn('announcements')?.write).toBe(who.name === 'root' || who.name === 'writer');
      expect(rightsIn('lobby')?.moderate).toBe(who.name === 'root' || who.name === 'mod');
      expect(rightsIn('lobby')?.manage_threads).toBe(who.name === 'root' || who.name === 'mod');
      // Threads are started by writing: not where the member cannot write.
      expect(rightsIn('announcements')?.create_threads).toBe(who.name === 'root' || who.name === 'writer');
      // A role's own limit comes after the channel's default (docs/permissions.md).
      const lobbyLimit = who.name === 'root' ? 16000 : who.name === 'staff' ? 2000 : 100;
      expect(rightsIn('lobby')?.maxMessageLength).toBe(lobbyLimit);
    },

    'channels.markRead': async (who) => {
      for (const { streamId, channelId, seeded: messageId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'view');
        const { data, pushes } = await attempt(
          who,
          'channels.markRead',
          { channelId: streamId, messageId },
          expected,
          streamId,
          { channelId: missing, messageId },
        );
        if (expected !== 'ok') continue;
        expect(data).toMatchObject({ channelId: streamId, lastReadMessageId: messageId });
        const marker = await db.query(
          'SELECT 1 FROM read_markers WHERE member_key = $1 AND channel_id = $2',
          [who.publicKey, streamId],
        );
        expect(marker.rowCount).toBe(1);
        // Only the member's own sockets hear of it.
        expect(
          pushesOf(pushes, 'readState.updated', (p) => streamOf(p) === streamId).map((o) => o.name),
        ).toEqual([who.name]);
      }
    },

    'channels.viewers': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'view');
        const { data } = await attempt(who, 'channels.viewers', { channelId: streamId }, expected, streamId, {
          channelId: missing,
        });
        if (expected !== 'ok') continue;
        expect(data?.channelId).toBe(streamId);
        // Every joined observer who can view it (root too), none who cannot; the pending key
        // (authorized, not joined) views nothing.
        const named = observers.filter((o) => data?.publicKeys.includes(o.publicKey)).map((o) => o.name);
        expect({ channelId, named }).toEqual({
          channelId,
          named: observers.filter((o) => o.view.has(channelId)).map((o) => o.name),
        });
        expect(data?.publicKeys).not.toContain(by('pending').publicKey);
      }
    },

    'messages.send': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const clientId = randomUUID();
        const expected = channelOutcome(who, channelId, 'write');
        const content = `from ${who.name} in ${streamId}`;
        const { data, pushes } = await attempt(
          who,
          'messages.send',
          { channelId: streamId, clientId, content },
          expected,
          streamId,
          { channelId: missing, clientId: randomUUID(), content },
        );
        const rows = await db.query(
          'SELECT channel_id, author_key, content FROM messages WHERE client_id = $1',
          [clientId],
        );
        if (expected !== 'ok') {
          expect(rows.rows).toEqual([]);
          continue;
        }
        expect(rows.rows).toEqual([{ channel_id: streamId, author_key: who.publicKey, content }]);
        // Exactly the observers who can view the channel receive it (the sender's socket included).
        expect(
          pushesOf(pushes, 'message.created', (p) => clientIdOf(p) === clientId).map((o) => o.name),
        ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
        expect(data?.channelId).toBe(streamId);
      }
    },

    'messages.edit': async (who) => {
      for (const { streamId, channelId } of streams()) {
        for (const own of [true, false]) {
          const messageId = await seed(streamId, own ? who.publicKey : by('watcher').publicKey);
          const r = rights(who);
          const expected: Outcome = !own
            ? channelOutcome(who, channelId, 'view') === 'ok'
              ? 'forbidden'
              : channelOutcome(who, channelId, 'view')
            : channelOutcome(who, channelId, 'write');
          const where = `${own ? 'own' : "another's"} message in ${streamId}`;
          const { pushes } = await attempt(
            who,
            'messages.edit',
            { messageId, content: 'edited' },
            expected,
            where,
            { messageId: randomUUID(), content: 'edited' },
          );
          if (expected !== 'ok') continue;
          expect(r.write).toContain(channelId);
          const edited = await messageRow(messageId);
          expect(edited?.content).toBe('edited');
          expect(edited?.edited_at).toBeInstanceOf(Date);
          expect(
            pushesOf(pushes, 'message.updated', (p) => (p as { id?: string }).id === messageId).map(
              (o) => o.name,
            ),
          ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
        }
      }
    },

    'messages.delete': async (who) => {
      for (const { streamId, channelId } of streams()) {
        for (const own of [true, false]) {
          const messageId = await seed(streamId, own ? who.publicKey : by('watcher').publicKey);
          const view = channelOutcome(who, channelId, 'view');
          const moderate = channelOutcome(who, channelId, 'moderate');
          // Own messages: write (or moderate) there; others': moderate there.
          const expected: Outcome =
            view !== 'ok'
              ? view
              : moderate === 'ok'
                ? 'ok'
                : own
                  ? channelOutcome(who, channelId, 'write')
                  : 'forbidden';
          const where = `${own ? 'own' : "another's"} message in ${streamId}`;
          const { pushes } = await attempt(who, 'messages.delete', { messageId }, expected, where, {
            messageId: randomUUID(),
          });
          if (expected !== 'ok') continue;
          const deleted = await messageRow(messageId);
          expect(deleted?.content).toBe('');
          expect(deleted?.deleted_at).toBeInstanceOf(Date);
          expect(
            pushesOf(
              pushes,
              'message.deleted',
              (p) => (p as { messageId?: string }).messageId === messageId,
            ).map((o) => o.name),
          ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
        }
      }
    },

    'messages.history': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'view');
        const newest = await newestIn(streamId);
        const { data } = await attempt(who, 'messages.history', { channelId: streamId }, expected, streamId, {
          channelId: missing,
        });
        if (expected !== 'ok') continue;
        expect(data?.messages.every((m) => m.channelId === streamId)).toBe(true);
        // The newest page ends with the channel's newest message (the barrier's marker came after).
        expect(data?.messages.at(-1)?.id).toBe(newest);
      }
    },

    'messages.around': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'view');
        const newest = (await newestIn(streamId)) ?? '';
        const { data } = await attempt(
          who,
          'messages.around',
          { channelId: streamId, messageId: newest },
          expected,
          streamId,
          { channelId: missing, messageId: newest },
        );
        if (expected !== 'ok') continue;
        expect(data?.messages.every((m) => m.channelId === streamId)).toBe(true);
        expect(data?.messages.at(-1)?.id).toBe(newest);
      }
    },

    'search.messages': async (who) => {
      const r = rights(who);
      const everything = 'after:2000-01-01';
      const { data } = await attempt(
        who,
        'search.messages',
        { query: everything, limit: 50 },
        r.joined ? 'ok' : 'not_joined',
      );
      if (!r.joined) return;
      expect(data?.results.length).toBeGreaterThan(0);
      expect(data?.results.filter((hit) => !r.view.includes(hit.channelId as ChannelId))).toEqual([]);
      for (const channelId of CHANNELS) {
        // `in:` a channel the member cannot view is refused exactly like `in:` one that does not exist.
        const visible = r.view.includes(channelId);
        const query = `in:${channelId} ${everything}`;
        const found = await attempt(
          who,
          'search.messages',
          { query, limit: 50 },
          visible ? 'ok' : 'validation_failed',
          channelId,
        );
        if (visible) {
          expect(found.data?.results.length).toBeGreaterThan(0);
          expect(found.data?.results.every((hit) => hit.channelId === channelId)).toBe(true);
          continue;
        }
        const hidden = await request(who.socket, 'search.messages', { query });
        const twin = await request(who.socket, 'search.messages', { query: `in:${NOWHERE} ${everything}` });
        expect(JSON.stringify(hidden).replaceAll(channelId, '?')).toBe(
          JSON.stringify(twin).replaceAll(NOWHERE, '?'),
        );
      }
    },

    'messages.since': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'view');
        const head = await headRevOf(streamId);
        const newest = await newestIn(streamId);
        const { data } = await attempt(
          who,
          'messages.since',
          { channelId: streamId, afterRev: Math.max(0, head - 1) },
          expected,
          streamId,
          { channelId: missing, afterRev: Math.max(0, head - 1) },
        );
        if (expected !== 'ok') continue;
        // One change back from the head: the channel's latest change, which is its newest message
        // (every earlier case's change was followed by a barrier marker in the lobby).
        expect(data?.rev).toBe(head);
        expect(data?.hasMore).toBe(false);
        expect(data?.messages.every((m) => m.channelId === streamId)).toBe(true);
        expect([
          ...(data?.messages ?? []).map((m) => m.id),
          ...(data?.deleted ?? []).map((d) => d.messageId),
        ]).toHaveLength(1);
        if (streamId === LOBBY) expect(data?.messages.map((m) => m.id)).toEqual([newest]);
      }
    },

    'typing.start': async (who) => {
      for (const { streamId, channelId, missing } of streams()) {
        const expected = channelOutcome(who, channelId, 'write');
        const { pushes } = await attempt(who, 'typing.start', { channelId: streamId }, expected, streamId, {
          channelId: missing,
        });
        if (expected !== 'ok') continue;
        // The others who can view the channel; not the typist's own socket.
        expect(
          pushesOf(
            pushes,
            'typing.started',
            (p) => streamOf(p) === streamId && (p as { publicKey?: string }).publicKey === who.publicKey,
          ).map((o) => o.name),
        ).toEqual(observers.filter((o) => o.view.has(channelId) && o !== who).map((o) => o.name));
      }
    },

    'threads.create': async (who) => {
      for (const channelId of CHANNELS) {
        const messageId = await seed(channelId, by('watcher').publicKey);
        // create_threads is everyone's where they write (threads.spec.ts covers the rest).
        const expected = channelOutcome(who, channelId, 'write');
        const { data, pushes } = await attempt(
          who,
          'threads.create',
          { channelId, messageId, name: `by ${who.name}` },
          expected,
          channelId,
          { channelId: NOWHERE, messageId, name: `by ${who.name}` },
        );
        if (expected !== 'ok') continue;
        threadChannels.set(`thread:${messageId}`, channelId);
        expect(data).toMatchObject({ id: messageId, channelId, creator: who.publicKey, following: true });
        const row = await db.query(
          'SELECT 1 FROM thread_followers WHERE thread_id = $1 AND member_key = $2',
          [messageId, who.publicKey],
        );
        expect(row.rowCount).toBe(1);
        expect(
          pushesOf(pushes, 'thread.updated', (p) => (p as { id?: string }).id === messageId).map(
            (o) => o.name,
          ),
        ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
      }
    },

    'threads.list': async (who) => {
      for (const channelId of CHANNELS) {
        const expected = channelOutcome(who, channelId, 'view');
        const { data } = await attempt(who, 'threads.list', { channelId }, expected, channelId, {
          channelId: NOWHERE,
        });
        if (expected !== 'ok') continue;
        expect(data?.threads.every((t) => t.channelId === channelId)).toBe(true);
        expect(data?.threads.map((t) => t.streamId)).toContain(threads.get(channelId)?.streamId);
      }
    },

    'threads.get': async (who) => {
      for (const { streamId, channelId } of streams().filter((s) => s.missing === NO_THREAD)) {
        const expected = channelOutcome(who, channelId, 'view');
        const { data } = await attempt(who, 'threads.get', { channelId: streamId }, expected, streamId, {
          channelId: NO_THREAD,
        });
        if (expected !== 'ok') continue;
        expect(data).toMatchObject({ streamId, channelId, creator: by('watcher').publicKey });
      }
    },

    // Renaming someone else's thread (the watcher's) needs manage_threads.
    'threads.update': async (who) => {
      for (const { streamId, channelId } of streams().filter((s) => s.missing === NO_THREAD)) {
        const expected = channelOutcome(who, channelId, 'manageThreads');
        const name = `renamed by ${who.name}`;
        const { data, pushes } = await attempt(
          who,
          'threads.update',
          { channelId: streamId, name },
          expected,
          streamId,
          { channelId: NO_THREAD, name },
        );
        if (expected !== 'ok') continue;
        expect(data).toMatchObject({ streamId, name });
        expect(
          pushesOf(pushes, 'thread.updated', (p) => (p as { name?: string }).name === name).map(
            (o) => o.name,
          ),
        ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
      }
    },

    'threads.delete': async (who) => {
      for (const channelId of CHANNELS) {
        const streamId = await seedThread(channelId);
        const expected = channelOutcome(who, channelId, 'manageThreads');
        const { data, pushes } = await attempt(
          who,
          'threads.delete',
          { channelId: streamId },
          expected,
          channelId,
          { channelId: NO_THREAD },
        );
        const row = await db.query<{ deleted: boolean }>(
          'SELECT deleted_at IS NOT NULL AS deleted FROM threads WHERE id = $1',
          [streamId.slice('thread:'.length)],
        );
        expect(row.rows).toEqual([{ deleted: expected === 'ok' }]);
        if (expected !== 'ok') continue;
        expect(data).toEqual({ channelId, streamId, id: streamId.slice('thread:'.length) });
        expect(
          pushesOf(pushes, 'thread.deleted', (p) => (p as { streamId?: string }).streamId === streamId).map(
            (o) => o.name,
          ),
        ).toEqual(observers.filter((o) => o.view.has(channelId)).map((o) => o.name));
      }
    },

    'threads.follow': async (who) => {
      for (const { streamId, channelId } of streams().filter((s) => s.missing === NO_THREAD)) {
        const expected = channelOutcome(who, channelId, 'view');
        const { data, pushes } = await attempt(
          who,
          'threads.follow',
          { channelId: streamId, follow: true },
          expected,
          streamId,
          { channelId: NO_THREAD, follow: true },
        );
        if (expected !== 'ok') continue;
        expect(data).toMatchObject({ streamId, following: true });
        // Only the member's own sockets hear of it.
        expect(
          pushesOf(pushes, 'thread.following', (p) => (p as { streamId?: string }).streamId === streamId).map(
            (o) => o.name,
          ),
        ).toEqual([who.name]);
      }
    },

    'threads.followed': async (who) => {
      const r = rights(who);
      const { data } = await attempt(who, 'threads.followed', {}, r.joined ? 'ok' : 'not_joined');
      if (!r.joined) return;
      // Only threads of channels the member can view, each followed (threads.follow ran first).
      expect(data?.every((t) => t.following && r.view.includes(t.channelId as ChannelId))).toBe(true);
      expect(new Set(data?.map((t) => t.channelId))).toEqual(new Set(r.view));
    },

    // This community has text channels only: voice.spec.ts covers calls in voice channels (and a
    // hidden one); here every subject meets each voice request's refusal in its channels.
    'voice.rooms': async (who) => {
      const { data } = await attempt(who, 'voice.rooms', {}, rights(who).joined ? 'ok' : 'not_joined');
      if (rights(who).joined) expect(data).toEqual([]);
    },

    'voice.join': async (who) => {
      for (const channelId of CHANNELS) {
        const seen = channelOutcome(who, channelId, 'view');
        await attempt(
          who,
          'voice.join',
          { channelId },
          seen === 'ok' ? 'not_voice_channel' : seen,
          channelId,
          {
            channelId: NOWHERE,
          },
        );
      }
    },

    'voice.leave': async (who) => {
      const { data } = await attempt(who, 'voice.leave', {}, rights(who).joined ? 'ok' : 'not_joined');
      if (rights(who).joined) expect(data).toEqual({ channelId: null });
    },

    'voice.update': async (who) => {
      await attempt(who, 'voice.update', { muted: true }, rights(who).joined ? 'not_in_voice' : 'not_joined');
    },

    'voice.signal': async (who) => {
      await attempt(
        who,
        'voice.signal',
        { to: randomUUID(), candidate: null },
        rights(who).joined ? 'not_in_voice' : 'not_joined',
      );
    },

    'voice.mute': async (who) => {
      const target = by('plain').publicKey;
      for (const channelId of CHANNELS) {
        const seen = channelOutcome(who, channelId, 'view');
        // Only roots hold mute_members here; in a text channel even they meet not_voice_channel.
        const expected = seen !== 'ok' ? seen : who.name === 'root' ? 'not_voice_channel' : 'forbidden';
        await attempt(who, 'voice.mute', { channelId, publicKey: target, muted: true }, expected, channelId, {
          channelId: NOWHERE,
          publicKey: target,
          muted: true,
        });
      }
    },
  };

  const EVENTS = Object.keys(REQUEST_SCHEMAS) as RequestEvent[];

  it('has a case for every client event of the protocol', () => {
    expect(Object.keys(MATRIX).sort()).toEqual([...EVENTS].sort());
  });

  describe.each(EVENTS)('%s', (event) => {
    it.each(SUBJECTS)('as %s', async (name) => {
      await MATRIX[event](by(name));
    });
  });

  it('refuses a non-member at the handshake with not_a_member, so no event reaches a handler', async () => {
    const stranger = await newIdentity();
    const before = await snapshot();
    const refusal = await connectRefused(api, await loginProof(stranger, api.url, api.origin));
    expect(refusal.data).toMatchObject({
      code: 'not_a_member',
      details: { publicKey: stranger.publicKey.hex },
    });
    const after = await snapshot();
    expect(after.members).toEqual(before.members);
    expect(after.messages).toEqual(before.messages);
  });

  it('refuses a banned key at the handshake with banned, so no event reaches a handler', async () => {
    const banned = await newIdentity();
    await ok(by('root').socket, 'members.authorize', { publicKey: banned.publicKey.hex, roles: [] });
    await ok(by('root').socket, 'members.ban', { publicKey: banned.publicKey.hex, reason: 'matrix' });
    const before = await snapshot();
    const refusal = await connectRefused(api, await loginProof(banned, api.url, api.origin));
    expect(refusal.data?.code).toBe('banned');
    const after = await snapshot();
    expect(after.members).toEqual(before.members);
    expect(after.messages).toEqual(before.messages);
  });

  it('keeps a hidden channel’s messages and typing from the plain member’s socket', async () => {
    const plain = by('plain');
    const staff = by('staff');
    const seen: Push[] = [];
    plain.socket.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
    const clientId = randomUUID();
    const staffSees = pushMatching(by('watcher').socket, 'message.created', (m) => m.clientId === clientId);
    const sent = await ok(staff.socket, 'messages.send', {
      channelId: STAFF_ROOM,
      clientId,
      content: 'staff only',
    });
    await staffSees;
    await ok(staff.socket, 'messages.edit', { messageId: sent.id, content: 'staff only, edited' });
    await ok(staff.socket, 'typing.start', { channelId: STAFF_ROOM });
    await ok(staff.socket, 'messages.delete', { messageId: sent.id });
    await sendMarker(staff.socket, plain.socket, LOBBY);
    expect(seen.filter((p) => channelOf(p.payload) === STAFF_ROOM)).toEqual([]);
    expect(seen.some((p) => p.event === 'message.created' && channelOf(p.payload) === LOBBY)).toBe(true);
  });

  describe('live role changes', () => {
    it('shows the hidden channel to the live sockets of a member given the role, and hides it when it is taken', async () => {
      const mover = await party('mover', [], []);
      const second = await login(mover.identity);
      const watcher = by('watcher');
      const root = by('root');

      const shown = [mover.socket, second].map((s) => nextPush(s, 'channels.changed'));
      await ok(root.socket, 'members.authorize', { publicKey: mover.publicKey, roles: ['staff'] });
      for (const list of await Promise.all(shown)) {
        expect(list.channels.map((c) => c.id)).toEqual([LOBBY, ANNOUNCEMENTS, STAFF_ROOM]);
        expect(list.groups.map((g) => g.id)).toEqual(['general', 'staff']);
      }
      const history = await ok(second, 'messages.history', { channelId: STAFF_ROOM });
      expect(history.messages.at(-1)?.id).toBe(await newestIn(STAFF_ROOM));

      const clientId = randomUUID();
      const arrivals = [mover.socket, second].map((s) =>
        pushMatching(s, 'message.created', (m) => m.clientId === clientId),
      );
      const typing = pushMatching(
        second,
        'typing.started',
        (t) => t.channelId === STAFF_ROOM && t.publicKey === watcher.publicKey,
      );
      await ok(watcher.socket, 'messages.send', { channelId: STAFF_ROOM, clientId, content: 'welcome' });
      await ok(watcher.socket, 'typing.start', { channelId: STAFF_ROOM });
      await Promise.all([...arrivals, typing]);
      const own = await ok(mover.socket, 'messages.send', {
        channelId: STAFF_ROOM,
        clientId: randomUUID(),
        content: 'thanks',
      });

      const hidden = [mover.socket, second].map((s) => nextPush(s, 'channels.changed'));
      await ok(root.socket, 'members.authorize', { publicKey: mover.publicKey, roles: [] });
      for (const list of await Promise.all(hidden)) {
        expect(list.channels.map((c) => c.id)).toEqual([LOBBY, ANNOUNCEMENTS]);
        expect(list.groups.map((g) => g.id)).toEqual(['general']);
      }
      const seen: Push[] = [];
      for (const s of [mover.socket, second])
        s.onAny((event: string, payload: unknown) => seen.push({ event, payload }));
      await ok(watcher.socket, 'messages.send', {
        channelId: STAFF_ROOM,
        clientId: randomUUID(),
        content: 'bye',
      });
      await ok(watcher.socket, 'typing.start', { channelId: STAFF_ROOM });
      await sendMarker(watcher.socket, mover.socket, LOBBY);
      await sendMarker(watcher.socket, second, LOBBY);
      expect(seen.filter((p) => channelOf(p.payload) === STAFF_ROOM)).toEqual([]);

      expect(await fails(second, 'messages.history', { channelId: STAFF_ROOM })).toBe('not_found');
      expect(
        await fails(mover.socket, 'messages.send', {
          channelId: STAFF_ROOM,
          clientId: randomUUID(),
          content: 'x',
        }),
      ).toBe('not_found');
      expect(await fails(mover.socket, 'typing.start', { channelId: STAFF_ROOM })).toBe('not_found');
      expect(await fails(mover.socket, 'messages.edit', { messageId: own.id, content: 'y' })).toBe(
        'not_found',
      );
      const channels = await ok(second, 'channels.list', {});
      expect(channels.channels.map((c) => c.id)).toEqual([LOBBY, ANNOUNCEMENTS]);
    });

    it('refuses writes at once when the role that allowed them is taken, and allows them when given', async () => {
      const member = await party('promoted', [], []);
      const root = by('root');
      const post = () =>
        request(member.socket, 'messages.send', {
          channelId: ANNOUNCEMENTS,
          clientId: randomUUID(),
          content: 'news',
        });
      expect(await post()).toMatchObject({ ok: false, error: { code: 'forbidden' } });

      const changed = nextPush(member.socket, 'channels.changed');
      await ok(root.socket, 'members.authorize', { publicKey: member.publicKey, roles: ['writer'] });
      expect((await changed).channels.map((c) => c.id)).toEqual([LOBBY, ANNOUNCEMENTS]);
      expect(await post()).toMatchObject({ ok: true, data: { channelId: ANNOUNCEMENTS, content: 'news' } });

      await ok(root.socket, 'members.authorize', { publicKey: member.publicKey, roles: [] });
      expect(await post()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });
  });

  describe('per-channel message limits', () => {
    async function tooLong(socket: TestSocket, channelId: string, length: number) {
      const clientId = randomUUID();
      const envelope = await request(socket, 'messages.send', {
        channelId,
        clientId,
        content: 'a'.repeat(length),
      });
      const stored = await db.query('SELECT 1 FROM messages WHERE client_id = $1', [clientId]);
      return { envelope, stored: stored.rowCount };
    }

    it.each([
      ['plain', LOBBY, 100],
      ['writer', ANNOUNCEMENTS, 300],
      ['staff', LOBBY, 2000],
      ['staff', STAFF_ROOM, 2000],
    ] as const)('hold %s in %s to %i code points (details.max)', async (name, channelId, max) => {
      const who = by(name);
      const over = await tooLong(who.socket, channelId, max + 1);
      expect(over.envelope).toMatchObject({
        ok: false,
        error: { code: 'message_too_long', details: { max } },
      });
      expect(over.stored).toBe(0);
      const longest = await tooLong(who.socket, channelId, max);
      expect(longest.envelope.ok).toBe(true);
      expect(longest.stored).toBe(1);
    });

    it('apply to edits in the message’s channel and leave a refused edit unchanged', async () => {
      const plain = by('plain');
      const sent = await ok(plain.socket, 'messages.send', {
        channelId: LOBBY,
        clientId: randomUUID(),
        content: 'short',
      });
      const refused = await request(plain.socket, 'messages.edit', {
        messageId: sent.id,
        content: 'b'.repeat(101),
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'message_too_long', details: { max: 100 } },
      });
      expect(await messageRow(sent.id)).toMatchObject({ content: 'short', edited_at: null });
      await ok(plain.socket, 'messages.edit', { messageId: sent.id, content: 'b'.repeat(100) });
      expect((await messageRow(sent.id))?.content).toBe('b'.repeat(100));
    });

    it('size the Socket.IO frame limit for the most generous limit in config.toml', async () => {
      // The `longform` role's longest message, 16000 code points, made of the characters JSON
      // escapes into six bytes each (\u0001): 96 kB, above the 64 KiB floor and above 4 bytes per
      // code point, below 6 × 16000 + 8 KiB.
      const long = await party('longform', ['longform'], []);
      const content = `x${'\u0001'.repeat(15_999)}`;
      expect(JSON.stringify(content).length).toBeGreaterThan(4 * 16_000 + 8 * 1024);
      const sent = await ok(long.socket, 'messages.send', {
        channelId: LOBBY,
        clientId: randomUUID(),
        content,
      });
      expect((await messageRow(sent.id))?.content).toBe(content);
      expect(long.socket.connected).toBe(true);
    });
  });
});
