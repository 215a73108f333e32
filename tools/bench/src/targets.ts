import { randomUUID } from 'node:crypto';
import {
  generateSigningKeyPair,
  publicKeyFromCryptoKey,
  signLoginChallenge,
  type PublicKey,
} from '@mpqcht/identity';
import { startApi, type ApiProcess } from '@mpqcht/test-harness';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { startBaseline, type BaselineProcess } from './system';

const ACK_TIMEOUT_MS = 10_000;

/** A sending connection. `onAck` is called once per send: true for an ok ack, false otherwise. */
export interface Sender {
  readonly acks: boolean;
  send(id: string, content: string, onAck: (ok: boolean) => void): void;
  close(): void;
}

export interface Receiver {
  close(): void;
}

/** One server under test, as the load generator sees it. */
export interface Target {
  readonly name: string;
  readonly pid: number;
  /** Opens a sending connection (for mpqcht: a full login); resolves with the handshake time. */
  connectSender(): Promise<Sender>;
  /** Opens a receiving connection; `onMessage` gets the id of every broadcast message. */
  connectReceiver(onMessage: (id: string) => void): Promise<Receiver>;
  stop(): Promise<void>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object';
}

function socketConnected(socket: Socket): Promise<Socket> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => {
      socket.disconnect();
      const data = (error as { data?: unknown }).data;
      reject(new Error(`connect failed: ${error.message} ${data === undefined ? '' : JSON.stringify(data)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Bare Socket.IO

export async function socketIoTarget(): Promise<Target> {
  const server: BaselineProcess = await startBaseline('socketio-server');
  const url = `http://127.0.0.1:${server.port}`;
  const open = () =>
    socketConnected(
      io(url, { transports: ['websocket'], forceNew: true, reconnection: false, query: { room: 'bench' } }),
    );
  return {
    name: 'socket.io',
    pid: server.child.pid ?? 0,
    connectSender: async () => {
      const socket = await open();
      return {
        acks: true,
        send: (id, content, onAck) => {
          socket
            .timeout(ACK_TIMEOUT_MS)
            .emit('send', { id, content }, (error: unknown, answer: unknown) =>
              onAck(!error && isRecord(answer) && answer['ok'] === true),
            );
        },
        close: () => socket.disconnect(),
      };
    },
    connectReceiver: async (onMessage) => {
      const socket = await open();
      socket.on('message', (payload: unknown) => {
        if (isRecord(payload) && typeof payload['id'] === 'string') onMessage(payload['id']);
      });
      return { close: () => socket.disconnect() };
    },
    stop: () => server.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// Bare ws

function openWs(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

export async function wsTarget(): Promise<Target> {
  const server = await startBaseline('ws-server');
  const url = `ws://127.0.0.1:${server.port}`;
  return {
    name: 'ws',
    pid: server.child.pid ?? 0,
    connectSender: async () => {
      const socket = await openWs(url);
      return {
        acks: false,
        send: (id, content) => socket.send(JSON.stringify({ id, content })),
        close: () => socket.close(),
      };
    },
    connectReceiver: async (onMessage) => {
      const socket = await openWs(url);
      socket.on('message', (data: Buffer) => {
        const payload = JSON.parse(data.toString()) as unknown;
        if (isRecord(payload) && typeof payload['id'] === 'string') onMessage(payload['id']);
      });
      return { close: () => socket.close() };
    },
    stop: () => server.stop(),
  };
}

// ---------------------------------------------------------------------------------------------
// mpqcht

interface Key {
  readonly pair: CryptoKeyPair;
  readonly publicKey: PublicKey;
}

async function newKey(): Promise<Key> {
  const pair = await generateSigningKeyPair();
  return { pair, publicKey: await publicKeyFromCryptoKey(pair.publicKey) };
}

function benchConfig(rootKey: string): string {
  return `
[server]
name = "bench"
root_keys = ["${rootKey}"]

[limits]
max_message_length = 4000
# Every load connection comes from 127.0.0.1: the per-IP and per-connection limits must not bite.
burst = 10000
rate_per_second = 10000
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "bench"
name = "bench"
group = "general"
`;
}

async function request(socket: Socket, event: string, payload: unknown): Promise<unknown> {
  const envelope: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
  if (isRecord(envelope) && envelope['ok'] === true) return envelope['data'];
  throw new Error(`${event} failed: ${JSON.stringify(envelope)}`);
}

export interface MpqchtTarget extends Target {
  readonly api: ApiProcess;
  /** Handshake times (challenge → signed → Socket.IO connected) of every login so far, in ms. */
  readonly handshakeMs: number[];
}

export async function mpqchtTarget(): Promise<MpqchtTarget> {
  const root = await newKey();
  const api = await startApi({ configToml: benchConfig(root.publicKey.hex) });
  const handshakeMs: number[] = [];
  let names = 0;

  /** The real login: POST /api/auth/challenge, ECDSA P-256 signature, Socket.IO handshake auth. */
  const login = async (key: Key): Promise<Socket> => {
    const started = performance.now();
    const response = await fetch(`${api.url}/api/auth/challenge`, { method: 'POST' });
    const body = (await response.json()) as unknown;
    const data = isRecord(body) && isRecord(body['data']) ? body['data'] : undefined;
    if (!data || typeof data['nonce'] !== 'string' || data['origin'] !== api.origin) {
      throw new Error(`unexpected challenge answer: ${JSON.stringify(body)}`);
    }
    const proof = await signLoginChallenge({
      privateKey: key.pair.privateKey,
      publicKey: key.publicKey,
      origin: api.origin,
      nonceHex: data['nonce'],
    });
    const socket = await socketConnected(
      io(api.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { ...proof } }),
    );
    handshakeMs.push(performance.now() - started);
    return socket;
  };

  const rootSocket = await login(root);
  handshakeMs.length = 0; // the root's login is setup, not load
  await request(rootSocket, 'member.join', { displayName: 'root' });

  /** A fresh key, authorized by the root, logged in and joined. */
  const member = async (): Promise<Socket> => {
    const key = await newKey();
    await request(rootSocket, 'members.authorize', { publicKey: key.publicKey.hex });
    const socket = await login(key);
    names += 1;
    await request(socket, 'member.join', { displayName: `load${names}` });
    return socket;
  };

  return {
    name: 'mpqcht',
    pid: api.child.pid ?? 0,
    api,
    handshakeMs,
    connectSender: async () => {
      const socket = await member();
      return {
        acks: true,
        send: (id, content, onAck) => {
          socket
            .timeout(ACK_TIMEOUT_MS)
            .emit(
              'messages.send',
              { channelId: 'bench', clientId: id, content },
              (error: unknown, envelope: unknown) =>
                onAck(!error && isRecord(envelope) && envelope['ok'] === true),
            );
        },
        close: () => socket.disconnect(),
      };
    },
    connectReceiver: async (onMessage) => {
      const socket = await member();
      socket.on('message.created', (message: unknown) => {
        if (isRecord(message) && typeof message['clientId'] === 'string') onMessage(message['clientId']);
      });
      return { close: () => socket.disconnect() };
    },
    stop: async () => {
      rootSocket.disconnect();
      await api.dispose();
    },
  };
}

export function messageId(): string {
  return randomUUID();
}
