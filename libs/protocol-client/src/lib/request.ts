import type { Socket } from 'socket.io-client';

import type {
  ClientToServerEvents,
  Envelope,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerToClientEvents,
} from '@mpqcht/protocol';

import { ProtocolFailure } from './failure';

/** A socket.io-client socket typed with the protocol's event maps. */
export type ProtocolSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The part of a socket a request uses (so a test double needs no more). */
export type RequestSocket = Pick<ProtocolSocket, 'timeout'>;

export interface RequestOptions {
  /** How long to wait for the ack: the caller's policy. */
  readonly timeoutMs: number;
}

/** No ack within the timeout, or the socket disconnected before it came. */
export class RequestTimedOut extends Error {
  constructor(
    readonly event: RequestEvent,
    readonly timeoutMs: number,
  ) {
    super(`no answer to ${event} within ${timeoutMs / 1000} s`);
    this.name = 'RequestTimedOut';
  }
}

/** One acknowledged request: resolves with the server's envelope, rejects with `RequestTimedOut`. */
export async function request<E extends RequestEvent>(
  socket: RequestSocket,
  event: E,
  payload: RequestPayload<E>,
  options: RequestOptions,
): Promise<Envelope<ResponseTypes[E]>> {
  // socket.io's typed emitWithAck cannot follow a generic event name; the event map types the result.
  type Emit = (event: string, payload: unknown) => Promise<unknown>;
  const timed = socket.timeout(options.timeoutMs);
  try {
    return (await (timed.emitWithAck as Emit).call(timed, event, payload)) as Envelope<ResponseTypes[E]>;
  } catch {
    throw new RequestTimedOut(event, options.timeoutMs);
  }
}

/** The data of an ok envelope; an error envelope becomes a `ProtocolFailure`. */
export function ok<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.data;
  throw new ProtocolFailure(envelope.error.code, envelope.error.message, envelope.error.details);
}

/** `request` then `ok`: the data, or a `ProtocolFailure`, or `RequestTimedOut`. */
export async function requestOk<E extends RequestEvent>(
  socket: RequestSocket,
  event: E,
  payload: RequestPayload<E>,
  options: RequestOptions,
): Promise<ResponseTypes[E]> {
  return ok(await request(socket, event, payload, options));
}
