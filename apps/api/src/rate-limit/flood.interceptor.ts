import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { PermissionModel } from '@mpqcht/permissions';
import type { Observable } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { ChannelPolicy } from '../policy/channel-policy';
import {
  subjectOf,
  type MemberRecord,
  type MpqchtSocket,
  type SocketSession,
} from '../realtime/socket-session';
import { enforce } from './rate-limited';
import { isReadEvent } from './read-events';
import { RATE_LIMIT_STORE, type BucketSpec, type RateLimitStore } from './rate-limit-store';

interface CachedBucket {
  readonly model: PermissionModel;
  readonly member: MemberRecord | null;
  readonly spec: BucketSpec;
}

/**
 * The per-connection flood bucket: every event a socket sends takes one token from a bucket of
 * `burst` tokens refilled at `rate_per_second` (the member's connection limits), keyed by the
 * socket id. Runs after the AccessGuard (Nest runs guards before interceptors), so the member is
 * known. The bucket's size is cached per session and recomputed when the member's roles or
 * config.toml change, so the hot path resolves nothing and allocates nothing.
 */
@Injectable()
export class FloodInterceptor implements NestInterceptor {
  private readonly buckets = new WeakMap<SocketSession, CachedBucket>();

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
    private readonly policy: ChannelPolicy,
  ) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'ws') return next.handle();
    const socket = context.switchToWs().getClient<MpqchtSocket>();
    const spec = this.bucketOf(socket.data.session);
    return enforce(this.store.take(socket.id, spec), isReadEvent(context.getArgByIndex(3)), () =>
      next.handle(),
    );
  }

  private bucketOf(session: SocketSession): BucketSpec {
    const model = this.config.current.permissions;
    const cached = this.buckets.get(session);
    if (cached !== undefined && cached.model === model && cached.member === session.member)
      return cached.spec;
    const limits = this.policy.connectionLimits(subjectOf(session));
    const spec: BucketSpec = { capacity: limits.burst, refillPerSecond: limits.ratePerSecond, cost: 1 };
    this.buckets.set(session, { model, member: session.member, spec });
    return spec;
  }
}
