import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';

import type { DerivedIdentity } from '@mpqcht/identity';
import type {
  ClientToServerEvents,
  MessageDto,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerToClientEvents,
} from '@mpqcht/protocol';
import { freshLoginAuth, requestOk, whenConnected } from '@mpqcht/protocol-client';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Logs in to the server at `url` (whose PUBLIC_ORIGIN is that same address) with a derived
 * identity, as a second device of the same person: what the test uses to authorize members and
 * to seed messages without typing them.
 */
export async function connectAs(url: string, identity: DerivedIdentity): Promise<TestSocket> {
  const proof = await freshLoginAuth({
    baseUrl: url,
    signer: { privateKey: identity.signingKey, publicKey: identity.publicKey },
  });
  const socket: TestSocket = io(url, {
    auth: { ...proof },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await whenConnected(socket);
  return socket;
}

export function ok<E extends RequestEvent>(
  socket: TestSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseTypes[E]> {
  return requestOk(socket, event, payload, { timeoutMs: 10_000 });
}

export function send(socket: TestSocket, channelId: string, content: string): Promise<MessageDto> {
  return ok(socket, 'messages.send', { channelId, clientId: randomUUID(), content });
}
