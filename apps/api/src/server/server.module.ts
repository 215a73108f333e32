import { Module } from '@nestjs/common';

import { ServerController } from './server.controller';
import { ServerInfoService } from './server-info.service';

/** `/api/server` and `/api/health`; `ServerInfoService` is exported for `session.get` and live config. */
@Module({
  controllers: [ServerController],
  providers: [ServerInfoService],
  exports: [ServerInfoService],
})
export class ServerModule {}
