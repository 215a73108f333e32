import { randomUUID } from 'node:crypto';

import type { CatchUpPageDto, Envelope, MessageDeletedDto, MessageDto } from '@mpqcht/protocol';

import { collectPushes, ok, rawRequest, request, type TestSocket } from './support/client';
import { type Community, extraChannels, send, sendMarker, startCommunity } from './support/joined-members';
import { lockChannel } from './support/row-lock';

/**
 * Delivery: change numbers (`rev`), catch-up (`messages.since`) and group-committed sends, on a
 * real api and database. docs/protocol.md is the contract.
 */

const HIDDEN = `
[[channels]]
id = "hidden"
name = "hidden"
group = "general"
default_permissions = { view = false }
`;

interface Row {
  id: string;
  seq: string;
  rev: string;
  client_id: string;
  author_key: string;
  deleted_at: Date | null;
}

function oneToN(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** A page's changes, live and deleted together, in rev order, as `[id, rev]`. */
function changesOf(page: CatchUpPageDto): [string, number][] {
  return [
    ...page.messages.map((m): [string, number] => [m.id, m.rev]),
    ...page.deleted.map((d): [string, number] => [d.messageId, d.rev]),
  ].sort((a, b) => a[1] - b[1]);
}

describe('delivery', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(
      extraChannels(['since', 'paging', 'empty', 'burst', 'batch', 'dup-a', 'dup-b', 'overload']) + HIDDEN,
    );
  });

  afterAll(async () => {
    await c.close();
  });

  async function rows(channelId: string): Promise<Row[]> {
    const result = await c.db.query<Row>(
      'SELECT id, seq, rev, client_id, author_key, deleted_at FROM messages WHERE channel_id = $1 ORDER BY seq',
      [channelId],
    );
    return result.rows;
  }

  async function head(channelId: string): Promise<number> {
    const result = await c.db.query<{ last_rev: string }>(
      'SELECT last_rev FROM channel_sequences WHERE channel_id = $1',
      [channelId],
    );
    return Number(result.rows[0]?.last_rev ?? 0);
  }

  function since(socket: TestSocket, channelId: string, afterRev: number, limit?: number) {
    return ok(socket, 'messages.since', { channelId, afterRev, ...(limit ? { limit } : {}) });
  }

  describe('messages.since', () => {
    it('returns the creates, edits and deletes after a rev in rev order, each message once in its latest state', async () => {
      const channelId = 'since';
      const { alice, bob, root } = c;
      const created = collectPushes(root.socket, 'message.created');
      const updated = collectPushes(root.socket, 'message.updated');
      const deletedPushes = collectPushes(root.socket, 'message.deleted');

      const m1 = await send(alice.socket, channelId, 'one');
      const m2 = await send(alice.socket, channelId, 'two');
      const m3 = await send(alice.socket, channelId, 'three');
      const m4 = await send(bob.socket, channelId, 'four');
      const edited = await ok(alice.socket, 'messages.edit', { messageId: m2.id, content: 'two, edited' });
      const d3 = await ok(alice.socket, 'messages.delete', { messageId: m3.id });
      const m5 = await send(alice.socket, channelId, 'five');
      const m2Latest = await ok(alice.socket, 'messages.edit', { messageId: m2.id, content: 'two, again' });

      // Every send, edit and delete took the channel's next rev; seq counts sends only.
      expect([m1, m2, m3, m4, m5].map((m) => [m.seq, m.rev])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
        [4, 4],
        [5, 7],
      ]);
      expect(edited).toMatchObject({ id: m2.id, seq: 2, rev: 5, content: 'two, edited' });
      expect(d3).toEqual({ channelId, messageId: m3.id, seq: 3, rev: 6 });
      expect(m2Latest).toMatchObject({ id: m2.id, seq: 2, rev: 8, content: 'two, again' });
      expect(m2Latest.editedAt).toEqual(expect.any(String));

      // The pushes carry the same revs as the acks.
      await sendMarker(alice.socket, root.socket, 'lobby');
      const here = <T extends { channelId: string }>(pushes: T[]) =>
        pushes.filter((p) => p.channelId === channelId);
      expect(here(created)).toEqual([m1, m2, m3, m4, m5]);
      expect(here(updated)).toEqual([edited, m2Latest]);
      expect(here(deletedPushes)).toEqual([d3]);

      expect(await since(bob.socket, channelId, 0)).toEqual({
        messages: [m1, m4, m5, m2Latest],
        deleted: [d3],
        rev: 8,
        hasMore: false,
      });
      // m2 was created at 2 and last changed at 8: after 4 (and after 5) it is there, once, as of 8.
      for (const afterRev of [4, 5]) {
        expect(await since(bob.socket, channelId, afterRev)).toEqual({
          messages: [m5, m2Latest],
          deleted: [d3],
          rev: 8,
          hasMore: false,
        });
      }
      expect(await since(bob.socket, channelId, 6)).toEqual({
        messages: [m5, m2Latest],
        deleted: [],
        rev: 8,
        hasMore: false,
      });
      expect(await since(bob.socket, channelId, 7)).toEqual({
        messages: [m2Latest],
        deleted: [],
        rev: 8,
        hasMore: false,
      });
      // At the head and beyond it: nothing, and rev is the head (a client that holds more than
      // the server, e.g. after a restore, learns the server's head).
      for (const afterRev of [8, 9, 1_000_000]) {
        expect(await since(bob.socket, channelId, afterRev)).toEqual({
          messages: [],
          deleted: [],
          rev: 8,
          hasMore: false,
        });
      }

      const listed = await ok(bob.socket, 'channels.list', {});
      expect(listed.channels.find((ch) => ch.id === channelId)).toMatchObject({ lastSeq: 5, lastRev: 8 });
      expect(await head(channelId)).toBe(8);
    });

    it('answers an empty channel with nothing and rev 0', async () => {
      for (const afterRev of [0, 5]) {
        expect(await since(c.alice.socket, 'empty', afterRev)).toEqual({
          messages: [],
          deleted: [],
          rev: 0,
          hasMore: false,
        });
      }
      const listed = await ok(c.alice.socket, 'channels.list', {});
      expect(listed.channels.find((ch) => ch.id === 'empty')).toMatchObject({ lastSeq: 0, lastRev: 0 });
    });

    it('pages with limit 2 through every change exactly once, following rev while hasMore', async () => {
      const channelId = 'paging';
      const { alice, bob } = c;
      const sent: MessageDto[] = [];
      for (let i = 0; i < 12; i += 1) {
        sent.push(await send(i % 2 ? bob.socket : alice.socket, channelId, `m${i}`));
      }
      const mine = sent.filter((m) => m.author === alice.publicKey);
      for (const m of mine.slice(0, 4)) {
        await ok(alice.socket, 'messages.edit', { messageId: m.id, content: `${m.content}, edited` });
      }
      // Deleted by their authors: one that was edited before, one that was not, and one of Bob's.
      for (const m of [mine[0], mine[4], sent[1]]) {
        if (!m) throw new Error('too few messages');
        const socket = m.author === alice.publicKey ? alice.socket : bob.socket;
        await ok(socket, 'messages.delete', { messageId: m.id });
      }
      sent.push(await send(bob.socket, channelId, 'late one'));
      sent.push(await send(alice.socket, channelId, 'late two'));
      const headRev = await head(channelId);
      expect(headRev).toBe(14 + 4 + 3);

      const whole = await since(bob.socket, channelId, 0);
      expect(whole.hasMore).toBe(false);
      expect(whole.rev).toBe(headRev);
      // The whole page is the database: live rows as messages, deleted ones as deleted, each once.
      const stored = await rows(channelId);
      expect(stored.map((r) => Number(r.seq))).toEqual(oneToN(14));
      expect(changesOf(whole)).toEqual(
        stored.map((r): [string, number] => [r.id, Number(r.rev)]).sort((a, b) => a[1] - b[1]),
      );
      expect(whole.deleted.map((d) => d.messageId).sort()).toEqual(
        stored
          .filter((r) => r.deleted_at)
          .map((r) => r.id)
          .sort(),
      );

      for (const start of [0, 3, 15]) {
        const messages: MessageDto[] = [];
        const deleted: MessageDeletedDto[] = [];
        let afterRev = start;
        let pages = 0;
        for (;;) {
          const page = await since(alice.socket, channelId, afterRev, 2);
          pages += 1;
          const changes = changesOf(page);
          expect(changes.length).toBeLessThanOrEqual(2);
          expect(changes.every(([, rev]) => rev > afterRev)).toBe(true);
          messages.push(...page.messages);
          deleted.push(...page.deleted);
          if (!page.hasMore) {
            expect(page.rev).toBe(headRev);
            break;
          }
          expect(changes).toHaveLength(2);
          expect(page.rev).toBe(changes.at(-1)?.[1]);
          afterRev = page.rev;
        }
        const expected = await since(alice.socket, channelId, start);
        const expectedCount = changesOf(expected).length;
        expect(pages).toBe(Math.max(1, Math.ceil(expectedCount / 2)));
        // Together the pages are exactly the one-page answer: nothing missing, nothing twice.
        expect(messages.sort((a, b) => a.rev - b.rev)).toEqual(expected.messages);
        expect(deleted.sort((a, b) => a.rev - b.rev)).toEqual(expected.deleted);
      }
    });

    it('brings a change made between two pages in a later page, so the reader ends in the latest state', async () => {
      const channelId = 'paging';
      const first = await since(c.alice.socket, channelId, 0, 2);
      const target = first.messages[0];
      if (!target) throw new Error('the first page has no live message');
      expect(first.hasMore).toBe(true);
      const author = target.author === c.alice.publicKey ? c.alice : c.bob;
      const edited = await ok(author.socket, 'messages.edit', {
        messageId: target.id,
        content: 'edited between pages',
      });
      const later: MessageDto[] = [];
      let page = first;
      while (page.hasMore) {
        page = await since(c.alice.socket, channelId, page.rev, 2);
        later.push(...page.messages);
      }
      expect(page.rev).toBe(edited.rev);
      expect(later.filter((m) => m.id === target.id)).toEqual([edited]);
    });

    it('answers a hidden channel exactly as a channel that does not exist', async () => {
      await send(c.root.socket, 'hidden', 'staff only');
      const hidden = await request(c.alice.socket, 'messages.since', { channelId: 'hidden', afterRev: 0 });
      const missing = await request(c.alice.socket, 'messages.since', { channelId: 'nothing', afterRev: 0 });
      expect(hidden).toMatchObject({ ok: false, error: { code: 'not_found' } });
      // The same answer but for the id the caller gave.
      expect(JSON.stringify(hidden)).toBe(JSON.stringify(missing).replaceAll('nothing', 'hidden'));
      // Root can view it.
      expect((await since(c.root.socket, 'hidden', 0)).messages.map((m) => m.content)).toEqual([
        'staff only',
      ]);
    });

    it.each([
      ['a negative afterRev', { channelId: 'since', afterRev: -1 }],
      ['a fractional afterRev', { channelId: 'since', afterRev: 1.5 }],
      ['afterRev as a string', { channelId: 'since', afterRev: '3' }],
      ['no afterRev', { channelId: 'since' }],
      ['limit 0', { channelId: 'since', afterRev: 0, limit: 0 }],
      ['limit above 200', { channelId: 'since', afterRev: 0, limit: 201 }],
      ['an unknown field', { channelId: 'since', afterRev: 0, before: 'x' }],
      ['a malformed channel id', { channelId: 'Since!', afterRev: 0 }],
    ])('refuses %s with validation_failed', async (_, payload) => {
      const envelope = (await rawRequest(c.alice.socket, 'messages.since', payload)) as Envelope<never>;
      expect(envelope).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      if (!envelope.ok) expect(envelope.error.details?.['issues']).toEqual(expect.any(Array));
    });
  });

  describe('group-committed sends', () => {
    /** Sends until acked, retrying a `rate_limited` answer with the same client id. */
    async function sendAcked(socket: TestSocket, channelId: string, clientId: string, content: string) {
      for (;;) {
        const envelope = await request(socket, 'messages.send', { channelId, clientId, content });
        if (envelope.ok) return envelope.data;
        if (envelope.error.code !== 'rate_limited') {
          throw new Error(`send ${clientId}: ${envelope.error.code}: ${envelope.error.message}`);
        }
        const retryAfterMs = envelope.error.details?.['retryAfterMs'];
        await new Promise((resolve) =>
          setTimeout(resolve, typeof retryAfterMs === 'number' ? retryAfterMs : 100),
        );
      }
    }

    it('gives concurrent sends from several clients distinct seqs 1..N and revs, and pushes each of them', async () => {
      const channelId = 'burst';
      const senders = [
        c.alice.socket,
        c.bob.socket,
        c.root.socket,
        await c.connectAgain(c.alice),
        await c.connectAgain(c.bob),
      ];
      const listener = await c.connectAgain(c.root);
      const pushed = collectPushes(listener, 'message.created');
      const perSender = 40;
      const acks = await Promise.all(
        senders.flatMap((socket, s) =>
          Array.from({ length: perSender }, (_, i) =>
            sendAcked(socket, channelId, randomUUID(), `s${s} #${i}`),
          ),
        ),
      );
      const n = senders.length * perSender;
      expect(new Set(acks.map((m) => m.id)).size).toBe(n);
      expect(acks.map((m) => m.seq).sort((a, b) => a - b)).toEqual(oneToN(n));
      // Only sends in this channel: the revs are 1..N too, each taken once.
      expect(acks.map((m) => m.rev).sort((a, b) => a - b)).toEqual(oneToN(n));

      await sendMarker(c.alice.socket, listener, 'lobby');
      const byRev = new Map<number, MessageDto>();
      for (const push of pushed.filter((m) => m.channelId === channelId)) {
        const seen = byRev.get(push.rev);
        if (seen) expect(push).toEqual(seen);
        byRev.set(push.rev, push);
      }
      const byRevSorted = (list: MessageDto[]) => [...list].sort((a, b) => a.rev - b.rev);
      expect(byRevSorted([...byRev.values()])).toEqual(byRevSorted(acks));

      const stored = await rows(channelId);
      expect(stored.map((r) => [r.id, Number(r.seq), Number(r.rev)])).toEqual(
        [...acks].sort((a, b) => a.seq - b.seq).map((m) => [m.id, m.seq, m.rev]),
      );
    });

    it('stores a send retried with the same clientId inside one batch once, and pushes it once', async () => {
      const channelId = 'batch';
      const alice2 = await c.connectAgain(c.alice);
      const listener = await c.connectAgain(c.root);
      const pushed = collectPushes(listener, 'message.created');
      const clientId = randomUUID();
      const twin = { channelId, clientId, content: 'once' };
      // Emitted together, so they share batches with each other and with other members' sends.
      const [first, ...rest] = await Promise.all([
        ok(c.alice.socket, 'messages.send', twin),
        ok(c.alice.socket, 'messages.send', twin),
        ok(alice2, 'messages.send', twin),
        ...Array.from({ length: 20 }, (_, i) => send(c.bob.socket, channelId, `other ${i}`)),
        ok(c.alice.socket, 'messages.send', twin),
      ]);
      const twins = [first, rest[0], rest[1], rest.at(-1)];
      for (const answer of twins) expect(answer).toEqual(first);
      // A retry after the commit answers the stored message as well.
      expect(await ok(alice2, 'messages.send', twin)).toEqual(first);

      const stored = await rows(channelId);
      expect(stored.filter((r) => r.client_id === clientId).map((r) => r.id)).toEqual([first.id]);
      expect(stored.map((r) => Number(r.seq))).toEqual(oneToN(21));
      await sendMarker(c.alice.socket, listener, 'lobby');
      expect(pushed.filter((m) => m.clientId === clientId)).toEqual([first]);
      expect(pushed.filter((m) => m.channelId === channelId)).toHaveLength(21);
    });

    it('refuses the same clientId in two channels in one batch with conflict, storing one', async () => {
      const clientId = randomUUID();
      const answers = await Promise.all(
        ['dup-a', 'dup-b'].map((channelId) =>
          request(c.alice.socket, 'messages.send', { channelId, clientId, content: 'where?' }),
        ),
      );
      expect(answers.filter((a) => a.ok)).toHaveLength(1);
      expect(answers.filter((a) => !a.ok)).toMatchObject([{ ok: false, error: { code: 'conflict' } }]);
      const stored = await c.db.query('SELECT channel_id FROM messages WHERE client_id = $1', [clientId]);
      expect(stored.rows).toHaveLength(1);
      expect((await rows('dup-a')).length + (await rows('dup-b')).length).toBe(1);
    });

    it('answers rate_limited with retryAfterMs when too many sends wait for the database, storing none of them', async () => {
      const channelId = 'overload';
      await send(c.alice.socket, channelId, 'first');
      const sockets = [
        c.alice.socket,
        c.bob.socket,
        await c.connectAgain(c.alice),
        await c.connectAgain(c.bob),
      ];
      const lock = await lockChannel(c.api.databaseUrl(), channelId);
      const limited: { clientId: string; socket: TestSocket; retryAfterMs: unknown }[] = [];
      let answers: Promise<unknown>[] = [];
      let firstLimited: () => void = () => undefined;
      const sawLimit = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('no send was refused with rate_limited while 1700 waited'));
        }, 20_000);
        firstLimited = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      try {
        // Two batches of at most 256 wait for the lock and at most 1024 more queue behind them
        // (MessageBatchWriter): 1700 sends overflow the queue however they are batched.
        answers = Array.from({ length: 1700 }, (_, i) => {
          const socket = sockets[i % sockets.length] ?? c.alice.socket;
          const clientId = randomUUID();
          return request(socket, 'messages.send', { channelId, clientId, content: `load ${i}` }).then(
            (envelope) => {
              if (envelope.ok) return;
              expect(envelope.error.code).toBe('rate_limited');
              limited.push({ clientId, socket, retryAfterMs: envelope.error.details?.['retryAfterMs'] });
              firstLimited();
            },
          );
        });
        await sawLimit;
        // Refused while the queue was full: not stored.
        const refused = await c.db.query('SELECT 1 FROM messages WHERE client_id = ANY($1::uuid[])', [
          limited.map((l) => l.clientId),
        ]);
        expect(refused.rowCount).toBe(0);
      } finally {
        await lock.release();
      }
      await Promise.all(answers);
      expect(limited.length).toBeGreaterThan(0);
      for (const l of limited) expect(l.retryAfterMs).toEqual(expect.any(Number));
      expect(limited.every((l) => (l.retryAfterMs as number) > 0)).toBe(true);
      // A retry with the same clientId after the backlog is gone is stored, once.
      await Promise.all(limited.map((l) => sendAcked(l.socket, channelId, l.clientId, 'retried')));
      const stored = await rows(channelId);
      expect(stored.map((r) => Number(r.seq))).toEqual(oneToN(1701));
      expect(new Set(stored.map((r) => `${r.author_key}/${r.client_id}`)).size).toBe(1701);
    });
  });
});
