import { envelopeFailure, handshakeFailure, ProtocolFailure } from './failure';

describe('envelopeFailure', () => {
  it('reads code, message and details of an error envelope', () => {
    const failure = envelopeFailure({
      ok: false,
      error: { code: 'rate_limited', message: 'slow down', details: { retryAfterMs: 1500 } },
    });
    expect(failure).toBeInstanceOf(ProtocolFailure);
    expect(failure).toMatchObject({
      code: 'rate_limited',
      message: 'slow down',
      details: { retryAfterMs: 1500 },
    });
    expect(failure?.retryAfterMs).toBe(1500);
  });

  it.each([null, 'text', [], { ok: true, data: {} }, { ok: false }, { ok: false, error: { message: 'x' } }])(
    'is undefined for what is not an error envelope: %j',
    (body) => {
      expect(envelopeFailure(body)).toBeUndefined();
    },
  );
});

describe('handshakeFailure', () => {
  it('reads the refusal a connect_error carries as data', () => {
    const error = Object.assign(new Error('not a member'), {
      data: { code: 'not_a_member', message: 'not a member', details: { publicKey: '02ab' } },
    });
    expect(handshakeFailure(error)).toMatchObject({ code: 'not_a_member', details: { publicKey: '02ab' } });
  });

  it('is undefined for a transport error (no data)', () => {
    expect(handshakeFailure(new Error('websocket error'))).toBeUndefined();
  });
});

describe('ProtocolFailure.retryAfterMs', () => {
  it('is undefined unless details.retryAfterMs is a usable number', () => {
    expect(new ProtocolFailure('rate_limited', 'x').retryAfterMs).toBeUndefined();
    expect(new ProtocolFailure('rate_limited', 'x', { retryAfterMs: '5' }).retryAfterMs).toBeUndefined();
    expect(new ProtocolFailure('rate_limited', 'x', { retryAfterMs: -1 }).retryAfterMs).toBeUndefined();
  });
});
