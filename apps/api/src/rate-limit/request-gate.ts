import { Inject, Injectable, Logger } from '@nestjs/common';

import type { PermissionModel } from '@mpqcht/permissions';
import { type Envelope, type ErrorCode, REQUEST_SCHEMAS } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { ChannelPolicy } from '../policy/channel-policy';
import {
  type MemberRecord,
  type MpqchtSocket,
  type SocketSession,
  subjectOf,
} from '../realtime/socket-session';
import { FloodCooldown } from './flood-cooldown';
import {
  type BucketSpec,
  RATE_LIMIT_STORE,
  type RateDecision,
  type RateLimitStore,
} from './rate-limit-store';
import { rateLimited, STORE_DOWN_RETRY_MS } from './rate-limited';
import { isReadEvent } from './read-events';
import { RefusalScore, SLOWED_COST } from './refusal-score';

type Ack = (envelope: Envelope<unknown>) => void;
/** What a client sent: its event name is whatever JSON it chose, not necessarily a string. */
type Packet = [unknown, ...unknown[]];

interface KeyBuckets {
  /** The bucket's key in the store: the same for every socket of the public key. */
  readonly key: string;
  readonly model: PermissionModel;
  readonly member: MemberRecord | null;
  /** One token: what a request takes. */
  readonly normal: BucketSpec;
  /** What a request takes while its socket is slowed for being refused again and again. */
  readonly slowed: BucketSpec;
}

/**
 * Answers from further on that never count against the client: the server's own trouble, and
 * `rate_limited` (an overloaded send queue sheds load with it, and slowmode refusals already drew
 * from the budget here; the gate's own budget refusals do count).
 */
const NOT_COUNTED: ReadonlySet<ErrorCode> = new Set([
  'internal_error',
  'database_unavailable',
  'server_restarting',
  'rate_limited',
]);

/**
 * The first thing every incoming event meets, before any guard, validation or handler (a
 * Socket.IO middleware per socket), so nothing a client sends is free:
 *
 * 1. It draws from the flood budget of the socket's **key**: one bucket of the member's `burst`
 *    tokens, refilled at `rate_per_second`, shared by all the key's sockets (and by every api
 *    process when the buckets live in Redis). Over it: `rate_limited` with `retryAfterMs`.
 * 2. Without an acknowledgement callback it is dropped (every request has an ack).
 * 3. An event that is not in the protocol answers `unknown_event`; more than one payload argument
 *    answers `validation_failed`.
 * 4. Everything else goes on to the guard and the handler; its answer is watched on the way out.
 *
 * Every refusal (over budget, unknown, malformed, `forbidden`, `not_found`, `not_joined`, ...; not
 * the server's own errors, nor a `rate_limited` from further on: see NOT_COUNTED) adds to the
 * socket's RefusalScore: a socket that keeps being refused pays `SLOWED_COST` tokens per request,
 * and beyond the score's limit it is disconnected with `session.ended` (reason `flooding`), and
 * its key is refused at the handshake for a while (FloodCooldown).
 */
@Injectable()
export class RequestGate {
  private readonly logger = new Logger('RateLimit');
  private readonly buckets = new WeakMap<SocketSession, KeyBuckets>();
  private readonly scores = new WeakMap<MpqchtSocket, RefusalScore>();

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
    private readonly policy: ChannelPolicy,
    private readonly cooldown: FloodCooldown,
  ) {}

  /** Puts the gate in front of every event the socket will send. */
  attach(socket: MpqchtSocket): void {
    socket.use((packet, next) => {
      this.admit(socket, packet as Packet, () => {
        next();
      });
    });
  }

  private admit(socket: MpqchtSocket, packet: Packet, next: () => void): void {
    const event = packet[0];
    const last = packet[packet.length - 1];
    const ack = typeof last === 'function' ? (last as Ack) : undefined;
    const decision = this.take(socket);
    const decided = (allowed: RateDecision) => {
      if (!allowed.allowed) {
        this.refuse(socket, ack, rateLimited(allowed.retryAfterMs));
        return;
      }
      if (!ack) return; // an event without an ack is not a request: ignored
      // Socket.IO's parser lets a client name an event with a number, too.
      if (typeof event !== 'string' || !Object.hasOwn(REQUEST_SCHEMAS, event)) {
        this.refuse(
          socket,
          ack,
          // The name is the client's: echoed back, but not at any length.
          new ProtocolError(
            'unknown_event',
            `"${String(event).slice(0, 64)}" is not an event of this protocol`,
          ),
        );
        return;
      }
      if (packet.length > 3) {
        this.refuse(
          socket,
          ack,
          new ProtocolError('validation_failed', 'a request has one payload argument, then its ack', {
            issues: [{ path: '', message: `expected 1 argument before the ack, got ${packet.length - 2}` }],
          }),
        );
        return;
      }
      packet[packet.length - 1] = (envelope: Envelope<unknown>) => {
        if (!envelope.ok && !NOT_COUNTED.has(envelope.error.code)) this.count(socket);
        ack(envelope);
      };
      next();
    };
    if (!(decision instanceof Promise)) {
      decided(decision);
      return;
    }
    decision.then(decided, () => {
      // The store (Redis) is unreachable: reads pass, everything else is refused (fails closed).
      if (isReadEvent(event)) decided({ allowed: true, retryAfterMs: 0 });
      else
        ack?.({
          ok: false,
          error: rateLimited(STORE_DOWN_RETRY_MS, 'the rate limiter is unavailable').toBody(),
        });
    });
  }

  /** One request's draw from the key's bucket (more while the socket is slowed). */
  private take(socket: MpqchtSocket): RateDecision | Promise<RateDecision> {
    const session = socket.data.session;
    const buckets = this.bucketsOf(session);
    const slowed = this.scores.get(socket)?.isSlowed(this.now()) ?? false;
    return this.store.take(buckets.key, slowed ? buckets.slowed : buckets.normal);
  }

  private refuse(socket: MpqchtSocket, ack: Ack | undefined, error: ProtocolError): void {
    ack?.({ ok: false, error: error.toBody() });
    this.count(socket);
  }

  private count(socket: MpqchtSocket): void {
    let score = this.scores.get(socket);
    if (!score) {
      score = new RefusalScore();
      this.scores.set(socket, score);
    }
    if (score.add(this.now()) && socket.connected) this.disconnect(socket);
  }

  /** Milliseconds, for the refusal scores (tests replace it). */
  protected now(): number {
    return Date.now();
  }

  private disconnect(socket: MpqchtSocket): void {
    this.logger.warn(
      `disconnected a socket of ${socket.data.session.publicKey.slice(0, 12)}…: it kept sending refused requests`,
    );
    socket.emit('session.ended', {
      reason: 'flooding',
      message: 'this connection kept sending requests that were refused; wait, then reconnect and slow down',
    });
    socket.disconnect(true);
    this.cooldown.start(socket.data.session.publicKey, this.now());
  }

  private bucketsOf(session: SocketSession): KeyBuckets {
    const model = this.config.current.permissions;
    const cached = this.buckets.get(session);
    if (cached !== undefined && cached.model === model && cached.member === session.member) return cached;
    const limits = this.policy.connectionLimits(subjectOf(session));
    const spec = { capacity: limits.burst, refillPerSecond: limits.ratePerSecond };
    const buckets: KeyBuckets = {
      key: `key:${session.publicKey}`,
      model,
      member: session.member,
      normal: { ...spec, cost: 1 },
      slowed: { ...spec, cost: Math.min(SLOWED_COST, limits.burst) },
    };
    this.buckets.set(session, buckets);
    return buckets;
  }
}
