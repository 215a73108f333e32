import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import { MEMBER_ACTION_PERMISSIONS } from '@mpqcht/permissions';
import {
  type AuthorizedKeyDto,
  AuthorizeMemberRequest,
  type BanDto,
  BanRequest,
  EmptyRequest,
  KickRequest,
  type MemberDto,
  type MemberRolesDto,
  MembersPageRequest,
  RevokeMemberRequest,
  SetRolesRequest,
  UnbanRequest,
} from '@mpqcht/protocol';

import { RequirePermission } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, type MpqchtSocket, Rooms } from '../realtime/socket-session';
import { MembersService } from './members.service';

@RealtimeGateway()
export class MembersGateway {
  constructor(private readonly members: MembersService) {}

  @SubscribeMessage('members.list')
  list(@Payload() request: z.output<typeof MembersPageRequest>): Promise<MemberDto[]> {
    return this.members.list(request);
  }

  /**
   * The list, kept live: the socket enters the roster room first, so a change after the list was
   * read is pushed to it (the client applies pushes that arrive before the answer after it). With
   * `limit`, the answer is the first page (or the page after `after`); the rest comes with
   * `members.list`, and the pushes cover the whole list.
   */
  @SubscribeMessage('members.subscribe')
  async subscribe(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof MembersPageRequest>,
  ): Promise<MemberDto[]> {
    await socket.join(Rooms.roster);
    return this.members.list(request);
  }

  @SubscribeMessage('members.unsubscribe')
  async unsubscribe(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: EmptyRequest,
  ): Promise<Record<string, never>> {
    await socket.leave(Rooms.roster);
    return {};
  }

  @RequirePermission('manage_members')
  @SubscribeMessage('members.authorize')
  authorize(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof AuthorizeMemberRequest>,
  ): Promise<AuthorizedKeyDto> {
    return this.members.authorize(actorOf(socket), request.publicKey, request.roles);
  }

  @RequirePermission(MEMBER_ACTION_PERMISSIONS.revoke)
  @SubscribeMessage('members.revoke')
  revoke(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: RevokeMemberRequest,
  ): Promise<{ publicKey: string }> {
    return this.members.revoke(actorOf(socket), request.publicKey);
  }

  @RequirePermission(MEMBER_ACTION_PERMISSIONS.setRoles)
  @SubscribeMessage('members.setRoles')
  setRoles(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: SetRolesRequest,
  ): Promise<MemberRolesDto> {
    return this.members.setRoles(actorOf(socket), request.publicKey, request.roles);
  }

  @RequirePermission(MEMBER_ACTION_PERMISSIONS.kick)
  @SubscribeMessage('members.kick')
  kick(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: KickRequest,
  ): Promise<{ publicKey: string }> {
    return this.members.kick(actorOf(socket), request.publicKey, request.reason);
  }

  @RequirePermission(MEMBER_ACTION_PERMISSIONS.ban)
  @SubscribeMessage('members.ban')
  ban(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: BanRequest): Promise<BanDto> {
    return this.members.ban(actorOf(socket), request.publicKey, request.reason);
  }

  @RequirePermission('ban')
  @SubscribeMessage('members.unban')
  unban(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: UnbanRequest,
  ): Promise<{ publicKey: string }> {
    return this.members.unban(actorOf(socket), request.publicKey);
  }

  @RequirePermission('ban')
  @SubscribeMessage('bans.list')
  bans(@Payload() _request: EmptyRequest): Promise<BanDto[]> {
    return this.members.bans();
  }
}
