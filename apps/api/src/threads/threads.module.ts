import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { ThreadArchiver } from './thread-archiver';
import { ThreadsGateway } from './threads.gateway';
import { ThreadsService } from './threads.service';

/** Threads as such (start, list, rename, lock, archive, delete, follow); their messages are `messages.*`. */
@Module({
  imports: [GatewayModule],
  providers: [ThreadsService, ThreadArchiver, ThreadsGateway],
})
export class ThreadsModule {}
