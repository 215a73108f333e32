import type { MessageDto } from '@mpqcht/protocol';

import type { FakeRequest } from '../testing/fake-socket';
import { channel, message, messageId, type OnlineHarness, onlineHarness, until } from '../testing/fixtures';

type Paged = 'messages.history' | 'messages.around';

async function nextRequest<E extends Paged>(h: OnlineHarness, event: E): Promise<FakeRequest<E>> {
  await until(() => h.socket.pending(event) !== undefined, event);
  const request = h.socket.pending(event);
  if (!request) throw new Error(`no ${event}`);
  return request;
}

const range = (from: number, to: number): MessageDto[] =>
  Array.from({ length: to - from + 1 }, (_, i) => message('lobby', from + i));

const seqs = (h: OnlineHarness) =>
  h.timelines
    .timeline('lobby')
    .messages()
    .map((m) => m.seq);

/** The lobby opened at the present: messages 151 to 200 of 200. */
async function atPresent(): Promise<OnlineHarness> {
  const h = await onlineHarness({ channels: [channel('lobby', { lastSeq: 200, lastRev: 200 })] });
  const opening = h.timelines.open('lobby');
  (await nextRequest(h, 'messages.history')).ok({ messages: range(151, 200), hasMore: true });
  await opening;
  return h;
}

/** Jumps to message 60: the window 35..85 replaces the cache. */
async function jumpTo60(h: OnlineHarness): Promise<void> {
  const loading = h.timelines.loadAround('lobby', messageId('lobby', 60));
  const around = await nextRequest(h, 'messages.around');
  expect(around.payload).toEqual({ channelId: 'lobby', messageId: messageId('lobby', 60) });
  around.ok({ messages: range(35, 85), hasBefore: true, hasAfter: true });
  await loading;
}

describe('TimelinesState: a window around a message (jump to a search result)', () => {
  // The outbox keeps unsent messages in localStorage.
  beforeEach(() => localStorage.clear());

  it('asks nothing when the message is cached', async () => {
    const h = await atPresent();
    await h.timelines.loadAround('lobby', messageId('lobby', 160));
    expect(h.socket.sent('messages.around')).toHaveLength(0);
    expect(seqs(h)).toEqual(range(151, 200).map((m) => m.seq));
  });

  it('replaces the cache with the history around it, then pages both ways back to the present', async () => {
    const h = await atPresent();
    await jumpTo60(h);
    const timeline = h.timelines.timeline('lobby');
    expect(seqs(h)).toEqual(range(35, 85).map((m) => m.seq));
    expect(timeline.hasMoreBefore()).toBe(true);
    expect(timeline.hasMoreAfter()).toBe(true);

    const older = h.timelines.loadOlder('lobby');
    const before = await nextRequest(h, 'messages.history');
    expect(before.payload).toEqual({ channelId: 'lobby', before: messageId('lobby', 35) });
    before.ok({ messages: range(1, 34), hasMore: false });
    await older;

    const newer = h.timelines.loadNewer('lobby');
    const after = await nextRequest(h, 'messages.history');
    expect(after.payload).toEqual({ channelId: 'lobby', after: messageId('lobby', 85) });
    after.ok({ messages: range(86, 135), hasMore: true });
    await newer;
    expect(timeline.hasMoreAfter()).toBe(true);

    const last = h.timelines.loadNewer('lobby');
    (await nextRequest(h, 'messages.history')).ok({ messages: range(136, 200), hasMore: false });
    await last;
    expect(seqs(h)).toEqual(range(1, 200).map((m) => m.seq));
    expect(timeline.hasMoreAfter()).toBe(false);
    expect(timeline.hasMoreBefore()).toBe(false);
  });

  it('leaves a new message out of a window before it, but counts it as unread', async () => {
    const h = await atPresent();
    await jumpTo60(h);
    h.socket.push('message.created', message('lobby', 201, { rev: 201 }));
    expect(seqs(h).at(-1)).toBe(85);
    expect(h.channels.find('lobby')?.unread).toBe(1);
    // An edit inside the window still lands.
    h.socket.push(
      'message.updated',
      message('lobby', 70, { rev: 202, content: 'edited', editedAt: '2026-01-02T00:00:00.000Z' }),
    );
    expect(h.timelines.timeline('lobby').findById(messageId('lobby', 70))?.content).toBe('edited');
  });

  it('goes back to the present on request, and when the member sends a message', async () => {
    const h = await atPresent();
    await jumpTo60(h);
    const back = h.timelines.toPresent('lobby');
    const newest = await nextRequest(h, 'messages.history');
    expect(newest.payload).toEqual({ channelId: 'lobby' });
    newest.ok({ messages: range(151, 200), hasMore: true });
    await back;
    expect(seqs(h)).toEqual(range(151, 200).map((m) => m.seq));
    expect(h.timelines.timeline('lobby').hasMoreAfter()).toBe(false);

    await jumpTo60(h);
    void h.timelines.send('lobby', 'hello');
    const present = await nextRequest(h, 'messages.history');
    expect(present.payload).toEqual({ channelId: 'lobby' });
    present.ok({ messages: range(151, 200), hasMore: true });
    await until(() => !h.timelines.timeline('lobby').hasMoreAfter(), 'the present');
    expect(h.timelines.timeline('lobby').messages().at(-1)?.content).toBe('hello');
  });

  it('waits for the newest page in flight before replacing it (opening and jumping at once)', async () => {
    const h = await onlineHarness({ channels: [channel('lobby', { lastSeq: 200, lastRev: 200 })] });
    const opening = h.timelines.open('lobby');
    const jumping = h.timelines.loadAround('lobby', messageId('lobby', 60));
    (await nextRequest(h, 'messages.history')).ok({ messages: range(151, 200), hasMore: true });
    await opening;
    (await nextRequest(h, 'messages.around')).ok({
      messages: range(35, 85),
      hasBefore: true,
      hasAfter: true,
    });
    await jumping;
    expect(seqs(h)).toEqual(range(35, 85).map((m) => m.seq));
    // Opening again keeps the window.
    await h.timelines.open('lobby');
    expect(h.socket.sent('messages.history')).toHaveLength(1);
  });
});
