import {
  ConnectedSocket,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
} from '@nestjs/websockets';

import { EmptyRequest, JoinRequest, type MemberDto, type SessionDto } from '@mpqcht/protocol';

import { AllowBeforeJoin } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { MembersService } from '../members/members.service';
import { LoginPasses } from '../pow/login-passes';
import type { MpqchtServer, MpqchtSocket } from '../realtime/socket-session';
import { ServerInfoService } from '../server/server-info.service';
import { ConnectionLifecycle } from './connection-lifecycle';
import { HandshakeService } from './handshake.service';

/**
 * The life of a connection, translated to services: the handshake middleware (HandshakeService)
 * refuses any socket without a valid login before a handler can run; connects, disconnects and
 * joins go to ConnectionLifecycle.
 */
@RealtimeGateway()
export class SessionGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly handshake: HandshakeService,
    private readonly lifecycle: ConnectionLifecycle,
    private readonly members: MembersService,
    private readonly serverInfo: ServerInfoService,
    private readonly passes: LoginPasses,
  ) {}

  afterInit(server: MpqchtServer): void {
    server.use((socket, next) => {
      this.handshake.admit(socket, next);
    });
  }

  handleConnection(socket: MpqchtSocket): void {
    this.lifecycle.connected(socket);
  }

  handleDisconnect(socket: MpqchtSocket): void {
    this.lifecycle.disconnected(socket);
  }

  @AllowBeforeJoin()
  @SubscribeMessage('session.get')
  async session(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: EmptyRequest,
  ): Promise<SessionDto> {
    const session = socket.data.session;
    return {
      publicKey: session.publicKey,
      isRoot: session.isRoot,
      member: session.member ? await this.members.toDto(session.member) : null,
      server: this.serverInfo.info(),
      permissions: this.serverInfo.permissionsOf({
        isRoot: session.isRoot,
        roles: session.member?.roles ?? [],
      }),
      loginPass: await this.passes.issue(session.publicKey),
    };
  }

  @AllowBeforeJoin()
  @SubscribeMessage('member.join')
  join(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: JoinRequest): Promise<MemberDto> {
    return this.lifecycle.join(socket.data.session, request.displayName);
  }
}
