import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { ChannelsGateway } from './channels.gateway';
import { ChannelsService } from './channels.service';
import { TypingService } from './typing.service';

/** Channels with read state, read markers, typing; who is in which channel room. */
@Module({
  imports: [GatewayModule, PolicyModule, RealtimeModule],
  providers: [ChannelsService, TypingService, ChannelsGateway],
  exports: [ChannelsService],
})
export class ChannelsModule {}
