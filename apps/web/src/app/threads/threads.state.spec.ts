import type { ThreadDto, ThreadEntryDto } from '@mpqcht/protocol';

import { channel, message, onlineHarness, OTHER_KEY, readState, settle, until } from '../testing/fixtures';
import { ThreadsState } from './threads.state';

const PARENT = '00000001-0000-7000-8000-000000000001';
const STREAM = `thread:${PARENT}`;
const OTHER_PARENT = '00000001-0000-7000-8000-000000000002';

function entry(overrides: Partial<ThreadEntryDto> = {}): ThreadEntryDto {
  return {
    id: PARENT,
    streamId: STREAM,
    channelId: 'lobby',
    name: 'Plans',
    creator: OTHER_KEY,
    createdAt: '2026-12-03T08:00:00.000Z',
    messageCount: 2,
    lastMessageAt: '2026-12-03T08:01:00.000Z',
    participants: [OTHER_KEY],
    locked: false,
    archived: false,
    lastSeq: 2,
    lastRev: 2,
    following: true,
    readState: readState(STREAM, { lastReadSeq: 2 }),
    ...overrides,
  };
}

async function setup(followed: readonly ThreadEntryDto[] = [entry()]) {
  const h = await onlineHarness({ channels: [channel('lobby')], followedThreads: followed });
  const threads = h.connection.get(ThreadsState);
  await until(() => threads.threads().size === followed.length, 'the followed threads');
  return { h, threads };
}

describe('ThreadsState', () => {
  it('loads the followed threads at login and counts what is new in them per channel', async () => {
    const { h, threads } = await setup([
      entry({ readState: readState(STREAM, { unreadCount: 3, mentionCount: 1 }) }),
    ]);
    expect(threads.followedCounts().get('lobby')).toEqual({ unread: 3, mentions: 1 });
    expect(threads.unreadTotal()).toBe(3);
    expect(h.socket.requests.some((r) => r.event === 'threads.followed')).toBe(true);
  });

  it('counts another member’s message in a followed thread, and a mention of the reader, once', async () => {
    const { h, threads } = await setup();
    const reply = message(STREAM, 3, { author: OTHER_KEY, mentions: [h.self.publicKey] });
    h.socket.push('message.created', reply);
    h.socket.push('message.created', reply); // the same message again (a catch-up overlap)
    await settle();
    expect(threads.find(STREAM)).toMatchObject({
      messageCount: 3,
      lastSeq: 3,
      unread: 1,
      mentions: 1,
      participants: [OTHER_KEY],
    });
    expect(threads.followedCounts().get('lobby')).toEqual({ unread: 1, mentions: 1 });
  });

  it('counts nothing for the reader’s own messages, and nothing in the thread being read', async () => {
    const { h, threads } = await setup();
    h.socket.push('message.created', message(STREAM, 3, { author: h.self.publicKey }));
    threads.open.set(STREAM);
    threads.reading.set(true);
    h.socket.push('message.created', message(STREAM, 4, { author: OTHER_KEY }));
    await settle();
    expect(threads.find(STREAM)).toMatchObject({
      messageCount: 4,
      unread: 0,
      participants: [OTHER_KEY, h.self.publicKey],
    });
  });

  it('does not count a thread the reader does not follow, until posting in it makes them follow', async () => {
    const other = entry({ id: OTHER_PARENT, streamId: `thread:${OTHER_PARENT}`, following: false });
    const { h, threads } = await setup([entry(), other]);
    h.socket.push('message.created', message(other.streamId, 3, { author: OTHER_KEY }));
    await settle();
    expect(threads.find(other.streamId)).toMatchObject({ messageCount: 3, unread: 0, following: false });
    h.socket.push('message.created', message(other.streamId, 4, { author: h.self.publicKey }));
    h.socket.push('message.created', message(other.streamId, 5, { author: OTHER_KEY }));
    await settle();
    expect(threads.find(other.streamId)).toMatchObject({ following: true, unread: 1 });
  });

  it('takes the read state the server sends, and forgets a deleted thread (closing it)', async () => {
    const { h, threads } = await setup([entry({ readState: readState(STREAM, { unreadCount: 2 }) })]);
    threads.open.set(STREAM);
    h.socket.push('readState.updated', readState(STREAM, { lastReadSeq: 2, unreadCount: 0 }));
    await settle();
    expect(threads.followedCounts().size).toBe(0);
    h.socket.push('thread.deleted', { channelId: 'lobby', streamId: STREAM, id: PARENT });
    await settle();
    expect(threads.find(STREAM)).toBeUndefined();
    expect(threads.open()).toBeNull();
  });

  it('keeps what it knows of the member when a summary is pushed (a rename, an archive)', async () => {
    const { h, threads } = await setup([entry({ readState: readState(STREAM, { unreadCount: 2 }) })]);
    const summary: Record<string, unknown> = { ...entry() };
    delete summary['following'];
    delete summary['readState'];
    h.socket.push('thread.updated', {
      ...(summary as unknown as ThreadDto),
      name: 'Renamed',
      archived: true,
    });
    await settle();
    expect(threads.find(STREAM)).toMatchObject({
      name: 'Renamed',
      archived: true,
      following: true,
      unread: 2,
    });
  });
});
