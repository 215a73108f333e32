import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { remoteAddress } from './ip-address';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { enforce } from './rate-limited';

/**
 * A per-IP limit on a public HTTP route: a bucket of `challenge_burst` refilled at
 * `challenges_per_minute`, one bucket per route and address. Over it: 429 with the `rate_limited`
 * envelope and a Retry-After header. Fails closed when the store is unreachable.
 */
function limitByAddress(
  store: RateLimitStore,
  config: AppConfig,
  bucket: string,
  what: string,
  context: ExecutionContext,
  next: CallHandler,
): Observable<unknown> | Promise<Observable<unknown>> {
  const http = context.switchToHttp();
  const limits = config.current.ipLimits;
  const decision = store.take(`ip:${bucket}:${remoteAddress(http.getRequest<Request>())}`, {
    capacity: limits.challengeBurst,
    refillPerSecond: limits.challengesPerMinute / 60,
    cost: 1,
  });
  const response = http.getResponse<Response>();
  const withRetryAfter = (error: unknown) => {
    if (error instanceof ProtocolError && typeof error.details?.['retryAfterMs'] === 'number') {
      response.setHeader('Retry-After', String(Math.ceil(error.details['retryAfterMs'] / 1000)));
    }
    return error;
  };
  try {
    const result = enforce(decision, false, () => next.handle(), what);
    return result instanceof Promise
      ? result.catch((error: unknown) => {
          throw withRetryAfter(error);
        })
      : result;
  } catch (error) {
    throw withRetryAfter(error);
  }
}

/** Challenge issuance (`POST /api/auth/challenge`), per IP address. */
@Injectable()
export class ChallengeRateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    return limitByAddress(
      this.store,
      this.config,
      'challenge',
      'too many challenges from this address',
      context,
      next,
    );
  }
}

/** Invite previews (`GET /api/invites/:code`), per IP address, in a bucket of their own. */
@Injectable()
export class InvitePreviewRateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    return limitByAddress(
      this.store,
      this.config,
      'invite',
      'too many invite previews from this address',
      context,
      next,
    );
  }
}
