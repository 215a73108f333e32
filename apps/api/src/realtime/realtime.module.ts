import { Module } from '@nestjs/common';
import { DrainInterceptor } from './drain.interceptor';
import { GracefulShutdown } from './graceful-shutdown';
import { PushService } from './push.service';

/**
 * The Socket.IO server's side that services use: pushes to rooms (`PushService`, handed the server
 * by `MpqchtIoAdapter` when it creates it) and the shutdown drain.
 */
@Module({
  providers: [PushService, GracefulShutdown, DrainInterceptor],
  exports: [PushService, GracefulShutdown, DrainInterceptor],
})
export class RealtimeModule {}
