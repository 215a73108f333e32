import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import {
  CreateInviteRequest,
  EmptyRequest,
  type InviteCreatedDto,
  type InviteDto,
  RevokeInviteRequest,
} from '@mpqcht/protocol';

import { RequirePermission } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, type MpqchtSocket } from '../realtime/socket-session';
import { InvitesService } from './invites.service';

@RealtimeGateway()
export class InvitesGateway {
  constructor(private readonly invites: InvitesService) {}

  @RequirePermission('invite')
  @SubscribeMessage('invites.create')
  create(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof CreateInviteRequest>,
  ): Promise<InviteCreatedDto> {
    return this.invites.create(actorOf(socket), request);
  }

  @RequirePermission('invite')
  @SubscribeMessage('invites.list')
  list(@Payload() _request: EmptyRequest): Promise<InviteDto[]> {
    return this.invites.list();
  }

  @RequirePermission('invite')
  @SubscribeMessage('invites.revoke')
  revoke(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof RevokeInviteRequest>,
  ): Promise<InviteDto> {
    return this.invites.revoke(actorOf(socket), request);
  }
}
