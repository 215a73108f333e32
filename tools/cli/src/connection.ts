import { io } from 'socket.io-client';

import type {
  ChallengeDto,
  PowChallengeDto,
  PowProof,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
} from '@mpqcht/protocol';
import {
  buildLoginAuth,
  ChallengeUnavailable,
  fetchChallenge as fetchProtocolChallenge,
  handshakeFailure,
  type LoginAuth,
  ok,
  type ProtocolSocket,
  request as protocolRequest,
  RequestTimedOut,
  whenConnected,
} from '@mpqcht/protocol-client';

import { CliError } from './errors';
import type { LoadedKey } from './key-file';
import type { LoginPassFile } from './login-passes';
import { solveInWorkerThread } from './pow-thread';

export type ClientSocket = ProtocolSocket;

const HTTP_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 15_000;

/**
 * The origin a login signature may be bound to. A server states the origin it wants in its challenge;
 * signing whatever it states would let a server (or a page) at one address collect a signature valid
 * for another. So the CLI signs only for the origin of the URL it was given, or the one the operator
 * named with --origin, and refuses a challenge that asks for anything else.
 */
export function checkChallengeOrigin(params: {
  server: string;
  override: string | undefined;
  challengeOrigin: string;
}): string {
  const expected = params.override ?? params.server;
  if (params.challengeOrigin === expected) return expected;
  if (params.override !== undefined) {
    throw new CliError(
      `the server at ${params.server} asks for a signature bound to ${params.challengeOrigin}, ` +
        `but --origin says ${params.override}; refusing to sign`,
    );
  }
  throw new CliError(
    `the server at ${params.server} asks for a signature bound to ${params.challengeOrigin}, ` +
      `which is not its own origin ${params.server}; refusing to sign for another origin. ` +
      `If this server really is ${params.challengeOrigin} (e.g. reached through a tunnel or proxy), ` +
      `run again with --origin ${params.challengeOrigin}`,
  );
}

/** One line on stderr while a proof-of-work is solved (a server under a flood asks for one). */
function solveWithProgress(dto: PowChallengeDto): Promise<PowProof> {
  const tty = process.stderr.isTTY;
  let shown = -1;
  process.stderr.write(`solving proof-of-work (effort ${dto.effort})…${tty ? '' : '\n'}`);
  return solveInWorkerThread(dto, ({ tried, effort }) => {
    // `effort` is the expected number of hashes, not a bound: the share is capped below 100 %.
    const percent = Math.min(99, Math.floor((100 * tried) / Math.max(1, effort)));
    if (tty && percent !== shown) {
      shown = percent;
      process.stderr.write(`\rsolving proof-of-work (effort ${effort})… ${percent} %`);
    }
  }).finally(() => {
    if (tty) process.stderr.write('\n');
  });
}

/**
 * POST /api/auth/challenge: a fresh nonce and the origin the server binds signatures to. With the
 * key's login pass for this server when it has one; a server that asks for a proof all the same
 * refused the pass (expired, the server's secret changed), which is then dropped.
 */
export async function fetchChallenge(server: string, passes?: LoginPassFile): Promise<ChallengeDto> {
  const pass = await passes?.load();
  let shown = !!pass;
  try {
    // A timeout per HTTP request: solving a proof-of-work between two of them may take longer.
    return await fetchProtocolChallenge(server, {
      fetchImpl: (url, init) => fetch(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }),
      pass: pass ?? null,
      solvePow: async (dto) => {
        if (shown && passes) {
          shown = false;
          await passes.drop().catch((error: unknown) => warnPassFile(passes, error));
        }
        return solveWithProgress(dto);
      },
    });
  } catch (error) {
    // No answer, or not an mpqcht one: one line for the operator. A refusal stays a ProtocolFailure.
    if (error instanceof ChallengeUnavailable) throw new CliError(error.message);
    throw error;
  }
}

/** A pass file that cannot be written costs a proof-of-work at most: a note, not a failure. */
function warnPassFile(passes: LoginPassFile, error: unknown): void {
  const why = error instanceof Error ? error.message : String(error);
  process.stderr.write(`warning: cannot update ${passes.path}: ${why}\n`);
}

export interface ConnectOptions {
  readonly server: string;
  readonly origin: string | undefined;
  readonly key: LoadedKey;
  /** Reconnect after a lost connection, signing a fresh challenge each time (listen). */
  readonly reconnect: boolean;
  /** The key's login passes, shown with each challenge request (none: always solve when asked). */
  readonly passes?: LoginPassFile;
  /** Called when signing for a reconnect fails; the connection cannot continue. */
  readonly onFatal?: (error: Error) => void;
}

/** Fetches a challenge, checks its origin (with the operator's --origin), and signs it. */
export async function freshProof(options: Omit<ConnectOptions, 'reconnect'>): Promise<LoginAuth> {
  const challenge = await fetchChallenge(options.server, options.passes);
  const origin = checkChallengeOrigin({
    server: options.server,
    override: options.origin,
    challengeOrigin: challenge.origin,
  });
  return buildLoginAuth({ signer: options.key, origin, challenge });
}

/** A connection error as the handshake middleware sends it, or a transport failure. */
export function connectFailure(server: string, error: Error): Error {
  return handshakeFailure(error) ?? new CliError(`cannot connect to ${server}: ${error.message}`);
}

/**
 * Logs in over Socket.IO. The first proof is made before connecting, so that a bad origin or an
 * unreachable server is reported as itself; every reconnect signs a fresh challenge.
 */
export async function connect(options: ConnectOptions): Promise<ClientSocket> {
  let first: LoginAuth | undefined = await freshProof(options);
  const socket: ClientSocket = io(options.server, {
    transports: ['websocket'],
    reconnection: options.reconnect,
    forceNew: true,
    auth: (callback) => {
      if (first) {
        callback(first);
        first = undefined;
        return;
      }
      // No fresh proof, no handshake: an empty auth would only count as a failed login here.
      freshProof(options).then(callback, (error: unknown) => {
        socket.disconnect();
        options.onFatal?.(error instanceof Error ? error : new Error(String(error)));
      });
    },
  });
  try {
    await whenConnected(socket);
  } catch (error) {
    throw connectFailure(options.server, error as Error);
  }
  return socket;
}

/** Sends a request and unwraps its ack envelope; an error envelope becomes a ProtocolFailure. */
export async function request<E extends RequestEvent>(
  socket: ClientSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseTypes[E]> {
  try {
    return ok(await protocolRequest(socket, event, payload, { timeoutMs: ACK_TIMEOUT_MS }));
  } catch (error) {
    if (error instanceof RequestTimedOut) throw new CliError(error.message);
    throw error;
  }
}
