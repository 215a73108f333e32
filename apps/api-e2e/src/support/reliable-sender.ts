import { randomUUID } from 'node:crypto';

import type { ErrorCode, MessageDto } from '@mpqcht/protocol';

import type { TestIdentity } from './identity';
import { ReconnectingClient, type ServerAddress, type ServerLife } from './reconnecting-client';

/** One emit of a send. */
export interface SendTry {
  /** The api process (`ServerLife.instance`) the connection reached. */
  readonly instance: number;
  readonly outcome: 'ok' | 'lost' | ErrorCode;
}

/** A message the sender wants stored: one client id, tried until acked. */
export interface Attempt {
  readonly clientId: string;
  readonly channelId: string;
  readonly content: string;
  readonly tries: SendTry[];
  /** Every successful ack (a retry of a stored message answers the stored message). */
  readonly acks: MessageDto[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The sending half of the delivery protocol: every message gets its own `clientId`, and a send
 * that is not acked (the connection ended, or the server is restarting or overloaded) is sent
 * again with the same `clientId` on the next connection, until it is acked. After
 * `server.restarting` nothing is sent until the next connect.
 */
export class ReliableSender {
  readonly client: ReconnectingClient;
  readonly attempts: Attempt[] = [];
  /** Answers a sender does not expect (anything but ok, lost, rate_limited, server_restarting). */
  readonly failures: string[] = [];
  private readonly pending = new Set<Promise<void>>();
  private ackCount = 0;
  private readonly ackListeners = new Set<() => void>();

  constructor(
    readonly name: string,
    address: ServerAddress,
    identity: TestIdentity,
    life: ServerLife,
  ) {
    this.client = new ReconnectingClient(address, identity, life);
  }

  start(): this {
    this.client.start();
    return this;
  }

  get acked(): number {
    return this.ackCount;
  }

  /** Starts sending one message (retried until acked) and returns its attempt record. */
  send(channelId: string): Attempt {
    const attempt: Attempt = {
      clientId: randomUUID(),
      channelId,
      content: `${this.name} #${this.attempts.length + 1}`,
      tries: [],
      acks: [],
    };
    this.attempts.push(attempt);
    const done = this.untilAcked(attempt).finally(() => this.pending.delete(done));
    this.pending.add(done);
    return attempt;
  }

  /** Sends one message every `intervalMs`, to the channels in turn; returns the stop function. */
  steady(channelIds: readonly string[], intervalMs: number): () => void {
    let next = 0;
    const timer = setInterval(() => {
      const channelId = channelIds[next % channelIds.length];
      next += 1;
      if (channelId !== undefined) this.send(channelId);
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }

  /** Resolves once `count` messages have been acked in all (rejects after `timeoutMs`). */
  whenAcked(count: number, timeoutMs = 15_000): Promise<void> {
    if (this.ackCount >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const listener = () => {
        if (this.ackCount < count) return;
        clearTimeout(timer);
        this.ackListeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        this.ackListeners.delete(listener);
        reject(new Error(`${this.name}: ${this.ackCount} of ${count} acks within ${timeoutMs} ms`));
      }, timeoutMs);
      this.ackListeners.add(listener);
    });
  }

  /** Resolves when every message sent so far has been acked (or given up on, see `failures`). */
  async settled(timeoutMs = 20_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`${this.name}: ${this.pending.size} sends still unacked after ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      while (this.pending.size > 0) await Promise.race([Promise.all([...this.pending]), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.client.close();
  }

  private async untilAcked(attempt: Attempt): Promise<void> {
    for (;;) {
      await this.client.ready();
      if (this.client.isClosed) return;
      const instance = this.client.instance;
      const answer = await this.client.request(
        'messages.send',
        { channelId: attempt.channelId, clientId: attempt.clientId, content: attempt.content },
        10_000,
      );
      const outcome = answer.kind === 'error' ? answer.code : answer.kind;
      attempt.tries.push({ instance, outcome });
      if (answer.kind === 'ok') {
        attempt.acks.push(answer.data);
        this.ackCount += 1;
        this.ackListeners.forEach((listener) => {
          listener();
        });
        return;
      }
      if (answer.kind === 'lost') continue;
      if (answer.code === 'rate_limited') {
        const retryAfterMs = answer.details?.['retryAfterMs'];
        await sleep(typeof retryAfterMs === 'number' ? retryAfterMs : 100);
      } else if (answer.code === 'server_restarting') {
        // The connection closes soon (after `server.restarting`); do not spin meanwhile.
        await sleep(20);
      } else {
        this.failures.push(
          `${this.name}: send ${attempt.clientId} answered ${answer.code}: ${answer.message}`,
        );
        return;
      }
    }
  }
}
