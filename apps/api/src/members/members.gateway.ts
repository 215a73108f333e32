import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import {
  AuthorizeMemberRequest,
  EmptyRequest,
  RevokeMemberRequest,
  type AuthorizedKeyDto,
  type MemberDto,
} from '@mpqcht/protocol';
import type { z } from 'zod';
import { Payload } from '../realtime/payload.decorator';
import { RequirePermission } from '../realtime/access.decorators';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import type { MpqchtSocket } from '../realtime/socket-session';
import { MembersService } from './members.service';

@RealtimeGateway()
export class MembersGateway {
  constructor(private readonly members: MembersService) {}

  @SubscribeMessage('members.list')
  list(@Payload() _request: EmptyRequest): Promise<MemberDto[]> {
    return this.members.list();
  }

  @RequirePermission('manage_members')
  @SubscribeMessage('members.authorize')
  authorize(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof AuthorizeMemberRequest>,
  ): Promise<AuthorizedKeyDto> {
    return this.members.authorize(socket.data.session.publicKey, request.publicKey, request.roles);
  }

  @RequirePermission('manage_members')
  @SubscribeMessage('members.revoke')
  revoke(@Payload() request: RevokeMemberRequest): Promise<{ publicKey: string }> {
    return this.members.revoke(request.publicKey);
  }
}
