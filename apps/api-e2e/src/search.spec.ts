import { randomUUID } from 'node:crypto';

import type { MessageDto, SearchPageDto, ThreadEntryDto } from '@mpqcht/protocol';

import { ok, request } from './support/client';
import {
  type Community,
  extraChannels,
  type JoinedMember,
  send,
  startCommunity,
} from './support/joined-members';
import { searchIndexReady } from './support/search-ready';

/**
 * `search.messages` and `messages.around` (docs/protocol.md): each operator and combinations,
 * access control (including after a role change), edits and deletes, stable paging, bad queries,
 * the stop-word fallback and a live change of `[search] language`. authorization.spec.ts covers
 * both requests for every kind of member.
 */
const PRIVATE = `
[[roles]]
id = "insider"
name = "Insider"

[[channels]]
id = "vault"
name = "Vault"
group = "general"
default_permissions = { view = false }
overrides = [{ role = "insider", allow = ["view", "write"] }]
`;

describe('search', () => {
  let c: Community;
  /** The messages the tests search, by a short name. */
  const m: Record<string, MessageDto> = {};

  async function search(who: JoinedMember, query: string, extra: { cursor?: string; limit?: number } = {}) {
    return ok(who.socket, 'search.messages', { query, ...extra });
  }
  const ids = (page: SearchPageDto) => page.results.map((hit) => hit.message.id);

  beforeAll(async () => {
    c = await startCommunity(extraChannels(['garden', 'kitchen', 'history', 'archive', 'orchard']) + PRIVATE);
    await searchIndexReady(c.api);
    const { alice, bob, root } = c;
    m['tomatoes'] = await send(alice.socket, 'garden', 'The tomatoes are ripening early this year');
    m['basil'] = await send(bob.socket, 'garden', 'Basil and tomatoes grow well together');
    m['soup'] = await send(alice.socket, 'kitchen', 'Tomato soup recipe: see https://example.org/soup');
    m['code'] = await send(bob.socket, 'kitchen', 'run `make soup` to reheat');
    m['mention'] = await send(bob.socket, 'kitchen', '@Alice the soup is ready');
    m['secret'] = await send(root.socket, 'vault', 'the secret tomatoes are in the vault');
    m['parent'] = await send(alice.socket, 'garden', 'Planning the harvest festival');
    const thread = await ok(alice.socket, 'threads.create', {
      channelId: 'garden',
      messageId: m['parent'].id,
      name: 'Harvest festival',
    });
    m['inThread'] = await send(bob.socket, thread.streamId, 'I will bring pumpkins to the festival');
    const hiddenParent = await send(root.socket, 'vault', 'vault planning');
    const hiddenThread: ThreadEntryDto = await ok(root.socket, 'threads.create', {
      channelId: 'vault',
      messageId: hiddenParent.id,
      name: 'Vault thread',
    });
    m['hiddenThread'] = await send(root.socket, hiddenThread.streamId, 'pumpkins hidden in the vault thread');
  });

  afterAll(async () => {
    await c.close();
  });

  it('finds messages with every word, in any case, newest first, with highlights', async () => {
    const page = await search(c.alice, 'TOMATOES');
    expect(ids(page)).toEqual([m['basil']?.id, m['tomatoes']?.id]);
    expect(page.indexing).toBe(false);
    expect(page.cursor).toBeNull();
    const [basil] = page.results;
    expect(basil?.channelId).toBe('garden');
    expect(basil?.threadName).toBeNull();
    expect(basil?.message.content).toBe('Basil and tomatoes grow well together');
    expect(basil?.highlights).toEqual([[10, 18]]);
    expect(ids(await search(c.alice, 'tomatoes basil'))).toEqual([m['basil']?.id]);
    expect(ids(await search(c.alice, 'tomatoes nowhere'))).toEqual([]);
  });

  it('reads prefixes, phrases and exclusions', async () => {
    expect(ids(await search(c.alice, 'tomat*'))).toEqual([m['soup']?.id, m['basil']?.id, m['tomatoes']?.id]);
    expect(ids(await search(c.alice, '"grow well"'))).toEqual([m['basil']?.id]);
    expect(ids(await search(c.alice, '"well grow"'))).toEqual([]);
    expect(ids(await search(c.alice, 'tomatoes -basil'))).toEqual([m['tomatoes']?.id]);
    expect(ids(await search(c.alice, 'tomat* -"tomato soup"'))).toEqual([m['basil']?.id, m['tomatoes']?.id]);
    // A query that excludes its own word matches nothing (answered without walking the table).
    expect(ids(await search(c.alice, 'tomatoes -TOMATOES'))).toEqual([]);
    expect(ids(await search(c.alice, 'tomatoes -tom*'))).toEqual([]);
  });

  it('finds a phrase by its word pairs, only in order, and no prefix reaches a pair or a filter', async () => {
    const { alice } = c;
    const first = await send(alice.socket, 'orchard', 'Red apples and green pears');
    const second = await send(alice.socket, 'orchard', 'green apples, red pears');
    const both = await send(alice.socket, 'orchard', 'apples and pears, pears and apples');
    expect(ids(await search(alice, '"red apples"'))).toEqual([first.id]);
    // Punctuation between two words does not part them.
    expect(ids(await search(alice, '"apples red"'))).toEqual([second.id]);
    expect(ids(await search(alice, '"green apples red pears"'))).toEqual([second.id]);
    // Each pair of a longer phrase is in `both`, but not the phrase; nor in two messages at once.
    expect(ids(await search(alice, '"apples and apples"'))).toEqual([]);
    expect(ids(await search(alice, '"red apples red"'))).toEqual([]);
    expect(ids(await search(alice, '"apples and" -"pears and apples"'))).toEqual([first.id]);
    expect(ids(await search(alice, '"pears and apples"'))).toEqual([both.id]);
    // Pairs and filters are lexemes of the same vector: prefixes of their words never match them.
    for (const prefix of ['has*', 'mention*', 'in*', 'link*', 'thread*']) {
      expect(ids(await search(alice, prefix))).toEqual([]);
    }
  });

  it('filters by author, channel, mention, links, code and thread', async () => {
    const { alice, bob } = c;
    expect(ids(await search(alice, 'tomat* from:Alice'))).toEqual([m['soup']?.id, m['tomatoes']?.id]);
    expect(ids(await search(alice, `tomat* from:${bob.publicKey}`))).toEqual([m['basil']?.id]);
    expect(ids(await search(alice, 'from:bob in:#kitchen'))).toEqual([m['mention']?.id, m['code']?.id]);
    expect(ids(await search(alice, 'mentions:@alice'))).toEqual([m['mention']?.id]);
    expect(ids(await search(alice, 'has:link'))).toEqual([m['soup']?.id]);
    expect(ids(await search(alice, 'has:code soup'))).toEqual([m['code']?.id]);
    expect(ids(await search(alice, 'has:mention'))).toEqual([m['mention']?.id]);
    const inThread = await search(alice, 'pumpkins');
    expect(ids(inThread)).toEqual([m['inThread']?.id]);
    expect(inThread.results[0]).toMatchObject({ channelId: 'garden', threadName: 'Harvest festival' });
    expect(ids(await search(alice, 'in:thread festival'))).toEqual([m['inThread']?.id]);
    expect(ids(await search(alice, 'in:garden festival'))).toEqual([m['inThread']?.id, m['parent']?.id]);
  });

  it('filters by day: before, after and during (UTC)', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const all = [m['basil']?.id, m['tomatoes']?.id];
    expect(ids(await search(c.alice, `tomatoes during:${today}`))).toEqual(all);
    expect(ids(await search(c.alice, `tomatoes after:${yesterday} before:${tomorrow}`))).toEqual(all);
    expect(ids(await search(c.alice, `tomatoes before:${today}`))).toEqual([]);
    expect(ids(await search(c.alice, `tomatoes after:${today}`))).toEqual([]);
    // An old message, written straight into the database with a time-ordered id of its day.
    const old = await c.db.query<{ id: string }>(
      `INSERT INTO messages (id, channel_id, seq, rev, author_key, client_id, content, created_at)
       VALUES (mpqcht_uuid7($1, 1), 'archive', 1, 1, $2, gen_random_uuid(), 'ancient tomatoes', to_timestamp($1 / 1000.0))
       RETURNING id`,
      [Date.parse('2025-03-04T12:00:00Z'), c.alice.publicKey],
    );
    expect(ids(await search(c.alice, 'tomatoes during:2025-03-04'))).toEqual([old.rows[0]?.id]);
    expect(ids(await search(c.alice, 'tomatoes before:2025-03-05 after:2025-03-03'))).toEqual([
      old.rows[0]?.id,
    ]);
    expect(ids(await search(c.alice, 'tomatoes during:2025-03-05'))).toEqual([]);
  });

  it('finds only what the member can view, and stops as soon as a role change takes it away', async () => {
    const { alice, root } = c;
    expect(ids(await search(alice, 'secret'))).toEqual([]);
    expect(ids(await search(alice, 'pumpkins'))).toEqual([m['inThread']?.id]);
    const refused = await request(alice.socket, 'search.messages', { query: 'in:vault secret' });
    const nowhere = await request(alice.socket, 'search.messages', { query: 'in:nowhere secret' });
    expect(JSON.stringify(refused).replaceAll('vault', '?')).toBe(
      JSON.stringify(nowhere).replaceAll('nowhere', '?'),
    );

    await ok(root.socket, 'members.setRoles', { publicKey: alice.publicKey, roles: ['insider'] });
    expect(ids(await search(alice, 'secret'))).toEqual([m['secret']?.id]);
    expect(ids(await search(alice, 'pumpkins'))).toEqual([m['hiddenThread']?.id, m['inThread']?.id]);
    expect(ids(await search(alice, 'in:vault secret'))).toEqual([m['secret']?.id]);

    await ok(root.socket, 'members.setRoles', { publicKey: alice.publicKey, roles: [] });
    expect(ids(await search(alice, 'secret'))).toEqual([]);
    expect(ids(await search(alice, 'pumpkins'))).toEqual([m['inThread']?.id]);
  });

  it('sees an edit and a delete at once', async () => {
    const { alice, bob } = c;
    const note = await send(alice.socket, 'kitchen', 'buy cucumbers tomorrow');
    expect(ids(await search(bob, 'cucumbers'))).toEqual([note.id]);
    await ok(alice.socket, 'messages.edit', { messageId: note.id, content: 'buy zucchini tomorrow' });
    expect(ids(await search(bob, 'cucumbers'))).toEqual([]);
    const edited = await search(bob, 'zucchini');
    expect(ids(edited)).toEqual([note.id]);
    expect(edited.results[0]?.message.editedAt).not.toBeNull();
    await ok(alice.socket, 'messages.delete', { messageId: note.id });
    expect(ids(await search(bob, 'zucchini'))).toEqual([]);
    expect(ids(await search(bob, 'from:alice in:kitchen'))).not.toContain(note.id);
  });

  it('pages newest first with a cursor that new messages do not shift', async () => {
    const { alice, bob } = c;
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push((await send(alice.socket, 'history', `paging carrot ${i}`)).id);
    const first = await search(bob, 'carrot', { limit: 3 });
    expect(ids(first)).toEqual(sent.slice(4).reverse());
    for (let i = 0; i < 2; i++) await send(alice.socket, 'history', `paging carrot late ${i}`);
    const second = await search(bob, 'carrot', { limit: 3, cursor: first.cursor ?? '' });
    expect(ids(second)).toEqual(sent.slice(1, 4).reverse());
    const third = await search(bob, 'carrot', { limit: 3, cursor: second.cursor ?? '' });
    expect(ids(third)).toEqual([sent[0]]);
    expect(third.cursor).toBeNull();
  });

  it('refuses a query it cannot read with validation_failed and the position, never a 500', async () => {
    const refusal = async (payload: unknown) => {
      const envelope = await request(c.alice.socket, 'search.messages', payload as { query: string });
      if (envelope.ok) throw new Error(`accepted ${JSON.stringify(payload)}`);
      return envelope.error;
    };
    expect(await refusal({ query: 'plans "unclosed' })).toMatchObject({
      code: 'validation_failed',
      details: { position: 6, issues: [{ path: 'query', message: 'a quote is not closed' }] },
    });
    expect(await refusal({ query: 'plans form:ada' })).toMatchObject({ details: { position: 6 } });
    expect(await refusal({ query: 'soup from:nobody' })).toMatchObject({
      code: 'validation_failed',
      message: 'query: no member named "nobody"',
      details: { position: 5 },
    });
    expect(await refusal({ query: 'soup during:2026-02-30' })).toMatchObject({ details: { position: 5 } });
    expect(await refusal({ query: '-soup' })).toMatchObject({ code: 'validation_failed' });
    expect(await refusal({ query: 'soup', cursor: 'garbage' })).toMatchObject({
      code: 'validation_failed',
      details: { issues: [{ path: 'cursor' }] },
    });
    expect(await refusal({ query: 'soup', limit: 51 })).toMatchObject({ code: 'validation_failed' });
    expect(await refusal({ query: 'x'.repeat(513) })).toMatchObject({ code: 'validation_failed' });
    // Odd but readable queries are searched, not refused.
    expect(ids(await search(c.alice, "it's \\ back'slash ''' :*"))).toEqual([]);
  });

  it('jumps to a message: messages.around', async () => {
    const { alice, bob } = c;
    const sent: string[] = [];
    for (let i = 0; i < 9; i++) sent.push((await send(alice.socket, 'history', `around ${i}`)).id);
    const around = await ok(bob.socket, 'messages.around', {
      channelId: 'history',
      messageId: sent[4] ?? '',
      limit: 2,
    });
    expect(around.messages.map((message) => message.id)).toEqual(sent.slice(2, 7));
    expect(around).toMatchObject({ hasBefore: true, hasAfter: true });
    const newest = await ok(bob.socket, 'messages.around', {
      channelId: 'history',
      messageId: sent[8] ?? '',
      limit: 2,
    });
    expect(newest.messages.map((message) => message.id)).toEqual(sent.slice(6));
    expect(newest.hasAfter).toBe(false);
    const elsewhere = await request(bob.socket, 'messages.around', {
      channelId: 'kitchen',
      messageId: sent[4] ?? '',
    });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const unknown = await request(bob.socket, 'messages.around', {
      channelId: 'history',
      messageId: randomUUID(),
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('search in a language', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(extraChannels(['notes']));
    await searchIndexReady(c.api);
  });

  afterAll(async () => {
    await c.close();
  });

  it('rebuilds the index when [search] language changes, then finds other forms and falls back on stop words', async () => {
    const { alice, root } = c;
    const meetings = await send(alice.socket, 'notes', 'The Who played at our meetings');
    expect((await ok(alice.socket, 'search.messages', { query: 'meeting' })).results).toEqual([]);

    const current = await ok(root.socket, 'config.get', {});
    await ok(root.socket, 'config.replace', {
      text: `${current.text}\n[search]\nlanguage = "english"\n`,
      expectedHash: current.hash,
    });
    // The builder notices the change, rebuilds the existing rows, and says so until it is done.
    const deadline = Date.now() + 30_000;
    let page: SearchPageDto;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = await ok(alice.socket, 'search.messages', { query: 'meeting' });
    } while ((page.indexing || page.results.length === 0) && Date.now() < deadline);
    expect(page.results.map((hit) => hit.message.id)).toEqual([meetings.id]);
    expect(page.results[0]?.highlights).toEqual([[22, 30]]);
    // Only stop words: matched as written (the `simple` configuration).
    const who = await ok(alice.socket, 'search.messages', { query: 'the who' });
    expect(who.results.map((hit) => hit.message.id)).toEqual([meetings.id]);
    expect(who.results[0]?.highlights).toEqual([
      [0, 3],
      [4, 7],
    ]);
    // A new message is indexed in the new language from the start.
    const later = await send(alice.socket, 'notes', 'another meeting later');
    const both = await ok(alice.socket, 'search.messages', { query: 'meetings' });
    expect(both.results.map((hit) => hit.message.id)).toEqual([later.id, meetings.id]);
    // A phrase's pair is read in the language too: `another meeting` for "another meetings".
    const phrase = await ok(alice.socket, 'search.messages', { query: '"another meetings"' });
    expect(phrase.results.map((hit) => hit.message.id)).toEqual([later.id]);
    expect(phrase.results[0]?.highlights).toEqual([
      [0, 7],
      [8, 15],
    ]);
  });
});
