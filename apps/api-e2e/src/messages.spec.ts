import { randomUUID } from 'node:crypto';

import { type Envelope, HISTORY_PAGE_SIZE, type MessageDto } from '@mpqcht/protocol';

import {
  collectPushes,
  fails,
  nextPush,
  ok,
  rawRequest,
  request,
  type TestSocket,
  waitForDisconnect,
} from './support/client';
import {
  type Community,
  extraChannels,
  send,
  sendMarker,
  startCommunity,
  UUID_V7,
} from './support/joined-members';
import { pushMatching } from './support/push-matching';

interface StoredRow {
  id: string;
  channel_id: string;
  seq: string;
  author_key: string;
  client_id: string;
  content: string;
  edited_at: Date | null;
  deleted_at: Date | null;
}

describe('messages', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(extraChannels(['dedup', 'limits', 'edits', 'history', 'valid']));
  });

  afterAll(async () => {
    await c.close();
  });

  async function rowsWhere(condition: string, params: unknown[]): Promise<StoredRow[]> {
    const result = await c.db.query<StoredRow>(
      `SELECT id, channel_id, seq, author_key, client_id, content, edited_at, deleted_at
       FROM messages WHERE ${condition} ORDER BY seq`,
      params,
    );
    return result.rows;
  }

  async function seqsOf(channelId: string): Promise<number[]> {
    return (await rowsWhere('channel_id = $1', [channelId])).map((row) => Number(row.seq));
  }

  function oneToN(n: number): number[] {
    return Array.from({ length: n }, (_, i) => i + 1);
  }

  async function history(
    socket: TestSocket,
    query: { channelId: string; before?: string; after?: string; limit?: number },
  ) {
    return ok(socket, 'messages.history', query);
  }

  describe('send', () => {
    it('acks with the stored message, committed, and pushes the same message to the others', async () => {
      const { root, alice, bob } = c;
      const sent: MessageDto[] = [];
      for (const [index, author] of [root, alice, root].entries()) {
        const clientId = randomUUID();
        const content = `hello ${index}`;
        const alicePush = pushMatching(alice.socket, 'message.created', (m) => m.clientId === clientId);
        const bobPush = pushMatching(bob.socket, 'message.created', (m) => m.clientId === clientId);
        const message = await ok(author.socket, 'messages.send', { channelId: 'lobby', clientId, content });

        expect(message.id).toMatch(UUID_V7);
        expect(message).toEqual({
          id: message.id,
          channelId: 'lobby',
          seq: index + 1,
          // Only sends so far: each change number is the send's.
          rev: index + 1,
          clientId,
          author: author.publicKey,
          content,
          mentions: [],
          createdAt: message.createdAt,
          editedAt: null,
        });
        expect(new Date(message.createdAt).toISOString()).toBe(message.createdAt);

        // The ack means committed: another connection sees the row right away.
        expect(await rowsWhere('id = $1', [message.id])).toEqual([
          {
            id: message.id,
            channel_id: 'lobby',
            seq: String(index + 1),
            author_key: author.publicKey,
            client_id: clientId,
            content,
            edited_at: null,
            deleted_at: null,
          },
        ]);

        expect(await alicePush).toEqual(message);
        expect(await bobPush).toEqual(message);
        sent.push(message);
      }
      // UUIDv7 ids sort in seq order.
      expect(sent.map((m) => m.id)).toEqual(sent.map((m) => m.id).sort());
      expect(new Set(sent.map((m) => m.id)).size).toBe(3);
    });
  });

  describe('client ids', () => {
    it('returns the stored message for a retried send, with no second row and no second push', async () => {
      const { alice, bob } = c;
      const bobGets = collectPushes(bob.socket, 'message.created');
      const clientId = randomUUID();
      const payload = { channelId: 'dedup', clientId, content: 'only once' };

      const first = await ok(alice.socket, 'messages.send', payload);
      const retry = await ok(alice.socket, 'messages.send', payload);
      expect(retry).toEqual(first);

      // The retry of a client that reconnected (another socket of the same key).
      const secondDevice = await c.connectAgain(alice);
      expect(await ok(secondDevice, 'messages.send', payload)).toEqual(first);

      expect(await rowsWhere('client_id = $1', [clientId])).toHaveLength(1);
      const marker = await sendMarker(alice.socket, bob.socket, 'dedup');
      expect(bobGets.map((m) => m.id)).toEqual([first.id, marker.id]);
      expect(marker.seq).toBe(first.seq + 1);
    });

    it('stores concurrent duplicates once and leaves no gap in the sequence', async () => {
      const { alice, bob } = c;
      const bobGets = collectPushes(bob.socket, 'message.created');
      const raced: MessageDto[] = [];
      for (let round = 0; round < 5; round++) {
        const clientId = randomUUID();
        const acks = await Promise.all(
          Array.from({ length: 5 }, () =>
            ok(alice.socket, 'messages.send', { channelId: 'dedup', clientId, content: `race ${round}` }),
          ),
        );
        const [winner] = acks;
        if (!winner) throw new Error('no ack');
        for (const ack of acks) expect(ack).toEqual(winner);
        expect(await rowsWhere('client_id = $1', [clientId])).toHaveLength(1);
        raced.push(winner);
      }
      const next = await sendMarker(alice.socket, bob.socket, 'dedup');
      const seqs = await seqsOf('dedup');
      expect(seqs).toEqual(oneToN(seqs.length));
      expect(next.seq).toBe(seqs.length);
      // One push per stored message, none for the losers of the race.
      expect(bobGets.map((m) => m.id)).toEqual([...raced.map((m) => m.id), next.id]);
    });

    it('refuses a client id reused in another channel with conflict', async () => {
      const { alice, bob } = c;
      const clientId = randomUUID();
      const stored = await ok(alice.socket, 'messages.send', {
        channelId: 'dedup',
        clientId,
        content: 'here',
      });
      const randomBefore = await seqsOf('random');

      const reused = await request(alice.socket, 'messages.send', {
        channelId: 'random',
        clientId,
        content: 'there',
      });
      expect(reused.ok).toBe(false);
      if (!reused.ok) expect(reused.error.code).toBe('conflict');
      expect(await rowsWhere('client_id = $1', [clientId])).toEqual([
        expect.objectContaining({ id: stored.id, channel_id: 'dedup', content: 'here' }),
      ]);

      // The refused send took no sequence number in the other channel.
      const next = await sendMarker(bob.socket, alice.socket, 'random');
      expect(next.seq).toBe(randomBefore.length + 1);
    });

    it('settles a race of one client id in two channels: one stored, one conflict, no gaps', async () => {
      const { alice } = c;
      for (let round = 0; round < 5; round++) {
        const clientId = randomUUID();
        const results = await Promise.all(
          ['dedup', 'random'].map((channelId) =>
            request(alice.socket, 'messages.send', { channelId, clientId, content: `split ${round}` }),
          ),
        );
        const codes = results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();
        expect(codes).toEqual(['conflict', 'ok']);
        expect(await rowsWhere('client_id = $1', [clientId])).toHaveLength(1);
      }
      await send(alice.socket, 'dedup', 'after the split');
      await send(alice.socket, 'random', 'after the split');
      for (const channelId of ['dedup', 'random']) {
        const seqs = await seqsOf(channelId);
        expect(seqs).toEqual(oneToN(seqs.length));
      }
    });

    it('keeps client ids per author: another member may use the same one', async () => {
      const { alice, bob } = c;
      const clientId = randomUUID();
      const hers = await ok(alice.socket, 'messages.send', { channelId: 'dedup', clientId, content: 'hers' });
      const his = await ok(bob.socket, 'messages.send', { channelId: 'dedup', clientId, content: 'his' });
      expect(his.id).not.toBe(hers.id);
      expect(his).toMatchObject({ author: bob.publicKey, content: 'his', seq: hers.seq + 1 });
      expect(await rowsWhere('client_id = $1', [clientId])).toHaveLength(2);
    });
  });

  describe('size limits', () => {
    it('refuses content above the configured length with message_too_long and details.max', async () => {
      const { alice } = c;
      const clientId = randomUUID();
      const tooLong = await request(alice.socket, 'messages.send', {
        channelId: 'limits',
        clientId,
        content: 'a'.repeat(501),
      });
      expect(tooLong).toEqual({
        ok: false,
        error: {
          code: 'message_too_long',
          message: tooLong.ok ? '' : tooLong.error.message,
          details: { max: 500 },
        },
      });
      expect(await rowsWhere('client_id = $1', [clientId])).toEqual([]);

      const longest = await send(alice.socket, 'limits', 'a'.repeat(500));
      expect(longest.content).toHaveLength(500);
    });

    it('counts code points: 500 emoji (1000 UTF-16 units) are accepted, 501 are not', async () => {
      const { alice, bob } = c;
      const emoji = '😀'.repeat(500);
      expect(emoji).toHaveLength(1000);
      const clientId = randomUUID();
      const pushed = pushMatching(bob.socket, 'message.created', (m) => m.clientId === clientId);
      const stored = await ok(alice.socket, 'messages.send', {
        channelId: 'limits',
        clientId,
        content: emoji,
      });
      expect(stored.content).toBe(emoji);
      expect(await pushed).toEqual(stored);
      const [row] = await rowsWhere('id = $1', [stored.id]);
      expect(row?.content).toBe(emoji);

      const refused = await fails(alice.socket, 'messages.send', {
        channelId: 'limits',
        clientId: randomUUID(),
        content: '😀'.repeat(501),
      });
      expect(refused).toBe('message_too_long');
    });

    it('applies the limit to edits too and leaves the message unchanged', async () => {
      const { alice } = c;
      const stored = await send(alice.socket, 'limits', 'short');
      const envelope = await request(alice.socket, 'messages.edit', {
        messageId: stored.id,
        content: 'b'.repeat(501),
      });
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.code).toBe('message_too_long');
        expect(envelope.error.details).toEqual({ max: 500 });
      }
      expect(await rowsWhere('id = $1', [stored.id])).toEqual([
        expect.objectContaining({ content: 'short', edited_at: null }),
      ]);
    });

    it('drops a socket that sends a 2 MB frame and keeps serving everyone else', async () => {
      const { alice, bob } = c;
      const victim = await c.connectAgain(bob);
      const dropped = waitForDisconnect(victim);
      const clientId = randomUUID();
      let acked = false;
      victim.emit(
        'messages.send',
        { channelId: 'limits', clientId, content: 'x'.repeat(2 * 1024 * 1024) },
        () => {
          acked = true;
        },
      );
      await dropped;
      expect(victim.connected).toBe(false);
      expect(acked).toBe(false);
      expect(c.api.child.exitCode).toBeNull();

      const pushed = pushMatching(bob.socket, 'message.created', (m) => m.content === 'still here');
      const after = await send(alice.socket, 'limits', 'still here');
      expect(await pushed).toEqual(after);
      const fresh = await c.connectAgain(bob);
      expect(await send(fresh, 'limits', 'and a new login works')).toMatchObject({ seq: after.seq + 1 });
      expect(await rowsWhere('client_id = $1', [clientId])).toEqual([]);
    });
  });

  describe('edit and delete', () => {
    it('edits and deletes own messages, refuses others’ messages, and forgets deleted ones', async () => {
      const { root, alice, bob } = c;
      const kept = await send(bob.socket, 'edits', 'stays');
      const original = await send(alice.socket, 'edits', 'first draft');

      const bobSeesEdit = nextPush(bob.socket, 'message.updated');
      const edited = await ok(alice.socket, 'messages.edit', {
        messageId: original.id,
        content: 'second draft',
      });
      expect(edited.editedAt).not.toBeNull();
      expect(new Date(edited.editedAt ?? '').toISOString()).toBe(edited.editedAt);
      // The edit is the channel's third change (two sends before it).
      expect(edited).toEqual({
        ...original,
        content: 'second draft',
        editedAt: edited.editedAt,
        rev: original.rev + 1,
      });
      expect(await bobSeesEdit).toEqual(edited);
      const [afterEdit] = await rowsWhere('id = $1', [original.id]);
      expect(afterEdit).toMatchObject({ content: 'second draft', deleted_at: null });
      expect(afterEdit?.edited_at).toBeInstanceOf(Date);

      // Bob may neither edit nor delete Alice's message; nothing changes and nothing is pushed.
      const rootUpdates = collectPushes(root.socket, 'message.updated');
      const rootDeletes = collectPushes(root.socket, 'message.deleted');
      expect(await fails(bob.socket, 'messages.edit', { messageId: original.id, content: 'hijacked' })).toBe(
        'forbidden',
      );
      expect(await fails(bob.socket, 'messages.delete', { messageId: original.id })).toBe('forbidden');
      expect(await rowsWhere('id = $1', [original.id])).toEqual([afterEdit]);
      await sendMarker(bob.socket, root.socket, 'edits');
      expect(rootUpdates).toEqual([]);
      expect(rootDeletes).toEqual([]);

      const bobSeesDelete = nextPush(bob.socket, 'message.deleted');
      const deleted = await ok(alice.socket, 'messages.delete', { messageId: original.id });
      // The delete is the change after the marker, which came after the edit.
      expect(deleted).toEqual({
        channelId: 'edits',
        messageId: original.id,
        seq: original.seq,
        rev: edited.rev + 2,
      });
      expect(await bobSeesDelete).toEqual(deleted);
      const [afterDelete] = await rowsWhere('id = $1', [original.id]);
      expect(afterDelete?.deleted_at).toBeInstanceOf(Date);
      expect(afterDelete?.content).toBe('');

      const page = await history(bob.socket, { channelId: 'edits' });
      const ids = page.messages.map((m) => m.id);
      expect(ids).toContain(kept.id);
      expect(ids).not.toContain(original.id);

      expect(await fails(alice.socket, 'messages.edit', { messageId: original.id, content: 'back' })).toBe(
        'not_found',
      );
      expect(await fails(alice.socket, 'messages.delete', { messageId: original.id })).toBe('not_found');
      expect(await fails(bob.socket, 'messages.delete', { messageId: original.id })).toBe('not_found');
    });

    it('answers not_found for unknown messages and unknown channels', async () => {
      const { alice } = c;
      const unknown = randomUUID();
      expect(await fails(alice.socket, 'messages.edit', { messageId: unknown, content: 'x' })).toBe(
        'not_found',
      );
      expect(await fails(alice.socket, 'messages.delete', { messageId: unknown })).toBe('not_found');
      const clientId = randomUUID();
      expect(
        await fails(alice.socket, 'messages.send', { channelId: 'nowhere', clientId, content: 'hello?' }),
      ).toBe('not_found');
      expect(await fails(alice.socket, 'messages.history', { channelId: 'nowhere' })).toBe('not_found');
      expect(await rowsWhere('client_id = $1', [clientId])).toEqual([]);
    });
  });

  describe('history', () => {
    const TOTAL = 120;
    let sent: MessageDto[] = [];

    beforeAll(async () => {
      const { alice, bob } = c;
      sent = [];
      for (let i = 0; i < TOTAL; i++) {
        sent.push(await send(i % 2 === 0 ? alice.socket : bob.socket, 'history', `message ${i + 1}`));
      }
    });

    it('stored the messages with seq 1..120 and ids increasing in seq order', () => {
      expect(sent.map((m) => m.seq)).toEqual(oneToN(TOTAL));
      for (let i = 1; i < TOTAL; i++) {
        const previous = sent[i - 1]?.id ?? '';
        expect((sent[i]?.id ?? '') > previous).toBe(true);
      }
    });

    it('gives the newest page oldest-first, then walks back with before to the first message', async () => {
      const { root } = c;
      const newest = await history(root.socket, { channelId: 'history' });
      expect(newest.messages).toHaveLength(HISTORY_PAGE_SIZE);
      expect(newest.hasMore).toBe(true);
      expect(newest.messages).toEqual(sent.slice(TOTAL - HISTORY_PAGE_SIZE));

      const walked: MessageDto[] = [...newest.messages];
      let page = newest;
      let pages = 1;
      while (page.hasMore) {
        const oldest = page.messages[0];
        if (!oldest) throw new Error('empty page with hasMore');
        page = await history(root.socket, { channelId: 'history', before: oldest.id });
        walked.unshift(...page.messages);
        pages++;
        if (pages > 10) throw new Error('paging does not end');
      }
      expect(pages).toBe(3);
      expect(walked).toEqual(sent);
      expect(new Set(walked.map((m) => m.id)).size).toBe(TOTAL);
    });

    it('says hasMore false when exactly a page is left, and an empty page before the first', async () => {
      const { root } = c;
      const cursor = sent[HISTORY_PAGE_SIZE]?.id ?? '';
      const lastPage = await history(root.socket, { channelId: 'history', before: cursor });
      expect(lastPage).toEqual({ messages: sent.slice(0, HISTORY_PAGE_SIZE), hasMore: false });

      const first = sent[0]?.id ?? '';
      expect(await history(root.socket, { channelId: 'history', before: first })).toEqual({
        messages: [],
        hasMore: false,
      });
    });

    it('pages forward with after', async () => {
      const { bob } = c;
      const walked: MessageDto[] = [];
      let cursor = sent[0]?.id ?? '';
      let hasMore = true;
      let pages = 0;
      while (hasMore) {
        const page = await history(bob.socket, { channelId: 'history', after: cursor });
        walked.push(...page.messages);
        hasMore = page.hasMore;
        cursor = page.messages.at(-1)?.id ?? cursor;
        pages++;
        if (pages > 10) throw new Error('paging does not end');
      }
      expect(pages).toBe(3);
      expect(walked).toEqual(sent.slice(1));

      const last = sent.at(-1)?.id ?? '';
      expect(await history(bob.socket, { channelId: 'history', after: last })).toEqual({
        messages: [],
        hasMore: false,
      });
    });

    it('honours a smaller limit', async () => {
      const { bob } = c;
      const page = await history(bob.socket, { channelId: 'history', limit: 7 });
      expect(page).toEqual({ messages: sent.slice(TOTAL - 7), hasMore: true });
      const cursor = sent[9]?.id ?? '';
      const forward = await history(bob.socket, { channelId: 'history', after: cursor, limit: 5 });
      expect(forward).toEqual({ messages: sent.slice(10, 15), hasMore: true });
    });

    it('refuses a cursor from another channel or unknown with not_found, and bad paging with validation_failed', async () => {
      const { alice } = c;
      const elsewhere = await send(alice.socket, 'lobby', 'a cursor from the lobby');
      for (const query of [
        { channelId: 'history', before: elsewhere.id },
        { channelId: 'history', after: elsewhere.id },
        { channelId: 'history', before: randomUUID() },
      ]) {
        expect(await fails(alice.socket, 'messages.history', query)).toBe('not_found');
      }
      const anchor = sent[5]?.id ?? '';
      for (const query of [
        { channelId: 'history', limit: HISTORY_PAGE_SIZE + 1 },
        { channelId: 'history', limit: 0 },
        { channelId: 'history', before: anchor, after: anchor },
        { channelId: 'history', before: 'not-a-uuid' },
      ]) {
        expect(await fails(alice.socket, 'messages.history', query)).toBe('validation_failed');
      }
    });
  });

  describe('validation', () => {
    const clientId = randomUUID();
    const good = { channelId: 'valid', clientId, content: 'fine' };
    const cases: [string, unknown, string][] = [
      ['a string', 'hello', ''],
      ['null', null, ''],
      ['an array', [good], ''],
      ['a number', 42, ''],
      ['an empty object', {}, 'channelId'],
      ['a missing field', { channelId: 'valid', clientId }, 'content'],
      ['a wrong type', { ...good, content: 42 }, 'content'],
      ['a client id that is not a UUID', { ...good, clientId: 'not-a-uuid' }, 'clientId'],
      ['a malformed channel id', { ...good, channelId: 'Valid Channel!' }, 'channelId'],
      ['blank content', { ...good, content: '   ' }, 'content'],
      ['an unknown extra field', { ...good, pinned: true }, ''],
    ];

    it.each(cases)('refuses %s with validation_failed and the issues', async (_name, payload, path) => {
      const envelope = await rawRequest(c.alice.socket, 'messages.send', payload);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('validation_failed');
      const issues = envelope.error.details?.['issues'] as { path: string; message: string }[] | undefined;
      expect(Array.isArray(issues)).toBe(true);
      expect(issues?.length).toBeGreaterThan(0);
      for (const issue of issues ?? []) {
        expect(typeof issue.path).toBe('string');
        expect(typeof issue.message).toBe('string');
      }
      expect(issues?.map((i) => i.path)).toContain(path);
    });

    it('names the unknown field', async () => {
      const envelope = await rawRequest(c.alice.socket, 'messages.send', { ...good, pinned: true });
      expect(JSON.stringify(envelope)).toContain('pinned');
    });

    it('stored none of them and keeps serving the sender and the others', async () => {
      const { alice, bob } = c;
      expect(await rowsWhere('channel_id = $1', ['valid'])).toEqual([]);
      expect(alice.socket.connected).toBe(true);
      const pushed = pushMatching(alice.socket, 'message.created', (m) => m.content === 'still serving');
      const his = await send(bob.socket, 'valid', 'still serving');
      expect(await pushed).toEqual(his);
      expect(await ok(alice.socket, 'messages.send', good)).toMatchObject({ seq: 2, clientId });
    });

    it('answers an unknown event that has an ack with unknown_event', async () => {
      const { alice } = c;
      for (const event of ['messages.purge', 'message.created', 'toString', 'hasOwnProperty']) {
        const envelope: Envelope<unknown> = await rawRequest(alice.socket, event, {});
        expect(envelope.ok).toBe(false);
        if (!envelope.ok) expect(envelope.error.code).toBe('unknown_event');
      }
      // An unknown event without an ack is ignored; the socket keeps working.
      const emit = alice.socket.emit.bind(alice.socket) as (event: string, ...args: unknown[]) => void;
      emit('messages.purge', { channelId: 'valid' });
      expect((await history(alice.socket, { channelId: 'valid' })).messages).toHaveLength(2);
    });
  });
});
