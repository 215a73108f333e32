/**
 * The coordinator's own mpqcht connection as the configured root key: the first authenticated
 * message of a cold start, and `members.authorize` for every load key (with the load role).
 */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { LOAD_CHANNEL, LOAD_ROLE } from './servers/bench-config';
import { loginAuth, newKey, type Key } from './worker/login';
import { envelopeError } from './worker/connections';
import type { TargetSpec } from './ipc';

const ACK_TIMEOUT_MS = 30_000;
const AUTHORIZE_CONCURRENCY = 32;

export class Root {
  private constructor(private readonly socket: Socket) {}

  static key(): Promise<Key> {
    return newKey();
  }

  /** Logs in (challenge, signature, handshake) and joins. */
  static async login(target: TargetSpec, key: Key): Promise<Root> {
    const auth = await loginAuth(target, key);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = io(target.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: { ...auth },
      });
      s.once('connect', () => {
        resolve(s);
      });
      s.once('connect_error', (error: Error) => {
        s.disconnect();
        reject(error);
      });
    });
    const root = new Root(socket);
    await root.request('member.join', { displayName: 'root' });
    return root;
  }

  private async request(event: string, payload: unknown): Promise<unknown> {
    const envelope: unknown = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    const error = envelopeError(envelope);
    if (error !== null) throw new Error(`${event} failed: ${JSON.stringify(envelope)}`);
    return envelope;
  }

  /** Sends one message to the load channel and resolves when its own copy comes back. */
  async sendAndReceive(content: string): Promise<void> {
    const clientId = randomUUID();
    const delivered = new Promise<void>((resolve) => {
      const listener = (message: { clientId?: unknown }) => {
        if (message.clientId !== clientId) return;
        this.socket.off('message.created', listener);
        resolve();
      };
      this.socket.on('message.created', listener);
    });
    await this.request('messages.send', { channelId: LOAD_CHANNEL, clientId, content });
    await delivered;
  }

  /** Authorizes every key with the load role, a few requests in flight at a time. */
  async authorize(publicKeys: readonly string[]): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < publicKeys.length) {
        const publicKey = publicKeys[next++];
        await this.request('members.authorize', { publicKey, roles: [LOAD_ROLE] });
      }
    };
    await Promise.all(Array.from({ length: AUTHORIZE_CONCURRENCY }, lane));
  }

  close(): void {
    this.socket.disconnect();
  }
}
