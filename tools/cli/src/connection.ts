import { signLoginChallenge, type LoginProof } from '@mpqcht/identity';
import type {
  ChallengeDto,
  ClientToServerEvents,
  Envelope,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerToClientEvents,
} from '@mpqcht/protocol';
import { io, type Socket } from 'socket.io-client';
import { CliError, ProtocolFailure } from './errors';
import type { LoadedKey } from './key-file';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const HTTP_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 15_000;

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    return error.message;
  }
  return String(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Reads an error envelope `{ ok: false, error: { code, message } }` if that is what `body` is. */
export function envelopeFailure(body: unknown): ProtocolFailure | undefined {
  if (!isRecord(body) || body['ok'] !== false || !isRecord(body['error'])) return undefined;
  const error = body['error'];
  const code = typeof error['code'] === 'string' ? error['code'] : 'unknown_error';
  const message = typeof error['message'] === 'string' ? error['message'] : 'no message';
  return new ProtocolFailure(code, message, isRecord(error['details']) ? error['details'] : undefined);
}

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

/** POST /api/auth/challenge: a fresh nonce and the origin the server binds signatures to. */
export async function fetchChallenge(server: string): Promise<ChallengeDto> {
  const url = `${server}/api/auth/challenge`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch (error) {
    throw new CliError(`cannot reach ${url}: ${reason(error)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new CliError(
      `${url} answered HTTP ${response.status} without a JSON body; is this an mpqcht server?`,
    );
  }
  const failure = envelopeFailure(body);
  if (failure) throw failure;
  const data = isRecord(body) && body['ok'] === true ? body['data'] : undefined;
  if (
    !response.ok ||
    !isRecord(data) ||
    typeof data['nonce'] !== 'string' ||
    typeof data['origin'] !== 'string' ||
    typeof data['expiresAt'] !== 'string'
  ) {
    throw new CliError(
      `${url} answered HTTP ${response.status} with no challenge; is this an mpqcht server?`,
    );
  }
  return { nonce: data['nonce'], origin: data['origin'], expiresAt: data['expiresAt'] };
}

export interface ConnectOptions {
  readonly server: string;
  readonly origin: string | undefined;
  readonly key: LoadedKey;
  /** Reconnect after a lost connection, signing a fresh challenge each time (listen). */
  readonly reconnect: boolean;
  /** Called when signing for a reconnect fails; the connection cannot continue. */
  readonly onFatal?: (error: Error) => void;
}

/** Fetches a challenge, checks its origin, and signs it. */
export async function freshProof(options: Omit<ConnectOptions, 'reconnect'>): Promise<LoginProof> {
  const challenge = await fetchChallenge(options.server);
  const origin = checkChallengeOrigin({
    server: options.server,
    override: options.origin,
    challengeOrigin: challenge.origin,
  });
  return signLoginChallenge({
    privateKey: options.key.privateKey,
    publicKey: options.key.publicKey,
    origin,
    nonceHex: challenge.nonce,
  });
}

/** A connection error as the handshake middleware sends it, or a transport failure. */
export function connectFailure(server: string, error: Error): Error {
  const failure = envelopeFailure({ ok: false, error: (error as { data?: unknown }).data });
  if (failure) return failure;
  return new CliError(`cannot connect to ${server}: ${error.message}`);
}

/**
 * Logs in over Socket.IO. The first proof is made before connecting, so that a bad origin or an
 * unreachable server is reported as itself; every reconnect signs a fresh challenge.
 */
export async function connect(options: ConnectOptions): Promise<ClientSocket> {
  let first: LoginProof | undefined = await freshProof(options);
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
      freshProof(options).then(callback, (error: unknown) => {
        options.onFatal?.(error instanceof Error ? error : new Error(String(error)));
        callback({});
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.off('connect_error');
      resolve();
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(connectFailure(options.server, error));
    });
  });
  return socket;
}

/** Sends a request and unwraps its ack envelope; an error envelope becomes a ProtocolFailure. */
export async function request<E extends RequestEvent>(
  socket: ClientSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseTypes[E]> {
  type Emit = (event: string, payload: unknown) => Promise<unknown>;
  const timed = socket.timeout(ACK_TIMEOUT_MS);
  let envelope: Envelope<ResponseTypes[E]>;
  try {
    envelope = (await (timed.emitWithAck as Emit).call(timed, event, payload)) as Envelope<ResponseTypes[E]>;
  } catch {
    throw new CliError(`no answer to ${event} within ${ACK_TIMEOUT_MS / 1000} s`);
  }
  if (envelope.ok) return envelope.data;
  throw new ProtocolFailure(envelope.error.code, envelope.error.message, envelope.error.details);
}
