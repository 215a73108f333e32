import { randomUUID } from 'node:crypto';

import type { MessageDto, ThreadDto, ThreadEntryDto } from '@mpqcht/protocol';

import { collectPushes, fails, nextPush, ok, request } from './support/client';
import {
  type Community,
  extraChannels,
  type JoinedMember,
  send,
  startCommunity,
} from './support/joined-members';
import { pushMatching } from './support/push-matching';

/**
 * Threads (docs/protocol.md, Threads): a message stream under a message, addressed as
 * `thread:<id>` wherever a request names a channel. The authorization matrix (authorization.spec.ts)
 * covers every thread request for every kind of member; this covers what threads do.
 */
/** What every member gets of a thread (`thread.updated`, `Message.thread`): the entry without its own parts. */
function sharedPart(entry: ThreadEntryDto): ThreadDto {
  const shared: Record<string, unknown> = { ...entry };
  delete shared['following'];
  delete shared['readState'];
  return shared as unknown as ThreadDto;
}

describe('threads', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(
      extraChannels(['starts', 'replies', 'follows', 'locks', 'deletes', 'listing']) +
        '\n[[channels]]\nid = "quick"\nname = "quick"\ngroup = "general"\nthread_archive_after = "1s"\n' +
        '\n[[channels]]\nid = "slow"\nname = "slow"\ngroup = "general"\ndefault_permissions = { slowmode_ms = 60000 }\n',
    );
  });

  afterAll(async () => {
    await c.close();
  });

  /** A message in `channelId` and a thread started on it by `by`. */
  async function thread(
    channelId: string,
    by: JoinedMember,
    name = 'a side discussion',
  ): Promise<ThreadEntryDto> {
    const parent = await send(by.socket, channelId, `parent of ${name}`);
    return ok(by.socket, 'threads.create', { channelId, messageId: parent.id, name });
  }

  /** The unread and mention counts of the threads a member follows in a channel (`threads.followed`). */
  async function followedIn(member: JoinedMember, channelId: string) {
    const followed = await ok(member.socket, 'threads.followed', {});
    expect(followed.every((t) => t.following)).toBe(true);
    const here = followed.filter((t) => t.channelId === channelId);
    return {
      unreadCount: here.reduce((n, t) => n + t.readState.unreadCount, 0),
      mentionCount: here.reduce((n, t) => n + t.readState.mentionCount, 0),
    };
  }

  it('starts a thread on a message: the creator follows it, the channel is told, history shows it', async () => {
    const { alice, bob } = c;
    const parent = await send(alice.socket, 'starts', 'shall we plan the meetup?');
    const told = pushMatching(bob.socket, 'thread.updated', (t) => t.id === parent.id);
    const created = await ok(alice.socket, 'threads.create', {
      channelId: 'starts',
      messageId: parent.id,
      name: '  Meetup plans  ',
    });
    expect(created).toEqual({
      id: parent.id,
      streamId: `thread:${parent.id}`,
      channelId: 'starts',
      name: 'Meetup plans',
      creator: alice.publicKey,
      createdAt: expect.any(String) as string,
      messageCount: 0,
      lastMessageAt: created.createdAt,
      participants: [],
      locked: false,
      archived: false,
      lastSeq: 0,
      lastRev: 0,
      following: true,
      readState: {
        channelId: `thread:${parent.id}`,
        lastReadSeq: 0,
        lastReadMessageId: null,
        unreadCount: 0,
        mentionCount: 0,
      },
    });
    const shared: ThreadDto = sharedPart(created);
    expect(await told).toEqual(shared);

    // The parent message carries the thread in the channel's history.
    const history = await ok(bob.socket, 'messages.history', { channelId: 'starts' });
    expect(history.messages.find((m) => m.id === parent.id)?.thread).toEqual(shared);

    // One thread per message; a message of another channel, or none, is not_found.
    const again = await request(bob.socket, 'threads.create', {
      channelId: 'starts',
      messageId: parent.id,
      name: 'another',
    });
    expect(again.ok ? null : again.error).toMatchObject({
      code: 'conflict',
      details: { channelId: `thread:${parent.id}` },
    });
    expect(
      await fails(bob.socket, 'threads.create', { channelId: 'lobby', messageId: parent.id, name: 'x' }),
    ).toBe('not_found');
    expect(
      await fails(bob.socket, 'threads.create', { channelId: 'starts', messageId: randomUUID(), name: 'x' }),
    ).toBe('not_found');
  });

  it.each([
    ['an empty name', ''],
    ['a name of spaces', '   '],
    ['a name of two lines', 'one\ntwo'],
    ['a name of 101 characters', 'x'.repeat(101)],
  ])('refuses %s with validation_failed', async (_what, name) => {
    const parent = await send(c.alice.socket, 'starts', 'name me');
    expect(
      await fails(c.alice.socket, 'threads.create', { channelId: 'starts', messageId: parent.id, name }),
    ).toBe('validation_failed');
    expect(await fails(c.alice.socket, 'threads.get', { channelId: `thread:${parent.id}` })).toBe(
      'not_found',
    );
  });

  it('carries messages like a channel: seq and rev, idempotent retries, history, catch-up, edit, delete', async () => {
    const { alice, bob, root } = c;
    const started = await thread('replies', alice);
    const streamId = started.streamId;

    // Pushed to whoever views the channel, named by the thread's stream.
    const clientId = randomUUID();
    const bobSees = pushMatching(bob.socket, 'message.created', (m) => m.clientId === clientId);
    const first = await ok(bob.socket, 'messages.send', {
      channelId: streamId,
      clientId,
      content: 'count me in',
    });
    expect(first).toMatchObject({ channelId: streamId, seq: 1, rev: 1, author: bob.publicKey });
    expect((await bobSees).id).toBe(first.id);
    const rootSees = collectPushes(root.socket, 'message.created');
    // A retry with the same client id is the same message, pushed to nobody again.
    const retry = await ok(bob.socket, 'messages.send', {
      channelId: streamId,
      clientId,
      content: 'count me in',
    });
    expect(retry).toEqual(first);
    const second = await send(alice.socket, streamId, 'great, @Root too?');
    expect(second).toMatchObject({ seq: 2, rev: 2, mentions: [root.publicKey] });
    const edited = await ok(bob.socket, 'messages.edit', { messageId: first.id, content: 'count me in!' });
    expect(edited).toMatchObject({ channelId: streamId, seq: 1, rev: 3 });
    const third = await send(bob.socket, streamId, 'oops');
    const deleted = await ok(bob.socket, 'messages.delete', { messageId: third.id });
    expect(deleted).toEqual({ channelId: streamId, messageId: third.id, seq: 3, rev: 5 });
    expect(rootSees.filter((m) => m.clientId === clientId)).toEqual([]);

    const history = await ok(root.socket, 'messages.history', { channelId: streamId });
    expect(history.messages.map((m) => m.content)).toEqual(['count me in!', 'great, @Root too?']);
    const since = await ok(root.socket, 'messages.since', { channelId: streamId, afterRev: 1 });
    expect(since).toMatchObject({ rev: 5, hasMore: false });
    expect(since.messages.map((m) => m.rev)).toEqual([2, 3]);
    expect(since.deleted.map((d) => d.messageId)).toEqual([third.id]);

    // The channel's own stream is untouched by its thread's messages.
    const channel = await ok(root.socket, 'messages.history', { channelId: 'replies' });
    expect(channel.messages.map((m: MessageDto) => m.channelId)).toEqual(['replies']);
    // The summary: live messages, the latest authors first, the last message's time.
    const summary = await ok(root.socket, 'threads.get', { channelId: streamId });
    expect(summary).toMatchObject({
      messageCount: 2,
      participants: [bob.publicKey, alice.publicKey],
      lastSeq: 3,
      lastRev: 5,
      lastMessageAt: third.createdAt,
      following: true, // mentioned
    });
    expect(channel.messages[0]?.thread).toMatchObject({ messageCount: 2, lastRev: 5 });
  });

  it('counts unread messages and mentions of followed threads on their channel, until read', async () => {
    const { alice, bob, root } = c;
    const started = await thread('follows', alice);
    const streamId = started.streamId;
    // Root does not follow: posting and being mentioned are what make a member follow.
    expect(await followedIn(root, 'follows')).toEqual({ unreadCount: 0, mentionCount: 0 });
    await send(bob.socket, streamId, 'first reply');
    await send(bob.socket, streamId, 'and one for @Alice');
    expect(await followedIn(alice, 'follows')).toEqual({ unreadCount: 2, mentionCount: 1 });
    // Bob follows by posting; his own messages are not unread to him.
    expect((await ok(bob.socket, 'threads.get', { channelId: streamId })).following).toBe(true);
    expect(await followedIn(bob, 'follows')).toEqual({ unreadCount: 0, mentionCount: 0 });
    expect(await followedIn(root, 'follows')).toEqual({ unreadCount: 0, mentionCount: 0 });

    // Reading the thread clears them, on every device of the reader.
    const history = await ok(alice.socket, 'messages.history', { channelId: streamId });
    const newest = history.messages.at(-1);
    if (!newest) throw new Error('no messages');
    const readState = await ok(alice.socket, 'channels.markRead', {
      channelId: streamId,
      messageId: newest.id,
    });
    expect(readState).toMatchObject({ channelId: streamId, unreadCount: 0, mentionCount: 0, lastReadSeq: 2 });
    expect(await followedIn(alice, 'follows')).toEqual({ unreadCount: 0, mentionCount: 0 });

    // Following by hand, then unfollowing: the member's other devices hear of both.
    const rootElsewhere = await c.connectAgain(root);
    const heard = nextPush(rootElsewhere, 'thread.following');
    const followed = await ok(root.socket, 'threads.follow', { channelId: streamId, follow: true });
    expect(followed).toMatchObject({ following: true, readState: { unreadCount: 2 } });
    expect(await heard).toEqual(followed);
    expect(await followedIn(root, 'follows')).toEqual({ unreadCount: 2, mentionCount: 0 });
    await ok(root.socket, 'threads.follow', { channelId: streamId, follow: false });
    expect(await followedIn(root, 'follows')).toEqual({ unreadCount: 0, mentionCount: 0 });
  });

  it('locks a thread: read-only except for manage_threads; only they lock; the creator renames', async () => {
    const { alice, bob, root } = c;
    const started = await thread('locks', alice);
    const streamId = started.streamId;
    expect(await fails(alice.socket, 'threads.update', { channelId: streamId, locked: true })).toBe(
      'forbidden',
    );
    expect(await fails(bob.socket, 'threads.update', { channelId: streamId, name: 'mine now' })).toBe(
      'forbidden',
    );
    const renamed = await ok(alice.socket, 'threads.update', { channelId: streamId, name: 'Better name' });
    expect(renamed.name).toBe('Better name');

    const told = pushMatching(bob.socket, 'thread.updated', (t) => t.id === started.id && t.locked);
    const locked = await ok(root.socket, 'threads.update', { channelId: streamId, locked: true });
    expect(locked).toMatchObject({ locked: true, name: 'Better name' });
    await told;
    const refused = await request(alice.socket, 'messages.send', {
      channelId: streamId,
      clientId: randomUUID(),
      content: 'let me in',
    });
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'forbidden',
      message: 'this thread is locked',
    });
    expect(await fails(bob.socket, 'typing.start', { channelId: streamId })).toBe('forbidden');
    // The creator no longer renames it either; a holder of manage_threads still writes.
    expect(await fails(alice.socket, 'threads.update', { channelId: streamId, name: 'x' })).toBe('forbidden');
    expect((await send(root.socket, streamId, 'closing words')).seq).toBe(1);
    await ok(root.socket, 'threads.update', { channelId: streamId, locked: false });
    expect((await send(alice.socket, streamId, 'open again')).seq).toBe(2);
  });

  it('archives a thread after thread_archive_after without messages; a message unarchives it', async () => {
    const { alice, bob } = c;
    // quick: thread_archive_after = "1s"; the archiver's push says when.
    const archived = pushMatching(
      bob.socket,
      'thread.updated',
      (t) => t.channelId === 'quick' && t.archived,
      15_000,
    );
    const started = await thread('quick', alice);
    expect(started.archived).toBe(false);
    expect((await archived).id).toBe(started.id);
    expect((await ok(bob.socket, 'threads.get', { channelId: started.streamId })).archived).toBe(true);
    await send(bob.socket, started.streamId, 'still here');
    expect((await ok(bob.socket, 'threads.get', { channelId: started.streamId })).archived).toBe(false);

    // By hand too (its creator may), and back.
    expect(
      (await ok(alice.socket, 'threads.update', { channelId: started.streamId, archived: true })).archived,
    ).toBe(true);
    expect(
      (await ok(alice.socket, 'threads.update', { channelId: started.streamId, archived: false })).archived,
    ).toBe(false);
  });

  it('lists a channel’s threads active first, then archived, newest activity first, paged by cursor', async () => {
    const { alice, bob } = c;
    const older = await thread('listing', alice, 'older');
    const archived = await thread('listing', alice, 'archived');
    const newer = await thread('listing', alice, 'newer');
    await ok(alice.socket, 'threads.update', { channelId: archived.streamId, archived: true });
    await send(bob.socket, older.streamId, 'bump'); // now the most recently active

    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result: { threads: readonly ThreadDto[]; cursor: string | null } = await ok(
        bob.socket,
        'threads.list',
        cursor ? { channelId: 'listing', limit: 1, cursor } : { channelId: 'listing', limit: 1 },
      );
      names.push(...result.threads.map((t) => t.name));
      if (!result.cursor) break;
      cursor = result.cursor;
    }
    expect(names).toEqual(['older', 'newer', 'archived']);
    const all = await ok(bob.socket, 'threads.list', { channelId: 'listing' });
    expect(all.threads.map((t) => [t.name, t.following])).toEqual([
      ['older', true],
      ['newer', false],
      ['archived', false],
    ]);
    expect(all.cursor).toBeNull();
    expect(newer.id).not.toBe(older.id);
    expect(await fails(bob.socket, 'threads.list', { channelId: 'listing', cursor: 'garbage' })).toBe(
      'validation_failed',
    );
  });

  it('deletes a thread with its messages (manage_threads); the message can grow a new one', async () => {
    const { alice, bob, root } = c;
    const started = await thread('deletes', alice);
    const reply = await send(bob.socket, started.streamId, 'soon gone');
    expect(await fails(alice.socket, 'threads.delete', { channelId: started.streamId })).toBe('forbidden');
    const told = nextPush(bob.socket, 'thread.deleted');
    const deleted = await ok(root.socket, 'threads.delete', { channelId: started.streamId });
    expect(deleted).toEqual({ channelId: 'deletes', streamId: started.streamId, id: started.id });
    expect(await told).toEqual(deleted);
    expect(await fails(bob.socket, 'messages.history', { channelId: started.streamId })).toBe('not_found');
    expect(
      await fails(bob.socket, 'messages.send', {
        channelId: started.streamId,
        clientId: randomUUID(),
        content: 'hi',
      }),
    ).toBe('not_found');
    const row = await c.db.query<{ content: string; deleted: boolean }>(
      'SELECT content, deleted_at IS NOT NULL AS deleted FROM messages WHERE id = $1',
      [reply.id],
    );
    expect(row.rows).toEqual([{ content: '', deleted: true }]);
    const history = await ok(bob.socket, 'messages.history', { channelId: 'deletes' });
    expect(history.messages.find((m) => m.id === started.id)?.thread).toBeUndefined();

    const again = await ok(bob.socket, 'threads.create', {
      channelId: 'deletes',
      messageId: started.id,
      name: 'take two',
    });
    expect(again).toMatchObject({
      id: started.id,
      name: 'take two',
      creator: bob.publicKey,
      messageCount: 0,
    });
    expect((await send(bob.socket, again.streamId, 'fresh start')).seq).toBe(2);
  });

  it('applies the channel’s slowmode inside its threads, each thread on its own', async () => {
    const { alice } = c;
    const first = await thread('slow', c.root);
    const second = await thread('slow', c.root, 'another');
    await send(alice.socket, first.streamId, 'one');
    expect(
      await fails(alice.socket, 'messages.send', {
        channelId: first.streamId,
        clientId: randomUUID(),
        content: 'two',
      }),
    ).toBe('rate_limited');
    await send(alice.socket, second.streamId, 'elsewhere');
  });

  it('names threads in either case and refuses a malformed thread id as invalid', async () => {
    const started = await thread('starts', c.alice, 'case');
    const upper = await ok(c.bob.socket, 'threads.get', { channelId: `thread:${started.id.toUpperCase()}` });
    expect(upper.id).toBe(started.id);
    expect(await fails(c.bob.socket, 'threads.get', { channelId: 'thread:not-a-uuid' })).toBe(
      'validation_failed',
    );
    expect(await fails(c.bob.socket, 'threads.get', { channelId: 'starts' })).toBe('validation_failed');
  });
});
