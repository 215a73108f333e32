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
 * Per-IP limit on challenge issuance (`POST /api/auth/challenge`): a bucket of `challenge_burst`
 * refilled at `challenges_per_minute`. Over it: 429 with the `rate_limited` envelope and a
 * Retry-After header. Fails closed when the store is unreachable.
 */
@Injectable()
export class ChallengeRateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    private readonly config: AppConfig,
  ) {}

  intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Observable<unknown> | Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const limits = this.config.current.ipLimits;
    const decision = this.store.take(`ip:challenge:${remoteAddress(http.getRequest<Request>())}`, {
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
      const result = enforce(decision, false, () => next.handle(), 'too many challenges from this address');
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw withRetryAfter(error);
          })
        : result;
    } catch (error) {
      throw withRetryAfter(error);
    }
  }
}
