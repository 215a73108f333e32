import { Module } from '@nestjs/common';

import { PolicyModule } from '../policy/policy.module';
import { FloodCooldown } from './flood-cooldown';
import { KeyConnections } from './key-connections';
import { LoginRateLimiter } from './login-rate-limiter';
import { RATE_LIMIT_STORE } from './rate-limit-store';
import { rateLimitStoreProvider } from './rate-limit-store.provider';
import { RequestGate } from './request-gate';
import { SlowmodeInterceptor } from './slowmode.interceptor';

/**
 * Budgets and caps: the bucket store (memory or Redis), every event's draw (`RequestGate`), sockets
 * per key, the flood cooldown, slowmode and the per-IP login limits. The store is exported for the
 * `ChallengeRateLimitInterceptor`, which Nest builds in the module of the controller using it.
 */
@Module({
  imports: [PolicyModule],
  providers: [
    rateLimitStoreProvider,
    RequestGate,
    FloodCooldown,
    KeyConnections,
    SlowmodeInterceptor,
    LoginRateLimiter,
  ],
  exports: [
    RATE_LIMIT_STORE,
    RequestGate,
    FloodCooldown,
    KeyConnections,
    SlowmodeInterceptor,
    LoginRateLimiter,
  ],
})
export class RateLimitModule {}
