import type { MessageDto } from '@mpqcht/protocol';

import type { FakeRequest } from '../testing/fake-socket';
import {
  channel,
  message,
  messageId,
  type OnlineHarness,
  onlineHarness,
  OTHER_KEY,
  settle,
  THIRD_KEY,
  until,
} from '../testing/fixtures';

const lobbyOnline = () => onlineHarness({ channels: [channel('lobby'), channel('random')] });

async function nextRequest<E extends 'messages.send' | 'messages.history' | 'messages.since'>(
  h: OnlineHarness,
  event: E,
): Promise<FakeRequest<E>> {
  await until(() => h.socket.pending(event) !== undefined, event);
  const request = h.socket.pending(event);
  if (!request) throw new Error(`no ${event}`);
  return request;
}

async function open(h: OnlineHarness, channelId: string, messages: MessageDto[], hasMore = false) {
  const opening = h.timelines.open(channelId);
  (await nextRequest(h, 'messages.history')).ok({ messages, hasMore });
  await opening;
}

/** The stored form of what the connection sent. */
function stored(h: OnlineHarness, request: FakeRequest<'messages.send'>, seq: number): MessageDto {
  return message(request.payload.channelId, seq, {
    clientId: request.payload.clientId,
    content: request.payload.content,
    author: h.identity.publicKey.hex,
  });
}

function rows(h: OnlineHarness, channelId = 'lobby') {
  return h.timelines
    .timeline(channelId)
    .messages()
    .map((m) => ({ key: m.key, state: m.state, seq: m.seq, content: m.content }));
}

describe('ServerConnection optimistic send', () => {
  it('shows a pending message at once, and the ack replaces it without a duplicate when the push follows', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1)]);

    const sending = h.timelines.send('lobby', 'hello');

    const pending = h.timelines.timeline('lobby').messages().at(-1);
    expect(pending).toMatchObject({
      state: 'pending',
      id: null,
      content: 'hello',
      author: h.identity.publicKey.hex,
    });
    const request = await nextRequest(h, 'messages.send');
    expect(request.payload).toEqual({ channelId: 'lobby', clientId: pending?.key, content: 'hello' });
    expect(request.payload.clientId).toMatch(/^[0-9a-f-]{36}$/);

    const dto = stored(h, request, 2);
    request.ok(dto);
    await sending;
    h.socket.push('message.created', dto);

    expect(rows(h).slice(1)).toEqual([{ key: pending?.key, state: 'sent', seq: 2, content: 'hello' }]);
    expect(h.timelines.timeline('lobby').findById(dto.id)?.clientId).toBe(request.payload.clientId);
    expect(h.channels.channels().find((c) => c.id === 'lobby')).toMatchObject({ unread: 0, lastSeq: 2 });
  });

  it('keeps one message when the push of it arrives before the ack', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1)]);

    const sending = h.timelines.send('lobby', 'hello');
    const request = await nextRequest(h, 'messages.send');
    const dto = stored(h, request, 2);
    h.socket.push('message.created', dto);
    expect(rows(h)).toHaveLength(2);
    request.ok(dto);
    await sending;

    expect(rows(h).slice(1)).toEqual([
      { key: request.payload.clientId, state: 'sent', seq: 2, content: 'hello' },
    ]);
    expect(h.channels.unreadTotal()).toBe(0);
  });

  it.each([
    ['rate_limited', 'slow down', { retryAfterMs: 1_000 }],
    ['message_too_long', 'at most 4000 characters', { max: 4000 }],
  ] as const)('marks the send failed with the server message on %s', async (code, text, details) => {
    const h = await lobbyOnline();
    await open(h, 'lobby', []);

    const sending = h.timelines.send('lobby', 'hello');
    (await nextRequest(h, 'messages.send')).error(code, text, details);
    await sending;

    expect(h.timelines.timeline('lobby').messages()).toEqual([
      expect.objectContaining({ state: 'failed', error: text, content: 'hello', id: null }),
    ]);
  });

  it('marks the send failed when the ack does not come in time', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', []);

    const sending = h.timelines.send('lobby', 'hello');
    (await nextRequest(h, 'messages.send')).timeOut();
    await sending;

    expect(h.timelines.timeline('lobby').messages()[0]).toMatchObject({
      state: 'failed',
      error: 'the server did not answer in time',
    });
  });

  it('keeps a send made while offline pending (waiting for the connection) without emitting', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', []);
    h.socket.serverDisconnect();

    await h.timelines.send('lobby', 'hello');

    expect(h.socket.sent('messages.send')).toEqual([]);
    expect(h.timelines.timeline('lobby').messages()[0]).toMatchObject({ state: 'pending', waiting: true });
    localStorage.clear();
  });

  it('retry() sends again with the same clientId and the message is stored once', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', []);
    const sending = h.timelines.send('lobby', 'hello again');
    (await nextRequest(h, 'messages.send')).timeOut();
    await sending;
    const [failed] = h.timelines.timeline('lobby').messages();
    if (failed?.state !== 'failed') throw new Error('no failed message');

    const retrying = h.timelines.retry('lobby', failed.clientId);
    expect(h.timelines.timeline('lobby').messages()[0]?.state).toBe('pending');
    const request = await nextRequest(h, 'messages.send');
    expect(request.payload).toEqual({
      channelId: 'lobby',
      clientId: failed.clientId,
      content: 'hello again',
    });
    request.ok(stored(h, request, 1));
    await retrying;

    expect(rows(h)).toEqual([{ key: failed.key, state: 'sent', seq: 1, content: 'hello again' }]);
  });

  it('retries a send that failed on an error envelope with the same clientId', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', []);
    const sending = h.timelines.send('lobby', 'hi');
    const first = await nextRequest(h, 'messages.send');
    first.error('rate_limited', 'slow down', { retryAfterMs: 10 });
    await sending;

    const retrying = h.timelines.retry('lobby', first.payload.clientId);
    const second = await nextRequest(h, 'messages.send');
    second.ok(stored(h, second, 1));
    await retrying;

    expect(second.payload).toEqual(first.payload);
    expect(rows(h)).toEqual([{ key: first.payload.clientId, state: 'sent', seq: 1, content: 'hi' }]);
  });
});

