import { Logger, type Provider } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { RATE_LIMIT_STORE, type RateLimitStore } from './rate-limit-store';
import { RedisRateLimitStore } from './redis-rate-limit-store';

/** In memory unless `REDIS_URL` is set; then in Redis, shared with every process using it. */
export const rateLimitStoreProvider: Provider = {
  provide: RATE_LIMIT_STORE,
  inject: [AppConfig],
  useFactory: async (config: AppConfig): Promise<RateLimitStore> => {
    const { redisUrl, redisKeyPrefix } = config.env;
    if (!redisUrl) return new MemoryRateLimitStore();
    new Logger('RateLimit').log(`rate limits are kept in Redis (key prefix "${redisKeyPrefix}")`);
    return RedisRateLimitStore.connect(redisUrl, redisKeyPrefix);
  },
};
