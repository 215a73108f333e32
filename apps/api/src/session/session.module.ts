import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { ChannelsModule } from '../channels/channels.module';
import { GatewayModule } from '../gateway/gateway.module';
import { MembersModule } from '../members/members.module';
import { PowModule } from '../pow/pow.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { ServerModule } from '../server/server.module';
import { ConnectionLifecycle } from './connection-lifecycle';
import { HandshakeService } from './handshake.service';
import { SessionGateway } from './session.gateway';

/** A connection from handshake to disconnect: login, caps, rooms, presence, `session.get`, `member.join`. */
@Module({
  imports: [
    GatewayModule,
    RealtimeModule,
    RateLimitModule,
    AuthModule,
    MembersModule,
    PowModule,
    ChannelsModule,
    ServerModule,
  ],
  providers: [HandshakeService, ConnectionLifecycle, SessionGateway],
})
export class SessionModule {}
