import { generateRandomIdentity } from '@mpqcht/identity';
import type { MessageDto } from '@mpqcht/protocol';

import { ServerConnection } from '../connection/server-connection';
import { SERVER_FEATURE_STATES } from '../server-features';
import type { FakeRequest } from '../testing/fake-socket';
import {
  answerLogin,
  channel,
  type Harness,
  harness,
  member,
  message,
  settle,
  until,
  URL_A,
} from '../testing/fixtures';
import { Outbox } from './outbox';
import { OUTBOX_MAX_MESSAGES, outboxKey } from './outbox.storage';
import { TimelinesState } from './timelines.state';

/** A connection whose server is away: connect() was called, the socket never connected. */
async function offline(url = URL_A): Promise<Harness> {
  const h = await harness(url);
  await h.session.connect();
  return h;
}

/** The server is back: the login is answered and the session goes online. */
async function backOnline(h: Harness): Promise<void> {
  const socket = h.factory.last;
  answerLogin(socket, member(h.identity.publicKey.hex, 'Me'), { channels: [channel('lobby')] });
  socket.serverConnect();
  await until(() => h.session.status().kind === 'online', 'online');
}

async function nextSend(h: Harness): Promise<FakeRequest<'messages.send'>> {
  await until(() => h.factory.last.pending('messages.send') !== undefined, 'messages.send');
  const request = h.factory.last.pending('messages.send');
  if (!request) throw new Error('no messages.send');
  return request;
}

function stored(h: Harness, request: FakeRequest<'messages.send'>, seq: number): MessageDto {
  return message(request.payload.channelId, seq, {
    clientId: request.payload.clientId,
    content: request.payload.content,
    author: h.identity.publicKey.hex,
  });
}

function lobby(h: Harness) {
  return h.timelines
    .timeline('lobby')
    .messages()
    .map((m) => ({ content: m.content, state: m.state, waiting: m.waiting ?? false }));
}

function storedEntries(h: Harness): unknown[] {
  return JSON.parse(localStorage.getItem(outboxKey(URL_A, h.identity.publicKey.hex)) ?? '[]') as unknown[];
}

describe('Outbox', () => {
  afterEach(() => {
    localStorage.clear();
  });

  it('keeps messages typed while the server is away pending, and sends them in order once it is back', async () => {
    const h = await offline();

    await h.timelines.send('lobby', 'first');
    await h.timelines.send('lobby', 'second');

    expect(h.factory.last.sent('messages.send')).toEqual([]);
    expect(lobby(h)).toEqual([
      { content: 'first', state: 'pending', waiting: true },
      { content: 'second', state: 'pending', waiting: true },
    ]);
    expect(storedEntries(h)).toEqual([
      expect.objectContaining({ channelId: 'lobby', content: 'first' }),
      expect.objectContaining({ channelId: 'lobby', content: 'second' }),
    ]);

    await backOnline(h);
    // One at a time, oldest first: the second waits for the first one's ack.
    const first = await nextSend(h);
    expect(first.payload.content).toBe('first');
    expect(h.factory.last.sent('messages.send')).toHaveLength(1);
    first.ok(stored(h, first, 1));
    const second = await nextSend(h);
    expect(second.payload.content).toBe('second');
    second.ok(stored(h, second, 2));
    await until(() => h.connection.get(Outbox).size() === 0, 'the outbox empty');

    expect(lobby(h)).toEqual([
      { content: 'first', state: 'sent', waiting: false },
      { content: 'second', state: 'sent', waiting: false },
    ]);
    expect(localStorage.getItem(outboxKey(URL_A, h.identity.publicKey.hex))).toBeNull();
  });

  it('survives a reload: the next page shows the message waiting and sends it with the same client id', async () => {
    const before = await offline();
    await before.timelines.send('lobby', 'typed before the reload');
    const [entry] = storedEntries(before) as { clientId: string }[];
    before.session.close();

    const after = await offline();
    expect(lobby(after)).toEqual([{ content: 'typed before the reload', state: 'pending', waiting: true }]);
    await backOnline(after);
    const request = await nextSend(after);

    expect(request.payload).toEqual({
      channelId: 'lobby',
      clientId: entry?.clientId,
      content: 'typed before the reload',
    });
  });

  it('keeps one outbox per server and per identity', async () => {
    const h = await offline();
    await h.timelines.send('lobby', 'for A with my key');

    const otherServer = await offline('https://other.example.org');
    expect(otherServer.timelines.timeline('lobby').messages()).toEqual([]);

    const otherIdentity = await generateRandomIdentity();
    const otherKey = new ServerConnection(
      URL_A,
      otherIdentity,
      { http: h.http, socketFactory: h.factory.create, now: () => 0 },
      SERVER_FEATURE_STATES,
    );
    expect(otherKey.get(TimelinesState).timeline('lobby').messages()).toEqual([]);
  });

  it('makes a message the server refuses for good a failed one (Retry/Discard) and drops it from the outbox', async () => {
    const h = await offline();
    await h.timelines.send('lobby', 'x'.repeat(10));
    await backOnline(h);

    (await nextSend(h)).error('forbidden', 'you may not write here');
    await until(() => h.connection.get(Outbox).size() === 0, 'the outbox empty');

    expect(h.timelines.timeline('lobby').messages()[0]).toMatchObject({
      state: 'failed',
      error: 'you may not write here',
    });
    expect(storedEntries(h)).toEqual([]);
  });

  it('waits again when the server restarts while a send is on its way, and sends it after the next login', async () => {
    const h = await offline();
    await h.timelines.send('lobby', 'during a restart');
    await backOnline(h);
    const refused = await nextSend(h);
    refused.error('server_restarting', 'the server is restarting; reconnect and try again', {
      retryAfterMs: 1_000,
    });
    await settle();
    expect(lobby(h)).toEqual([{ content: 'during a restart', state: 'pending', waiting: true }]);

    h.factory.last.serverDisconnect('transport close');
    h.factory.last.serverConnect();
    const again = await nextSend(h);
    expect(again.payload.clientId).toBe(refused.payload.clientId);
  });

  it(`holds at most ${OUTBOX_MAX_MESSAGES} messages: one more fails at once and is not stored`, async () => {
    const h = await offline();
    for (let i = 0; i < OUTBOX_MAX_MESSAGES; i++) await h.timelines.send('lobby', `m${i}`);

    await h.timelines.send('lobby', 'one too many');

    expect(storedEntries(h)).toHaveLength(OUTBOX_MAX_MESSAGES);
    expect(h.timelines.timeline('lobby').messages().at(-1)).toMatchObject({
      content: 'one too many',
      state: 'failed',
      error: expect.stringContaining('too many messages are waiting') as unknown,
    });
  });

  it('holds at most 200,000 characters: a long message that does not fit fails at once', async () => {
    const h = await offline();
    await h.timelines.send('lobby', 'a'.repeat(120_000));

    await h.timelines.send('lobby', 'b'.repeat(100_000));

    expect(storedEntries(h)).toHaveLength(1);
    expect(h.timelines.timeline('lobby').messages().at(-1)?.state).toBe('failed');
  });
});
