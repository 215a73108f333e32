import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { ChannelSequenceEntity } from './channel-sequence.entity';
import { ChannelsGateway } from './channels.gateway';
import { ChannelsService } from './channels.service';
import { ReadMarkerEntity } from './read-marker.entity';
import { TypingService } from './typing.service';

/** Channels with read state, read markers, typing; who is in which channel room. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ChannelSequenceEntity, ReadMarkerEntity]),
    GatewayModule,
    PolicyModule,
    RealtimeModule,
  ],
  providers: [ChannelsService, TypingService, ChannelsGateway],
  exports: [ChannelsService],
})
export class ChannelsModule {}
