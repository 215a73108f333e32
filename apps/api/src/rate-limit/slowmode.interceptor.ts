import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { ChannelPolicy } from '../policy/channel-policy';
import { subjectOf, type MpqchtSocket } from '../realtime/socket-session';
import { enforce } from './rate-limited';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';

/** The events slowmode applies to. */
const SLOWMODE_EVENT = 'messages.send';

/**
 * Per-channel slowmode: a member sends at most one message per `slowmode_ms` (their effective
 * limit in that channel; 0 means none, roots have none) in each channel. The window starts when a
 * send is let through, whether or not the send then succeeds. Runs after the AccessGuard, which
 * has already checked that the payload's `channelId` names a channel the member can write in.
 */
@Injectable()
export class SlowmodeInterceptor implements NestInterceptor {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly policy: ChannelPolicy,
  ) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'ws' || context.getArgByIndex(3) !== SLOWMODE_EVENT) return next.handle();
    const session = context.switchToWs().getClient<MpqchtSocket>().data.session;
    if (session.isRoot || session.member === null) return next.handle();
    const data: unknown = context.switchToWs().getData();
    const channelId =
      typeof data === 'object' && data !== null && 'channelId' in data ? data.channelId : undefined;
    if (typeof channelId !== 'string') return next.handle(); // the payload's validation refuses it
    const { slowmodeMs } = this.policy.limits(subjectOf(session), channelId);
    if (slowmodeMs <= 0) return next.handle();
    return enforce(
      this.store.slowmode(`${session.publicKey}/${channelId}`, slowmodeMs),
      false,
      () => next.handle(),
      'slowmode: one message per ' + String(slowmodeMs) + ' ms in this channel',
    );
  }
}
