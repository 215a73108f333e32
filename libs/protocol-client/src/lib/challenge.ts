import type { ChallengeDto } from '@mpqcht/protocol';

import { envelopeFailure } from './failure';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface FetchChallengeOptions {
  /** Another fetch (a test double, one with its own defaults); the global one otherwise. */
  readonly fetchImpl?: FetchLike;
  /** Aborts the request, e.g. `AbortSignal.timeout(ms)`: how long to wait is the caller's policy. */
  readonly signal?: AbortSignal;
}

/**
 * No challenge came back, and the server did not say why: it could not be reached (`unreachable`),
 * or what answered is not an mpqcht server (`not_mpqcht`). A refusal the server explains (429
 * `rate_limited`, 503 `database_unavailable`) is a `ProtocolFailure` instead.
 */
export class ChallengeUnavailable extends Error {
  constructor(
    readonly reason: 'unreachable' | 'not_mpqcht',
    readonly url: string,
    message: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ChallengeUnavailable';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function whyUnreachable(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch says only "fetch failed"; the cause says what (ECONNREFUSED, a DNS failure, a timeout).
  const cause: unknown = error.cause;
  return cause instanceof Error && cause.message ? cause.message : error.message;
}

function asChallenge(body: unknown): ChallengeDto | undefined {
  const data = isRecord(body) && body['ok'] === true ? body['data'] : undefined;
  if (!isRecord(data)) return undefined;
  const { nonce, expiresAt, origin } = data;
  if (typeof nonce !== 'string' || typeof expiresAt !== 'string' || typeof origin !== 'string')
    return undefined;
  return { nonce, expiresAt, origin };
}

/** `POST <baseUrl>/api/auth/challenge` (without a body): a fresh nonce and the server's origin. */
export async function fetchChallenge(
  baseUrl: string,
  options: FetchChallengeOptions = {},
): Promise<ChallengeDto> {
  const url = `${baseUrl}/api/auth/challenge`;
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl(
      url,
      options.signal ? { method: 'POST', signal: options.signal } : { method: 'POST' },
    );
  } catch (error) {
    throw new ChallengeUnavailable('unreachable', url, `cannot reach ${url}: ${whyUnreachable(error)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ChallengeUnavailable(
      'not_mpqcht',
      url,
      `${url} answered HTTP ${response.status} without a JSON body; is this an mpqcht server?`,
      response.status,
    );
  }
  const failure = envelopeFailure(body);
  if (failure) throw failure;
  const challenge = response.ok ? asChallenge(body) : undefined;
  if (!challenge) {
    throw new ChallengeUnavailable(
      'not_mpqcht',
      url,
      `${url} answered HTTP ${response.status} with no challenge; is this an mpqcht server?`,
      response.status,
    );
  }
  return challenge;
}
