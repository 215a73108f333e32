import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';

import { decisionOf } from '../policy/request-decision';
import type { MpqchtSocket } from '../realtime/socket-session';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { enforce } from './rate-limited';

/** The events slowmode applies to. */
const SLOWMODE_EVENT = 'messages.send';

/**
 * Per-channel slowmode: a member sends at most one message per `slowmode_ms` (their effective
 * limit in that channel; 0 means none, roots have none) in each channel. The window starts when a
 * send is let through, whether or not the send then succeeds. Runs after the AccessGuard, which
 * has already checked that the payload's `channelId` names a channel the member can write in, and
 * reads the limit from the guard's decision rather than resolving the member's permissions again.
 */
@Injectable()
export class SlowmodeInterceptor implements NestInterceptor {
  constructor(@Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    if (context.getType() !== 'ws' || context.getArgByIndex(3) !== SLOWMODE_EVENT) return next.handle();
    const session = context.switchToWs().getClient<MpqchtSocket>().data.session;
    if (session.isRoot || session.member === null) return next.handle();
    const { streamId, permissions } = decisionOf(context);
    const { slowmodeMs } = permissions.limits;
    if (slowmodeMs <= 0) return next.handle();
    return enforce(
      this.store.slowmode(`${session.publicKey}/${streamId}`, slowmodeMs),
      false,
      () => next.handle(),
      'slowmode: one message per ' + String(slowmodeMs) + ' ms in this channel',
    );
  }
}
