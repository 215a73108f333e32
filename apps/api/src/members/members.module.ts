import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChannelsModule } from '../channels/channels.module';
import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { MemberEntity } from './member.entity';
import { MemberRosterEvents } from './member-roster-events';
import { MembersGateway } from './members.gateway';
import { MembersService } from './members.service';
import { PresenceService } from './presence.service';

/** Authorized keys and members, bans, presence; tells `MemberRosterEvents` of joins and removals. */
@Module({
  imports: [
    TypeOrmModule.forFeature([MemberEntity]),
    GatewayModule,
    PolicyModule,
    RealtimeModule,
    ChannelsModule,
  ],
  providers: [MembersService, PresenceService, MemberRosterEvents, MembersGateway],
  exports: [MembersService, PresenceService, MemberRosterEvents],
})
export class MembersModule {}
