/**
 * The coordinator's own mpqcht connection as the configured root key: the first authenticated
 * message of a cold start, and `members.authorize` for every load key (with the load role).
 */
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';

import type { MessageDto, RequestEvent, RequestPayload, ResponseTypes } from '@mpqcht/protocol';
import { type ProtocolSocket, request, whenConnected } from '@mpqcht/protocol-client';

import type { TargetSpec } from './ipc';
import { LOAD_CHANNEL, LOAD_ROLE } from './servers/bench-config';
import { type Key, loginAuth, newKey } from './worker/login';

const ACK_TIMEOUT_MS = 30_000;
const AUTHORIZE_CONCURRENCY = 32;

export class Root {
  private constructor(private readonly socket: ProtocolSocket) {}

  static key(): Promise<Key> {
    return newKey();
  }

  /** Logs in (challenge, signature, handshake) and joins. */
  static async login(target: TargetSpec, key: Key): Promise<Root> {
    const auth = await loginAuth(target, key);
    const socket: ProtocolSocket = io(target.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { ...auth },
    });
    await whenConnected(socket);
    const root = new Root(socket);
    await root.request('member.join', { displayName: 'root' });
    return root;
  }

  private async request<E extends RequestEvent>(
    event: E,
    payload: RequestPayload<E>,
  ): Promise<ResponseTypes[E]> {
    const envelope = await request(this.socket, event, payload, { timeoutMs: ACK_TIMEOUT_MS });
    if (!envelope.ok) throw new Error(`${event} failed: ${JSON.stringify(envelope)}`);
    return envelope.data;
  }

  /** Sends one message to the load channel and resolves when its own copy comes back. */
  async sendAndReceive(content: string): Promise<void> {
    const clientId = randomUUID();
    const delivered = new Promise<void>((resolve) => {
      const listener = (message: MessageDto) => {
        if (message.clientId !== clientId) return;
        this.socket.off('message.created', listener);
        resolve();
      };
      this.socket.on('message.created', listener);
    });
    await this.request('messages.send', { channelId: LOAD_CHANNEL, clientId, content });
    await delivered;
  }

  /**
   * Starts a thread in the load channel (on a message of its own, `threads.create`) and returns
   * its stream id, `thread:<id>`: messages sent there are pushed to the load channel's room.
   */
  async startThread(name: string): Promise<string> {
    const message = await this.request('messages.send', {
      channelId: LOAD_CHANNEL,
      clientId: randomUUID(),
      content: `${name}: where the thread grows from`,
    });
    const entry = await this.request('threads.create', {
      channelId: LOAD_CHANNEL,
      messageId: message.id,
      name,
    });
    return entry.streamId;
  }

  /** Authorizes every key with the load role, a few requests in flight at a time. */
  async authorize(publicKeys: readonly string[]): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < publicKeys.length) {
        const publicKey = publicKeys[next++];
        if (publicKey === undefined) break;
        await this.request('members.authorize', { publicKey, roles: [LOAD_ROLE] });
      }
    };
    await Promise.all(Array.from({ length: AUTHORIZE_CONCURRENCY }, lane));
  }

  close(): void {
    this.socket.disconnect();
  }
}
