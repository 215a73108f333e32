import type { MessageDto } from '@mpqcht/protocol';

import {
  channel,
  message,
  messageId,
  type OnlineHarness,
  onlineHarness,
  readState,
  settle,
  until,
} from '../testing/fixtures';

/** lobby: messages 1 and 2, read up to 2. */
async function readLobby(): Promise<OnlineHarness> {
  const h = await onlineHarness({
    channels: [
      channel('lobby', { lastSeq: 2 }, { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2) }),
    ],
  });
  const opening = h.timelines.open('lobby');
  await until(() => h.socket.pending('messages.history') !== undefined, 'messages.history');
  h.socket
    .pending('messages.history')
    ?.ok({ messages: [message('lobby', 1), message('lobby', 2)], hasMore: false });
  await opening;
  return h;
}

const lobby = (h: OnlineHarness) => h.channels.find('lobby');
const markReads = (h: OnlineHarness) => h.socket.sent('channels.markRead').map((r) => r.payload.messageId);
const readUpTo = (seq: number, unreadCount = 0) =>
  readState('lobby', { lastReadSeq: seq, lastReadMessageId: messageId('lobby', seq), unreadCount });

/** Answers the oldest unanswered channels.markRead. */
async function answerMarkRead(h: OnlineHarness, state: ReturnType<typeof readUpTo>): Promise<void> {
  await until(() => h.socket.pending('channels.markRead') !== undefined, 'channels.markRead');
  h.socket.pending('channels.markRead')?.ok(state);
  await settle();
}

describe('marking the channel being read', () => {
  afterEach(() => jest.useRealTimers());

  it('marks read up to the newest message once one by someone else is past the marker', async () => {
    const h = await readLobby();
    h.channels.viewing.set('lobby');

    h.timelines.markReadSoon('lobby');
    await settle();
    expect(markReads(h)).toEqual([]);

    h.socket.push('message.created', message('lobby', 3));
    h.timelines.markReadSoon('lobby');
    await settle();
    expect(markReads(h)).toEqual([messageId('lobby', 3)]);
    await answerMarkRead(h, readUpTo(3));

    expect(lobby(h)).toMatchObject({ lastReadSeq: 3, unread: 0 });
  });

  it('sends nothing for the member’s own replies', async () => {
    const h = await readLobby();
    h.channels.viewing.set('lobby');

    h.socket.push('message.created', message('lobby', 3, { author: h.identity.publicKey.hex }));
    h.timelines.markReadSoon('lobby');

    await settle();

    expect(markReads(h)).toEqual([]);
  });

  it('sends one request per second while messages keep arriving, each for the newest', async () => {
    const h = await readLobby();
    jest.useFakeTimers();
    h.channels.viewing.set('lobby');
    const arrive = (seq: number) => {
      h.socket.push('message.created', message('lobby', seq));
      h.timelines.markReadSoon('lobby');
    };

    arrive(3);
    await answerMarkRead(h, readUpTo(3));
    for (let seq = 4; seq <= 12; seq++) arrive(seq);
    await settle();
    expect(markReads(h)).toEqual([messageId('lobby', 3)]);

    jest.advanceTimersByTime(1000);
    await settle();
    expect(markReads(h)).toEqual([messageId('lobby', 3), messageId('lobby', 12)]);
  });

  it('shows no count for what arrived while the answer was on its way, but counts after the reader left', async () => {
    const h = await readLobby();
    h.channels.viewing.set('lobby');
    h.socket.push('message.created', message('lobby', 3));
    h.timelines.markReadSoon('lobby');
    h.socket.push('message.created', message('lobby', 4));

    // The server counts 4, sent after the request: it is on screen, the next request covers it.
    await answerMarkRead(h, readUpTo(3, 1));
    expect(lobby(h)).toMatchObject({ lastReadSeq: 3, unread: 0 });

    h.channels.viewing.set(null);
    h.socket.push('message.created', message('lobby', 5));
    expect(lobby(h)).toMatchObject({ unread: 1 });
  });

  it('ignores a read state older than the marker held (answers that crossed)', async () => {
    const h = await readLobby();
    h.socket.push('readState.updated', readUpTo(2));
    h.socket.push('message.created', message('lobby', 3));
    h.socket.push('message.created', message('lobby', 4));
    h.socket.push('readState.updated', readUpTo(4));

    h.socket.push('readState.updated', readUpTo(3, 1));

    expect(lobby(h)).toMatchObject({ lastReadSeq: 4, unread: 0 });
  });

  it('marks nothing before the channel’s messages are loaded', async () => {
    const h = await onlineHarness({ channels: [channel('lobby', { lastSeq: 4 }, { unreadCount: 4 })] });
    h.channels.viewing.set('lobby');

    h.timelines.markReadSoon('lobby');
    await settle();

    await settle();

    expect(markReads(h)).toEqual([]);
  });

  it('a member’s first visit (never read) marks read the newest message', async () => {
    const h = await onlineHarness({ channels: [channel('lobby', { lastSeq: 2 }, { unreadCount: 2 })] });
    const opening = h.timelines.open('lobby');
    await until(() => h.socket.pending('messages.history') !== undefined, 'messages.history');
    const page: MessageDto[] = [message('lobby', 1), message('lobby', 2)];
    h.socket.pending('messages.history')?.ok({ messages: page, hasMore: false });
    await opening;
    h.channels.viewing.set('lobby');

    h.timelines.markReadSoon('lobby');

    await settle();

    expect(markReads(h)).toEqual([messageId('lobby', 2)]);
  });
});
