import { Module } from '@nestjs/common';
import { ServerInfoService } from './server-info.service';
import { ServerController } from './server.controller';

/** `/api/server` and `/api/health`; `ServerInfoService` is exported for `session.get` and live config. */
@Module({
  controllers: [ServerController],
  providers: [ServerInfoService],
  exports: [ServerInfoService],
})
export class ServerModule {}
