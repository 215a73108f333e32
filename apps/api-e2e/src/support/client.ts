import { io, type Socket } from 'socket.io-client';

import type {
  ClientToServerEvents,
  Envelope,
  ErrorCode,
  RequestEvent,
  RequestPayload,
  ResponseTypes,
  ServerToClientEvents,
} from '@mpqcht/protocol';
import { request as protocolRequest, whenConnected } from '@mpqcht/protocol-client';
import type { ApiProcess } from '@mpqcht/test-harness';

import { loginProof, type TestIdentity } from './identity';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectError {
  readonly message: string;
  readonly data?: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** Connects with an explicit handshake `auth` (or a fresh valid proof); resolves when connected. */
export async function connect(api: ApiProcess, identity: TestIdentity, auth?: unknown): Promise<TestSocket> {
  const socket: TestSocket = io(api.url, {
    auth: (auth ?? (await loginProof(identity, api.url, api.origin))) as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await whenConnected(socket);
  return socket;
}

/** Tries to connect and returns the refusal (rejects if the socket was accepted). */
export async function connectRefused(api: ApiProcess, auth: unknown): Promise<ConnectError> {
  const socket: TestSocket = io(api.url, {
    auth: auth as Record<string, unknown>,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the server accepted the socket'));
    });
    socket.once('connect_error', (error: Error & Partial<ConnectError>) => {
      socket.close();
      resolve({ message: error.message, data: error.data });
    });
  });
}

export function request<E extends RequestEvent>(
  socket: TestSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<Envelope<ResponseTypes[E]>> {
  return protocolRequest(socket, event, payload, { timeoutMs: 10_000 });
}

/** Sends any raw arguments (malformed payloads, unknown events) and resolves with the ack. */
export function rawRequest(
  socket: TestSocket,
  event: string,
  ...args: unknown[]
): Promise<Envelope<unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event}`)), 10_000);
    const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => void;
    emit(event, ...args, (envelope: Envelope<unknown>) => {
      clearTimeout(timer);
      resolve(envelope);
    });
  });
}

export async function ok<E extends RequestEvent>(
  socket: TestSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ResponseTypes[E]> {
  const envelope = await request(socket, event, payload);
  if (!envelope.ok) throw new Error(`${event} failed: ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.data;
}

export async function fails<E extends RequestEvent>(
  socket: TestSocket,
  event: E,
  payload: RequestPayload<E>,
): Promise<ErrorCode> {
  const envelope = await request(socket, event, payload);
  if (envelope.ok) throw new Error(`${event} unexpectedly succeeded`);
  return envelope.error.code;
}

/** Resolves with the next push of `event` (rejects after `timeoutMs`). */
export function nextPush<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} push within ${timeoutMs} ms`)), timeoutMs);
    const on = socket.once.bind(socket) as (event: string, listener: (payload: never) => void) => void;
    on(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Collects every push of `event` from now on, for asserting that something did NOT arrive. */
export function collectPushes<E extends keyof ServerToClientEvents>(
  socket: TestSocket,
  event: E,
): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  const on = socket.on.bind(socket) as (event: string, listener: (payload: never) => void) => void;
  on(event, (payload) => seen.push(payload));
  return seen;
}

export function waitForDisconnect(socket: TestSocket, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
