/**
 * Opening the load's connections, per server kind and role (ipc.ts `Role`). Against mpqcht every
 * connection logs in for real (login.ts) with a key the root authorized, then joins.
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';

import { handshakeFailure, request as protocolRequest, whenConnected } from '@mpqcht/protocol-client';

import { nowMs } from '../clock';
import type { Role, TargetSpec } from '../ipc';
import { ConnectRefused, MinimalSocketIo } from '../protocol-receiver';
import { type Key, loginAuth } from './login';
import type { StepState } from './step-state';

export const ACK_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 30_000;

/**
 * Sends one message into `streamId` (mpqcht: a channel or a thread; the baselines ignore it: their
 * room is the connection's); `done(null)` on an ok ack, `done(code)` otherwise. Without acks, no call.
 */
export type Send = (content: string, streamId: string, done: (error: string | null) => void) => void;

export interface Connection {
  readonly role: Role;
  /** Senders only. */
  readonly send?: Send;
  readonly acks: boolean;
  /** A socket.io-client connection (for requests such as messages.history). */
  readonly socket?: Socket;
  close(): void;
}

export interface Opened {
  readonly connection: Connection;
  readonly handshakeMs: number;
}

/** A failed connection attempt with the error code to count it under. */
export class OpenFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** mpqcht's ack envelope: null for `{ ok: true }`, the error code otherwise. */
export function envelopeError(envelope: unknown): string | null {
  const body = record(envelope);
  if (body['ok'] === true) return null;
  const code = record(body['error'])['code'];
  return typeof code === 'string' ? code : 'not_ok';
}

async function clientSocket(
  url: string,
  options: { auth?: object; query?: Record<string, string> },
): Promise<Socket> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
    ...options,
  });
  try {
    await whenConnected(socket);
  } catch (error) {
    // mpqcht refuses a handshake with its error body as the data: { code, message }.
    const code = handshakeFailure(error)?.code ?? 'connect_error';
    throw new OpenFailed(code, error instanceof Error ? error.message : String(error));
  }
  return socket;
}

function plainWs(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    socket.once('open', () => {
      resolve(socket);
    });
    socket.once('error', (error) => {
      reject(new OpenFailed('ws_error', error.message));
    });
  });
}

async function join(socket: Socket, displayName: string): Promise<void> {
  const envelope = await protocolRequest(
    socket,
    'member.join',
    { displayName },
    { timeoutMs: ACK_TIMEOUT_MS },
  );
  if (!envelope.ok) throw new OpenFailed(envelope.error.code, `member.join: ${JSON.stringify(envelope)}`);
}

function socketIoSender(
  socket: Socket,
  event: string,
  payload: (content: string, streamId: string) => unknown,
): Send {
  return (content, streamId, done) => {
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit(event, payload(content, streamId), (error: unknown, answer: unknown) => {
        done(error ? 'ack_timeout' : envelopeError(answer));
      });
  };
}

export interface OpenContext {
  readonly target: TargetSpec;
  readonly state: StepState;
  /** mpqcht: the next authorized key. */
  readonly key: () => Key;
  /** mpqcht: a display name no other connection uses. */
  readonly displayName: () => string;
}

async function openWs(role: Role, context: OpenContext): Promise<Opened> {
  const started = nowMs();
  const socket = await plainWs(context.target.url);
  const handshakeMs = nowMs() - started;
  if (role === 'sender') {
    socket.on('message', context.state.onOther);
    const send: Send = (content) => {
      socket.send(JSON.stringify({ id: randomUUID(), content }));
    };
    return { handshakeMs, connection: { role, send, acks: false, close: () => socket.terminate() } };
  }
  socket.on('message', (data: Buffer) => {
    context.state.onFrame(data);
  });
  return { handshakeMs, connection: { role, acks: false, close: () => socket.terminate() } };
}

async function openSocketIo(role: Role, context: OpenContext): Promise<Opened> {
  const { target, state } = context;
  const query = { room: target.channelId };
  const started = nowMs();
  if (role === 'minimal' || role === 'stalled') {
    const socket = await MinimalSocketIo.connect(target.url, undefined, CONNECT_TIMEOUT_MS, query);
    // A stalled connection's frames are not deliveries: what it had buffered surfaces when it closes.
    if (role === 'stalled') socket.stall();
    else socket.onEvent = state.onFrame;
    return { handshakeMs: nowMs() - started, connection: { role, acks: false, close: () => socket.close() } };
  }
  const socket = await clientSocket(target.url, { query });
  const handshakeMs = nowMs() - started;
  if (role === 'sender') {
    socket.on('message', state.onOther);
    const send = socketIoSender(socket, 'send', (content) => ({ id: randomUUID(), content }));
    return { handshakeMs, connection: { role, send, acks: true, socket, close: () => socket.disconnect() } };
  }
  socket.on('message', (payload: unknown) => {
    const content = record(payload)['content'];
    if (typeof content === 'string') state.onContent(content);
  });
  return { handshakeMs, connection: { role, acks: false, socket, close: () => socket.disconnect() } };
}

async function openMpqcht(role: Role, context: OpenContext): Promise<Opened> {
  const { target, state } = context;
  const key = context.key();
  const started = nowMs();
  const auth = await loginAuth(target, key);
  const displayName = context.displayName();
  if (role === 'minimal' || role === 'stalled') {
    let socket: MinimalSocketIo;
    try {
      socket = await MinimalSocketIo.connect(target.url, auth, CONNECT_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof ConnectRefused) throw new OpenFailed(error.code, error.message);
      throw error;
    }
    const handshakeMs = nowMs() - started;
    const error = envelopeError(await socket.request('member.join', { displayName }, ACK_TIMEOUT_MS));
    if (error !== null) {
      socket.close();
      throw new OpenFailed(error, 'member.join failed');
    }
    // A stalled connection's frames are not deliveries: what it had buffered surfaces when it closes.
    if (role === 'stalled') socket.stall();
    else socket.onEvent = state.onFrame;
    return { handshakeMs, connection: { role, acks: false, close: () => socket.close() } };
  }
  const socket = await clientSocket(target.url, { auth });
  const handshakeMs = nowMs() - started;
  await join(socket, displayName);
  if (role === 'searcher') {
    return { handshakeMs, connection: { role, acks: false, socket, close: () => socket.disconnect() } };
  }
  if (role === 'sender') {
    socket.on('message.created', state.onOther);
    const send = socketIoSender(socket, 'messages.send', (content, channelId) => ({
      channelId,
      clientId: randomUUID(),
      content,
    }));
    return { handshakeMs, connection: { role, send, acks: true, socket, close: () => socket.disconnect() } };
  }
  socket.on('message.created', (message: unknown) => {
    const content = record(message)['content'];
    if (typeof content === 'string') state.onContent(content);
  });
  return { handshakeMs, connection: { role, acks: false, socket, close: () => socket.disconnect() } };
}

export function openConnection(role: Role, context: OpenContext): Promise<Opened> {
  switch (context.target.kind) {
    case 'ws':
      return openWs(role, context);
    case 'socket.io':
      return openSocketIo(role, context);
    case 'mpqcht':
      return openMpqcht(role, context);
  }
}
