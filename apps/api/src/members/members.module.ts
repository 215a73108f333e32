import { Module } from '@nestjs/common';

import { ChannelsModule } from '../channels/channels.module';
import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { InProcessPresenceStore } from './in-process-presence-store';
import { MemberRosterEvents } from './member-roster-events';
import { MembersGateway } from './members.gateway';
import { MembersService } from './members.service';
import { PresenceStore } from './presence-store';

/** Authorized keys and members, bans, presence; tells `MemberRosterEvents` of joins and removals. */
@Module({
  imports: [GatewayModule, PolicyModule, RealtimeModule, ChannelsModule],
  providers: [
    MembersService,
    // One process by default; a shared store replaces it when the api is scaled out.
    { provide: PresenceStore, useClass: InProcessPresenceStore },
    MemberRosterEvents,
    MembersGateway,
  ],
  exports: [MembersService, PresenceStore, MemberRosterEvents],
})
export class MembersModule {}
