import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { type Envelope, TEXT_RULE_MESSAGE } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, ok, rawRequest, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';

/**
 * The content rule applies to every string field of every request, not only to message content: a
 * NUL (which PostgreSQL cannot store) or a lone surrogate (which UTF-8 would silently turn into
 * U+FFFD) is refused with `validation_failed` naming the field, and nothing is stored.
 */

const BAD_TEXT = [
  ['NUL', 'spam\u0000'],
  ['a lone high surrogate', 'spam \uD83D'],
  ['a lone low surrogate', '\uDC4B spam'],
] as const;

describe('free-text fields', () => {
  let api: ApiProcess;
  let db: Client;
  let root: TestSocket;
  let memberKey: string;

  beforeAll(async () => {
    const rootKey = await newIdentity();
    api = await startApi({ configToml: defaultConfig([rootKey.publicKey.hex]) });
    db = new Client({ connectionString: api.databaseUrl() });
    await db.connect();
    root = await connect(api, rootKey);
    await ok(root, 'member.join', { displayName: 'Root' });
    const member = await newIdentity();
    memberKey = member.publicKey.hex;
    await ok(root, 'members.authorize', { publicKey: memberKey, roles: [] });
  });

  afterAll(async () => {
    root.close();
    await db.end();
    await api.dispose();
  });

  async function tables(): Promise<unknown[][]> {
    const all = async (sql: string): Promise<unknown[]> =>
      (await db.query<Record<string, unknown>>(sql)).rows;
    return [
      await all('SELECT * FROM members ORDER BY public_key'),
      await all('SELECT * FROM bans ORDER BY public_key'),
      await all('SELECT * FROM invites ORDER BY id'),
      await all('SELECT id, content FROM messages ORDER BY id'),
      await all('SELECT id, action FROM audit_log ORDER BY id'),
    ];
  }

  function issuesOf(envelope: Envelope<unknown>): unknown {
    if (envelope.ok) throw new Error('expected a refusal');
    expect(envelope.error.code).toBe('validation_failed');
    return envelope.error.details?.['issues'];
  }

  describe.each(BAD_TEXT)('%s', (_what, text) => {
    it.each([
      ['a kick reason', 'members.kick', () => ({ publicKey: memberKey, reason: text }), 'reason'],
      ['a ban reason', 'members.ban', () => ({ publicKey: memberKey, reason: text }), 'reason'],
      ['an invite note', 'invites.create', () => ({ note: text }), 'note'],
      ['a display name', 'member.join', () => ({ displayName: text }), 'displayName'],
      [
        'message content',
        'messages.send',
        () => ({ channelId: 'lobby', clientId: randomUUID(), content: text }),
        'content',
      ],
    ])('is refused in %s with validation_failed naming the field', async (_field, event, payload, path) => {
      const before = await tables();
      const envelope = await rawRequest(root, event, payload());
      expect(issuesOf(envelope)).toContainEqual({ path, message: TEXT_RULE_MESSAGE });
      expect(await tables()).toEqual(before);
    });
  });

  it('accepts emoji (surrogate pairs) in the same fields', async () => {
    const invite = await ok(root, 'invites.create', { note: 'welcome 👋🏽' });
    expect(invite.note).toBe('welcome 👋🏽');
    const banned = await ok(root, 'members.ban', { publicKey: memberKey, reason: 'spam 🥫' });
    expect(banned.reason).toBe('spam 🥫');
    const stored = await db.query<{ reason: string }>('SELECT reason FROM bans WHERE public_key = $1', [
      memberKey,
    ]);
    expect(stored.rows).toEqual([{ reason: 'spam 🥫' }]);
  });
});