describe('ServerConnection history', () => {
  it('open() loads the newest page once; loadOlder() pages before the oldest cached id until hasMore is false', async () => {
    const h = await lobbyOnline();

    const opening = h.timelines.open('lobby');
    void h.timelines.open('lobby');
    const newest = await nextRequest(h, 'messages.history');
    expect(newest.payload).toEqual({ channelId: 'lobby' });
    expect(h.timelines.timeline('lobby').loaded()).toBe(false);
    newest.ok({ messages: [message('lobby', 5), message('lobby', 6), message('lobby', 7)], hasMore: true });
    await opening;
    expect(h.timelines.timeline('lobby').loaded()).toBe(true);

    await h.timelines.open('lobby');
    await settle();
    expect(h.socket.sent('messages.history')).toHaveLength(1);

    const older = h.timelines.loadOlder('lobby');
    const page2 = await nextRequest(h, 'messages.history');
    expect(page2.payload).toEqual({ channelId: 'lobby', before: messageId('lobby', 5) });
    page2.ok({ messages: [message('lobby', 3), message('lobby', 4)], hasMore: true });
    await older;

    const oldest = h.timelines.loadOlder('lobby');
    const page3 = await nextRequest(h, 'messages.history');
    expect(page3.payload).toEqual({ channelId: 'lobby', before: messageId('lobby', 3) });
    page3.ok({ messages: [message('lobby', 1)], hasMore: false });
    await oldest;

    await h.timelines.loadOlder('lobby');
    await settle();
    expect(h.socket.sent('messages.history')).toHaveLength(3);
    expect(h.timelines.timeline('lobby').hasMoreBefore()).toBe(false);
    expect(rows(h).map((r) => r.seq)).toEqual([1, 3, 4, 5, 6, 7]);
  });

  it('after a reconnect, loaded timelines catch up with messages.since from their change number until hasMore is false', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);

    h.socket.serverDisconnect();
    h.socket.serverConnect();

    const first = await nextRequest(h, 'messages.since');
    expect(h.session.status()).toEqual({ kind: 'online' });
    expect(first.payload).toEqual({ channelId: 'lobby', afterRev: 2 });
    // Message 2 was edited (rev 5) and 3 deleted (rev 6) while away.
    first.ok({
      messages: [
        message('lobby', 3),
        message('lobby', 4),
        { ...message('lobby', 2), content: 'edited', rev: 5 },
      ],
      deleted: [],
      rev: 5,
      hasMore: true,
    });
    const second = await nextRequest(h, 'messages.since');
    expect(second.payload).toEqual({ channelId: 'lobby', afterRev: 5 });
    second.ok({
      messages: [message('lobby', 7, { rev: 7 })],
      deleted: [{ channelId: 'lobby', messageId: messageId('lobby', 3), seq: 3, rev: 6 }],
      rev: 7,
      hasMore: false,
    });
    await settle();

    // random was never opened: nothing to catch up there.
    expect(h.socket.sent('messages.since').map((r) => r.payload)).toEqual([
      { channelId: 'lobby', afterRev: 2 },
      { channelId: 'lobby', afterRev: 5 },
    ]);
    expect(rows(h).map((r) => [r.seq, r.content])).toEqual([
      [1, 'message 1'],
      [2, 'edited'],
      [4, 'message 4'],
      [7, 'message 7'],
    ]);
    expect(h.timelines.timeline('lobby').rev).toBe(7);
  });

  it('a push whose change number skips some fetches what was missed, once, and drops what it already holds', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);

    h.socket.push('message.created', message('lobby', 3));
    expect(h.socket.sent('messages.since')).toEqual([]);
    h.socket.push('message.created', message('lobby', 6, { rev: 6 }));
    h.socket.push('message.created', message('lobby', 7, { rev: 7 }));
    const since = await nextRequest(h, 'messages.since');
    expect(since.payload).toEqual({ channelId: 'lobby', afterRev: 3 });
    since.ok({
      messages: [message('lobby', 4), message('lobby', 5), message('lobby', 6, { rev: 6 })],
      deleted: [],
      rev: 7,
      hasMore: false,
    });
    await settle();

    expect(rows(h).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(h.timelines.timeline('lobby').rev).toBe(7);
    // The second gap push came while the first catch-up ran: one more request, from 7, finds nothing.
    const again = await nextRequest(h, 'messages.since');
    expect(again.payload).toEqual({ channelId: 'lobby', afterRev: 7 });
    again.ok({ messages: [], deleted: [], rev: 7, hasMore: false });
    await settle();
    expect(h.socket.sent('messages.since')).toHaveLength(2);
  });

  it('an older version of a cached message (by rev) does not replace a newer one', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1), { ...message('lobby', 2), content: 'new', rev: 4 }]);

    h.socket.push('message.updated', { ...message('lobby', 2), content: 'old', rev: 3 });

    expect(rows(h).map((r) => r.content)).toEqual(['message 1', 'new']);
  });

  it('starts the channel over when the server knows fewer changes than the cache (restored database)', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);

    h.socket.serverDisconnect();
    h.socket.serverConnect();
    const since = await nextRequest(h, 'messages.since');
    since.ok({ messages: [], deleted: [], rev: 1, hasMore: false });
    const reload = await nextRequest(h, 'messages.history');
    expect(reload.payload).toEqual({ channelId: 'lobby' });
    reload.ok({ messages: [message('lobby', 1)], hasMore: false });
    await settle();

    expect(rows(h).map((r) => r.seq)).toEqual([1]);
    expect(h.timelines.timeline('lobby').rev).toBe(1);
  });

  it('an edit pushed for a channel not opened yet does not cut its first page short', async () => {
    const h = await lobbyOnline();

    h.socket.push(
      'message.updated',
      message('lobby', 3, { content: 'edited', editedAt: '2026-01-02T00:00:00.000Z' }),
    );
    const opening = h.timelines.open('lobby');
    const request = await nextRequest(h, 'messages.history');

    expect(request.payload).toEqual({ channelId: 'lobby' });
    request.ok({ messages: [message('lobby', 3), message('lobby', 4)], hasMore: false });
    await opening;
    expect(rows(h).map((r) => r.seq)).toEqual([3, 4]);
  });

  it('an edit pushed for a message older than the cached page does not leave a gap', async () => {
    const h = await lobbyOnline();
    await open(h, 'lobby', [message('lobby', 51), message('lobby', 52)], true);

    h.socket.push('message.updated', message('lobby', 10, { content: 'edited' }));
    const older = h.timelines.loadOlder('lobby');
    const request = await nextRequest(h, 'messages.history');

    expect(request.payload).toEqual({ channelId: 'lobby', before: messageId('lobby', 51) });
    request.ok({ messages: [message('lobby', 50)], hasMore: true });
    await older;
    expect(rows(h).map((r) => r.seq)).toEqual([50, 51, 52]);
  });
});

