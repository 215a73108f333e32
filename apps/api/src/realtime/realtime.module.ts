import { Module } from '@nestjs/common';

import { ClusterBus } from './cluster-bus';
import { DrainInterceptor } from './drain.interceptor';
import { GracefulShutdown } from './graceful-shutdown';
import { InProcessClusterBus } from './in-process-cluster-bus';
import { MemberRightsEvents } from './member-rights-events';
import { PushService } from './push.service';

/**
 * The Socket.IO server's side that services use: pushes to rooms (`PushService`, handed the server
 * by `MpqchtIoAdapter` when it creates it), the shutdown drain, and the `ClusterBus` between api
 * processes (the in-process one: a single process is the default).
 */
@Module({
  providers: [
    { provide: ClusterBus, useClass: InProcessClusterBus },
    PushService,
    GracefulShutdown,
    DrainInterceptor,
    MemberRightsEvents,
  ],
  exports: [ClusterBus, PushService, GracefulShutdown, DrainInterceptor, MemberRightsEvents],
})
export class RealtimeModule {}
