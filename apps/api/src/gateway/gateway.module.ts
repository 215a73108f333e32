import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { EnvelopeInterceptor } from '../common/envelope.interceptor';
import { PolicyModule } from '../policy/policy.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StreamsModule } from '../streams/streams.module';
import { AccessGuard } from './access.guard';
import { RequestPipelineInterceptor } from './request-pipeline.interceptor';

/**
 * What `@RealtimeGateway()` puts on every gateway. Nest builds a class's guards, interceptors and
 * filters in the module that declares the class, from what that module can see: so a feature
 * module with a gateway imports this one, which exports what those need (the policy for the
 * guard; envelope, drain and slowmode for the pipeline; the filter's `OutageRefusals` is global).
 * HTTP routes get the same guard as the global `APP_GUARD`.
 */
@Module({
  imports: [PolicyModule, RealtimeModule, RateLimitModule, StreamsModule],
  providers: [
    AccessGuard,
    { provide: APP_GUARD, useExisting: AccessGuard },
    EnvelopeInterceptor,
    RequestPipelineInterceptor,
  ],
  exports: [PolicyModule, RealtimeModule, RateLimitModule, StreamsModule, EnvelopeInterceptor],
})
export class GatewayModule {}
