import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { InvitesController } from './invites.controller';
import { InvitesGateway } from './invites.gateway';
import { InvitesService } from './invites.service';

/**
 * Invite codes and their public preview (`GET /api/invites/:code`); `InvitesService` is exported for
 * their redemption in the login.
 */
@Module({
  imports: [GatewayModule, PolicyModule, RateLimitModule],
  controllers: [InvitesController],
  providers: [InvitesService, InvitesGateway],
  exports: [InvitesService],
})
export class InvitesModule {}
