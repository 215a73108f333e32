import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { ChannelsModule } from '../channels/channels.module';
import { GatewayModule } from '../gateway/gateway.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { ServerModule } from '../server/server.module';
import { ConfigGateway } from './config.gateway';
import { ConfigEditorService } from './config-editor.service';
import { ConfigFollower } from './config-follower';
import { ConfigWatcher } from './config-watcher';
import { LiveConfigApplier } from './live-config-applier';

/**
 * Changing config.toml while running (`config.get`/`config.replace`, or the file edited on disk)
 * and bringing live sessions in line, in every api process (`ConfigFollower`). Above the features it touches, so none of them imports it.
 */
@Module({
  imports: [GatewayModule, RealtimeModule, AuditModule, ChannelsModule, ServerModule],
  providers: [LiveConfigApplier, ConfigWatcher, ConfigEditorService, ConfigFollower, ConfigGateway],
})
export class LiveConfigModule {}
