import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { MemberRosterEvents } from '../members/member-roster-events';
import { MembersModule } from '../members/members.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { CatchUpService } from './catch-up.service';
import { MentionResolver } from './mention-resolver';
import { MessageBatchWriter } from './message-batch-writer';
import { MessagesGateway } from './messages.gateway';
import { MessagesService } from './messages.service';

/** Send, edit, delete, history and catch-up; mentions resolved from an in-memory name list. */
@Module({
  imports: [GatewayModule, PolicyModule, RealtimeModule, MembersModule],
  providers: [MentionResolver, MessageBatchWriter, MessagesService, CatchUpService, MessagesGateway],
})
export class MessagesModule {
  // The resolver's name list follows joins and removals from here on, before any request is served.
  constructor(roster: MemberRosterEvents, mentions: MentionResolver) {
    roster.subscribe(mentions);
  }
}