describe('ServerConnection typing', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  function advance(h: OnlineHarness, ms: number) {
    h.clock.now += ms;
    jest.advanceTimersByTime(ms);
  }

  function typists(h: OnlineHarness, channelId = 'lobby') {
    return (h.typing.typing().get(channelId) ?? []).map((t) => t.displayName);
  }

  it('shows the typist until expiresInMs has passed', async () => {
    const h = await lobbyOnline();
    jest.useFakeTimers();

    h.socket.push('typing.started', {
      channelId: 'lobby',
      publicKey: OTHER_KEY,
      displayName: 'Ada',
      expiresInMs: 5_000,
    });
    expect(h.typing.typing().get('lobby')).toEqual([
      { publicKey: OTHER_KEY, displayName: 'Ada', until: h.clock.now + 5_000 },
    ]);

    advance(h, 4_900);
    expect(typists(h)).toEqual(['Ada']);
    advance(h, 200);
    expect(typists(h)).toEqual([]);
  });

  it('keeps a typist who typed again until the new expiry', async () => {
    const h = await lobbyOnline();
    jest.useFakeTimers();
    const typing = { channelId: 'lobby', publicKey: OTHER_KEY, displayName: 'Ada', expiresInMs: 5_000 };

    h.socket.push('typing.started', typing);
    advance(h, 3_000);
    h.socket.push('typing.started', typing);
    advance(h, 2_100);
    expect(typists(h)).toEqual(['Ada']);
    advance(h, 3_000);
    expect(typists(h)).toEqual([]);
  });

  it('clears the typist when a message from them arrives, and only them', async () => {
    const h = await lobbyOnline();
    jest.useFakeTimers();
    for (const [publicKey, displayName] of [
      [OTHER_KEY, 'Ada'],
      [THIRD_KEY, 'Grace'],
    ]) {
      h.socket.push('typing.started', {
        channelId: 'lobby',
        publicKey: publicKey ?? '',
        displayName: displayName ?? '',
        expiresInMs: 5_000,
      });
    }
    expect(typists(h)).toEqual(['Ada', 'Grace']);

    h.socket.push('message.created', message('lobby', 1, { author: OTHER_KEY }));

    expect(typists(h)).toEqual(['Grace']);
  });

  it('sends typing.start at most once per 3 seconds', async () => {
    const h = await lobbyOnline();
    jest.useFakeTimers();

    h.typing.typingIn('lobby');
    h.typing.typingIn('lobby');
    advance(h, 2_900);
    h.typing.typingIn('lobby');
    expect(h.socket.sent('typing.start').map((r) => r.payload)).toEqual([{ channelId: 'lobby' }]);
    advance(h, 200);
    h.typing.typingIn('lobby');
    expect(h.socket.sent('typing.start')).toHaveLength(2);
  });
});
