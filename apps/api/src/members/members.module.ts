import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { MemberRosterEvents } from './member-roster-events';
import { MembersGateway } from './members.gateway';
import { MembersService } from './members.service';
import { PresenceService } from './presence.service';

/** Authorized keys and members, bans, presence; tells `MemberRosterEvents` of joins and removals. */
@Module({
  imports: [GatewayModule, PolicyModule, RealtimeModule, ChannelsModule],
  providers: [MembersService, PresenceService, MemberRosterEvents, MembersGateway],
  exports: [MembersService, PresenceService, MemberRosterEvents],
})
export class MembersModule {}
