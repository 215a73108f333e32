import { ChallengeUnavailable, fetchChallenge, type FetchLike } from './challenge';
import { ProtocolFailure } from './failure';

const URL = 'https://chat.example.org';
const CHALLENGE = { nonce: 'ab'.repeat(32), expiresAt: '2030-01-01T00:00:00.000Z', origin: URL };

function answering(status: number, body: unknown, calls: [string, RequestInit][] = []): FetchLike {
  return (url, init) => {
    calls.push([url, init]);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return Promise.resolve(new Response(text, { status }));
  };
}

describe('fetchChallenge', () => {
  it('POSTs to /api/auth/challenge without a body and returns the challenge', async () => {
    const calls: [string, RequestInit][] = [];
    await expect(
      fetchChallenge(URL, { fetchImpl: answering(200, { ok: true, data: CHALLENGE }, calls) }),
    ).resolves.toEqual(CHALLENGE);
    expect(calls).toEqual([[`${URL}/api/auth/challenge`, { method: 'POST' }]]);
  });

  it('passes the caller’s abort signal on', async () => {
    const calls: [string, RequestInit][] = [];
    const signal = new AbortController().signal;
    await fetchChallenge(URL, { fetchImpl: answering(200, { ok: true, data: CHALLENGE }, calls), signal });
    expect(calls[0]?.[1].signal).toBe(signal);
  });

  it('turns a 429 into a rate_limited ProtocolFailure with retryAfterMs', async () => {
    const body = {
      ok: false,
      error: { code: 'rate_limited', message: 'too many', details: { retryAfterMs: 4000 } },
    };
    const failure: unknown = await fetchChallenge(URL, { fetchImpl: answering(429, body) }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ProtocolFailure);
    expect(failure).toMatchObject({ code: 'rate_limited', retryAfterMs: 4000 });
  });

  it('is unreachable when fetch fails, naming the cause', async () => {
    const fetchImpl: FetchLike = () =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));
    const failure: unknown = await fetchChallenge(URL, { fetchImpl }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ChallengeUnavailable);
    expect(failure).toMatchObject({
      reason: 'unreachable',
      message: `cannot reach ${URL}/api/auth/challenge: connect ECONNREFUSED 127.0.0.1:9`,
    });
  });

  it.each([
    [200, '<html>', 'without a JSON body'],
    [200, { ok: true, data: { nonce: 1 } }, 'with no challenge'],
    [500, { ok: true, data: CHALLENGE }, 'with no challenge'],
  ])('is not_mpqcht for HTTP %s %j', async (status, body, words) => {
    const failure: unknown = await fetchChallenge(URL, { fetchImpl: answering(status, body) }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ChallengeUnavailable);
    expect(failure).toMatchObject({ reason: 'not_mpqcht', status });
    expect((failure as Error).message).toContain(words);
  });
});
