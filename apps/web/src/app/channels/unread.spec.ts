import type { MessageDto } from '@mpqcht/protocol';

import {
  channel,
  message,
  messageId,
  type OnlineHarness,
  onlineHarness,
  OTHER_KEY,
  readState,
  settle,
  THIRD_KEY,
  until,
} from '../testing/fixtures';

/** lobby: two messages, both read; random: empty. */
function lobbyAndRandom(): Promise<OnlineHarness> {
  return onlineHarness({
    channels: [
      channel('lobby', { lastSeq: 2 }, { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2) }),
      channel('random'),
    ],
  });
}

async function open(h: OnlineHarness, channelId: string, messages: MessageDto[]): Promise<void> {
  const opening = h.timelines.open(channelId);
  await until(() => h.socket.pending('messages.history') !== undefined, 'messages.history');
  h.socket.pending('messages.history')?.ok({ messages, hasMore: false });
  await opening;
}

function counts(h: OnlineHarness, channelId: string) {
  const state = h.channels.channels().find((c) => c.id === channelId);
  return state && { unread: state.unread, mentions: state.mentions, lastSeq: state.lastSeq };
}

describe('ServerConnection unread and mention counts', () => {
  it('counts a message by another member in a channel not being viewed, and a mention of this key', async () => {
    const h = await lobbyAndRandom();
    const me = h.identity.publicKey.hex;

    h.socket.push('message.created', message('lobby', 3));
    expect(counts(h, 'lobby')).toEqual({ unread: 1, mentions: 0, lastSeq: 3 });

    h.socket.push('message.created', message('lobby', 4, { mentions: [OTHER_KEY, me] }));
    expect(counts(h, 'lobby')).toEqual({ unread: 2, mentions: 1, lastSeq: 4 });

    h.socket.push('message.created', message('lobby', 5, { mentions: [THIRD_KEY] }));
    expect(counts(h, 'lobby')).toEqual({ unread: 3, mentions: 1, lastSeq: 5 });
    expect(counts(h, 'random')).toEqual({ unread: 0, mentions: 0, lastSeq: 0 });
  });

  it('does not count messages in the channel being viewed', async () => {
    const h = await lobbyAndRandom();
    h.channels.viewing.set('lobby');

    h.socket.push('message.created', message('lobby', 3, { mentions: [h.identity.publicKey.hex] }));
    h.socket.push('message.created', message('random', 1));

    expect(counts(h, 'lobby')).toEqual({ unread: 0, mentions: 0, lastSeq: 3 });
    expect(counts(h, 'random')).toEqual({ unread: 1, mentions: 0, lastSeq: 1 });
  });

  it('never counts own messages, even when they mention this key', async () => {
    const h = await lobbyAndRandom();
    const me = h.identity.publicKey.hex;

    h.socket.push('message.created', message('lobby', 3, { author: me, mentions: [me] }));

    expect(counts(h, 'lobby')).toEqual({ unread: 0, mentions: 0, lastSeq: 3 });
  });

  it('counts a message pushed twice once when the timeline is cached', async () => {
    const h = await lobbyAndRandom();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    const three = message('lobby', 3);

    h.socket.push('message.created', three);
    h.socket.push('message.created', three);

    expect(counts(h, 'lobby')).toEqual({ unread: 1, mentions: 0, lastSeq: 3 });
    expect(
      h.timelines
        .timeline('lobby')
        .messages()
        .map((m) => m.seq),
    ).toEqual([1, 2, 3]);
  });

  it('takes the exact counts of readState.updated', async () => {
    const h = await onlineHarness({
      channels: [channel('lobby', { lastSeq: 9 }, { unreadCount: 9, mentionCount: 4 }), channel('random')],
    });

    h.socket.push(
      'readState.updated',
      readState('lobby', {
        lastReadSeq: 7,
        lastReadMessageId: messageId('lobby', 7),
        unreadCount: 2,
        mentionCount: 1,
      }),
    );

    expect(h.channels.channels().find((c) => c.id === 'lobby')).toMatchObject({
      lastReadSeq: 7,
      lastReadMessageId: messageId('lobby', 7),
      unread: 2,
      mentions: 1,
    });
    expect(counts(h, 'random')).toEqual({ unread: 0, mentions: 0, lastSeq: 0 });
  });

  it('adjusts the mention count when an edit adds or drops a mention of this key in an unread message', async () => {
    const h = await lobbyAndRandom();
    const me = h.identity.publicKey.hex;
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    const three = message('lobby', 3);
    h.socket.push('message.created', three);
    expect(counts(h, 'lobby')).toEqual({ unread: 1, mentions: 0, lastSeq: 3 });

    h.socket.push('message.updated', { ...three, content: '@Me look', mentions: [me] });
    expect(counts(h, 'lobby')).toMatchObject({ unread: 1, mentions: 1 });

    h.socket.push('message.updated', { ...three, content: '@Me look again', mentions: [OTHER_KEY, me] });
    expect(counts(h, 'lobby')).toMatchObject({ unread: 1, mentions: 1 });

    h.socket.push('message.updated', { ...three, content: 'never mind', mentions: [] });
    expect(counts(h, 'lobby')).toMatchObject({ unread: 1, mentions: 0 });
    expect(h.timelines.timeline('lobby').findById(three.id)?.content).toBe('never mind');
  });

  it('leaves the counts alone when a read message is edited to mention this key', async () => {
    const h = await lobbyAndRandom();
    const two = message('lobby', 2);
    await open(h, 'lobby', [message('lobby', 1), two]);

    h.socket.push('message.updated', { ...two, mentions: [h.identity.publicKey.hex] });

    expect(counts(h, 'lobby')).toEqual({ unread: 0, mentions: 0, lastSeq: 2 });
  });

  it('drops an unread message from the counts when it is deleted, with its mention', async () => {
    const h = await lobbyAndRandom();
    const me = h.identity.publicKey.hex;
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    const three = message('lobby', 3, { mentions: [me] });
    h.socket.push('message.created', three);
    h.socket.push('message.created', message('lobby', 4));
    expect(counts(h, 'lobby')).toMatchObject({ unread: 2, mentions: 1 });

    h.socket.push('message.deleted', { channelId: 'lobby', messageId: three.id, seq: 3, rev: 5 });

    expect(counts(h, 'lobby')).toMatchObject({ unread: 1, mentions: 0 });
    expect(h.timelines.timeline('lobby').findById(three.id)).toBeUndefined();
  });

  it('keeps the counts when a read message is deleted', async () => {
    const h = await lobbyAndRandom();
    const two = message('lobby', 2);
    await open(h, 'lobby', [message('lobby', 1), two]);
    h.socket.push('message.created', message('lobby', 3));

    h.socket.push('message.deleted', { channelId: 'lobby', messageId: two.id, seq: 2, rev: 4 });

    expect(counts(h, 'lobby')).toMatchObject({ unread: 1, mentions: 0 });
  });

  it('leaves the counts alone when an own message after the marker is edited or deleted', async () => {
    const h = await lobbyAndRandom();
    const me = h.identity.publicKey.hex;
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    h.socket.push('message.created', message('lobby', 3, { mentions: [me] }));
    const own = message('lobby', 4, { author: me });
    h.socket.push('message.created', own);
    expect(counts(h, 'lobby')).toEqual({ unread: 1, mentions: 1, lastSeq: 4 });

    h.socket.push('message.updated', { ...own, mentions: [me] });
    h.socket.push('message.deleted', { channelId: 'lobby', messageId: own.id, seq: 4, rev: 5 });

    expect(counts(h, 'lobby')).toEqual({ unread: 1, mentions: 1, lastSeq: 4 });
  });

  it('markRead sends the newest cached message id and applies the answer', async () => {
    const h = await lobbyAndRandom();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    h.socket.push('message.created', message('lobby', 3));
    h.socket.push('message.created', message('lobby', 4, { mentions: [h.identity.publicKey.hex] }));
    // A pending own send is not a stored message: it is not the marker.
    void h.timelines.send('lobby', 'not stored yet');
    expect(counts(h, 'lobby')).toMatchObject({ unread: 2, mentions: 1 });

    const marking = h.timelines.markRead('lobby');
    await until(() => h.socket.pending('channels.markRead') !== undefined, 'channels.markRead');
    const request = h.socket.pending('channels.markRead');
    expect(request?.payload).toEqual({ channelId: 'lobby', messageId: messageId('lobby', 4) });
    request?.ok(
      readState('lobby', { lastReadSeq: 4, lastReadMessageId: messageId('lobby', 4), unreadCount: 0 }),
    );
    await marking;

    expect(h.channels.channels().find((c) => c.id === 'lobby')).toMatchObject({
      lastReadSeq: 4,
      lastReadMessageId: messageId('lobby', 4),
      unread: 0,
      mentions: 0,
    });
  });

  it('markRead sends nothing when the newest cached message is already read', async () => {
    const h = await lobbyAndRandom();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);

    await h.timelines.markRead('lobby');
    await settle();

    expect(h.socket.sent('channels.markRead')).toEqual([]);
  });

  it('sums unread and mention counts over channels', async () => {
    const h = await onlineHarness({
      channels: [
        channel('lobby', { lastSeq: 5 }, { lastReadSeq: 2, unreadCount: 3, mentionCount: 1 }),
        channel('random', { lastSeq: 4 }, { unreadCount: 4, mentionCount: 2 }),
        channel('quiet'),
      ],
    });
    expect(h.channels.unreadTotal()).toBe(7);
    expect(h.channels.mentionTotal()).toBe(3);

    h.socket.push('message.created', message('quiet', 1, { mentions: [h.identity.publicKey.hex] }));
    expect(h.channels.unreadTotal()).toBe(8);
    expect(h.channels.mentionTotal()).toBe(4);

    h.socket.push('readState.updated', readState('random', { lastReadSeq: 4 }));
    expect(h.channels.unreadTotal()).toBe(4);
    expect(h.channels.mentionTotal()).toBe(2);
  });
});
