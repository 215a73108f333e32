import type { ChallengeDto, ChallengeRequest, PowChallengeDto } from '@mpqcht/protocol';

import { envelopeFailure, ProtocolFailure } from './failure';
import { type PowSolver, solvePow } from './pow-solver';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface FetchChallengeOptions {
  /** Another fetch (a test double, one with its own defaults); the global one otherwise. */
  readonly fetchImpl?: FetchLike;
  /** Aborts the request, e.g. `AbortSignal.timeout(ms)`: how long to wait is the caller's policy. */
  readonly signal?: AbortSignal;
  /** A login pass this server gave the key (`session.get`): no proof-of-work is asked then. */
  readonly pass?: string | null;
  /**
   * Solves a proof-of-work challenge when the server asks for one; by default in this thread, in
   * slices. A page passes one that runs in a Web Worker and shows progress.
   */
  readonly solvePow?: PowSolver;
}

/** Proof-of-work refusals that carry a fresh challenge to solve (docs/protocol.md). */
const POW_CODES: ReadonlySet<string> = new Set([
  'pow_required',
  'pow_expired',
  'pow_replayed',
  'pow_invalid',
]);

/** How many challenges one request solves at most before it gives up (the difficulty kept rising). */
const MAX_POW_ROUNDS = 3;

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

function powChallengeOf(failure: ProtocolFailure): PowChallengeDto | undefined {
  if (!POW_CODES.has(failure.code)) return undefined;
  const pow = failure.details?.['pow'];
  if (!isRecord(pow)) return undefined;
  const { algorithm, effort, challenge, expiresAt } = pow;
  if (algorithm !== 'sha256-u32-v1' || typeof effort !== 'number' || typeof challenge !== 'string')
    return undefined;
  return { algorithm, effort, challenge, expiresAt: typeof expiresAt === 'string' ? expiresAt : '' };
}

/**
 * `POST <baseUrl>/api/auth/challenge`: a fresh nonce and the server's origin. With a login pass no
 * proof-of-work is asked; without one, a server under a flood answers `pow_required` with a
 * challenge, which is solved (`solvePow`) and sent back.
 */
export async function fetchChallenge(
  baseUrl: string,
  options: FetchChallengeOptions = {},
): Promise<ChallengeDto> {
  let body: ChallengeRequest = options.pass ? { pass: options.pass } : undefined;
  for (let round = 0; ; round++) {
    try {
      return await postChallenge(baseUrl, body, options);
    } catch (error) {
      const pow = error instanceof ProtocolFailure ? powChallengeOf(error) : undefined;
      if (!pow || round >= MAX_POW_ROUNDS) throw error;
      const solver =
        options.solvePow ??
        ((challenge) => solvePow(challenge, options.signal ? { signal: options.signal } : {}));
      body = { pow: await solver(pow) };
    }
  }
}

async function postChallenge(
  baseUrl: string,
  request: ChallengeRequest,
  options: FetchChallengeOptions,
): Promise<ChallengeDto> {
  const url = `${baseUrl}/api/auth/challenge`;
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const init: RequestInit = { method: 'POST' };
  if (request) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(request);
  }
  if (options.signal) init.signal = options.signal;
  let response: Response;
  try {
    response = await fetchImpl(url, init);
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
