import type { Envelope } from '@mpqcht/protocol';

import { ProtocolFailure } from './failure';
import { ok, request, requestOk, type RequestSocket, RequestTimedOut } from './request';

/** A socket whose ack is whatever the test says: an envelope, or a rejection (a timeout). */
function socketAnswering(answer: Envelope<unknown> | Error) {
  const emitted: { timeoutMs: number; event: string; payload: unknown }[] = [];
  const socket = {
    timeout: (timeoutMs: number) => ({
      emitWithAck: (event: string, payload: unknown) => {
        emitted.push({ timeoutMs, event, payload });
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    }),
  } as unknown as RequestSocket;
  return { socket, emitted };
}

describe('request', () => {
  it('emits the event with its payload and the timeout, and resolves with the envelope', async () => {
    const envelope = { ok: true as const, data: { channels: [], groups: [] } };
    const { socket, emitted } = socketAnswering(envelope);
    await expect(request(socket, 'channels.list', {}, { timeoutMs: 2_500 })).resolves.toEqual(envelope);
    expect(emitted).toEqual([{ timeoutMs: 2_500, event: 'channels.list', payload: {} }]);
  });

  it('resolves with an error envelope as it is', async () => {
    const envelope = { ok: false as const, error: { code: 'forbidden' as const, message: 'no' } };
    const { socket } = socketAnswering(envelope);
    await expect(request(socket, 'bans.list', {}, { timeoutMs: 1_000 })).resolves.toEqual(envelope);
  });

  it('rejects with RequestTimedOut when no ack comes in time', async () => {
    const { socket } = socketAnswering(new Error('operation has timed out'));
    const failure: unknown = await request(socket, 'session.get', {}, { timeoutMs: 3_000 }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(RequestTimedOut);
    expect(failure).toMatchObject({
      event: 'session.get',
      timeoutMs: 3_000,
      message: 'no answer to session.get within 3 s',
    });
  });
});

describe('ok and requestOk', () => {
  it('unwrap the data of an ok envelope', async () => {
    expect(ok({ ok: true, data: 7 })).toBe(7);
    const { socket } = socketAnswering({ ok: true, data: [] });
    await expect(requestOk(socket, 'members.list', {}, { timeoutMs: 1_000 })).resolves.toEqual([]);
  });

  it('throw a ProtocolFailure with code, message and details for an error envelope', async () => {
    const error = { code: 'rate_limited' as const, message: 'slow down', details: { retryAfterMs: 900 } };
    expect(() => ok({ ok: false, error })).toThrow(ProtocolFailure);
    const { socket } = socketAnswering({ ok: false, error });
    await expect(
      requestOk(socket, 'typing.start', { channelId: 'lobby' }, { timeoutMs: 1_000 }),
    ).rejects.toMatchObject({
      ...error,
      retryAfterMs: 900,
    });
  });
});
