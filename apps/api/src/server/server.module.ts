import { Module } from '@nestjs/common';

import { SearchIndexModule } from '../search-index/search-index.module';
import { ServerController } from './server.controller';
import { ServerInfoService } from './server-info.service';

/** `/api/server` and `/api/health`; `ServerInfoService` is exported for `session.get` and live config. */
@Module({
  imports: [SearchIndexModule],
  controllers: [ServerController],
  providers: [ServerInfoService],
  exports: [ServerInfoService],
})
export class ServerModule {}
