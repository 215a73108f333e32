import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { IceServers } from './ice-servers';
import { VoiceGateway } from './voice.gateway';
import { VoiceService } from './voice.service';

/** Voice calls in voice channels: membership, state, signalling relay, and ICE/TURN servers. */
@Module({
  imports: [GatewayModule, PolicyModule, RealtimeModule],
  providers: [IceServers, VoiceService, VoiceGateway],
  exports: [IceServers],
})
export class VoiceModule {}
