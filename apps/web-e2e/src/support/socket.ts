import { randomUUID } from 'node:crypto';
import { signLoginChallenge, type DerivedIdentity } from '@mpqcht/identity';
import type {
  ChallengeDto,
  ClientToServerEvents,
  Envelope,
  MessageDto,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerToClientEvents,
} from '@mpqcht/protocol';
import { io, type Socket } from 'socket.io-client';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Logs in to the server at `url` (whose PUBLIC_ORIGIN is that same address) with a derived
 * identity, as a second device of the same person: what the test uses to authorize members and
 * to seed messages without typing them.
 */
export async function connectAs(url: string, identity: DerivedIdentity): Promise<TestSocket> {
  const response = await fetch(`${url}/api/auth/challenge`, { method: 'POST' });
  const body = (await response.json()) as Envelope<ChallengeDto>;
  if (!body.ok) throw new Error(`challenge refused: ${body.error.code}`);
  const proof = await signLoginChallenge({
    privateKey: identity.signingKey,
    publicKey: identity.publicKey,
    origin: url,
    nonceHex: body.data.nonce,
  });
  const socket: TestSocket = io(url, {
    auth: { ...proof },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export function ok<E extends RequestEvent>(
  socket: TestSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseTypes[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 10_000);
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => void;
    emit(event, payload, (envelope: Envelope<ResponseTypes[E]>) => {
      clearTimeout(timer);
      if (envelope.ok) resolve(envelope.data);
      else reject(new Error(`${event} failed: ${envelope.error.code}: ${envelope.error.message}`));
    });
  });
}

export function send(socket: TestSocket, channelId: string, content: string): Promise<MessageDto> {
  return ok(socket, 'messages.send', { channelId, clientId: randomUUID(), content });
}
