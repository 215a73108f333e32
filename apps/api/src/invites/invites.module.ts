import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { InvitesGateway } from './invites.gateway';
import { InvitesService } from './invites.service';

/** Invite codes; `InvitesService` is exported for their redemption in the login. */
@Module({
  imports: [GatewayModule, PolicyModule],
  providers: [InvitesService, InvitesGateway],
  exports: [InvitesService],
})
export class InvitesModule {}
