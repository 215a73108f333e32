import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  SubscribeMessage,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  EmptyRequest,
  JoinRequest,
  REQUEST_SCHEMAS,
  type MemberDto,
  type SessionDto,
} from '@mpqcht/protocol';
import { LoginService } from '../auth/login.service';
import { LoginRateLimiter } from '../rate-limit/login-rate-limiter';
import { ChannelsService } from '../channels/channels.service';
import { ProtocolError } from '../common/protocol-error';
import { Payload } from '../realtime/payload.decorator';
import { MembersService } from '../members/members.service';
import { PresenceService } from '../members/presence.service';
import { AllowBeforeJoin } from '../realtime/access.decorators';
import { GracefulShutdown } from '../realtime/graceful-shutdown';
import { PushService } from '../realtime/push.service';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { Rooms, type MemberRecord, type MpqchtServer, type MpqchtSocket } from '../realtime/socket-session';
import { ServerInfoService } from '../server/server-info.service';

/**
 * The life of a connection: the handshake middleware refuses any socket without a valid login
 * before a handler can run; a joined member's sockets enter their rooms and count for presence.
 */
@RealtimeGateway()
export class SessionGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('Session');

  constructor(
    private readonly login: LoginService,
    private readonly loginLimits: LoginRateLimiter,
    private readonly members: MembersService,
    private readonly channels: ChannelsService,
    private readonly presence: PresenceService,
    private readonly push: PushService,
    private readonly serverInfo: ServerInfoService,
    private readonly shutdown: GracefulShutdown,
  ) {}

  afterInit(server: MpqchtServer): void {
    this.push.attach(server);
    server.use((socket, next) => {
      if (this.shutdown.isDraining) {
        const err = new Error('the server is restarting') as Error & { data: unknown };
        err.data = this.shutdown.refusal().toBody();
        next(err);
        return;
      }
      // Per-IP failed-login limit: checked before the proof is read (docs/protocol.md).
      const attempt = () => this.login.login(socket.handshake.auth);
      this.loginLimits.guard(socket.handshake.address, attempt).then(
        (session) => {
          socket.data.session = session;
          next();
        },
        (error: unknown) => {
          const refusal =
            error instanceof ProtocolError
              ? error
              : new ProtocolError('internal_error', 'login failed on the server');
          if (!(error instanceof ProtocolError))
            this.logger.error(error instanceof Error ? error.stack : String(error));
          const err = new Error(refusal.message) as Error & { data: unknown };
          err.data = refusal.toBody();
          next(err);
        },
      );
    });
  }

  handleConnection(socket: MpqchtSocket): void {
    const session = socket.data.session;
    void socket.join(Rooms.member(session.publicKey));
    if (session.member) this.enter(socket, session.member, session.isRoot);
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (!Object.hasOwn(REQUEST_SCHEMAS, event) && typeof ack === 'function') {
        (ack as (body: unknown) => void)({
          ok: false,
          error: { code: 'unknown_event', message: `"${event}" is not an event of this protocol` },
        });
      }
    });
  }

  handleDisconnect(socket: MpqchtSocket): void {
    const member = socket.data.session.member;
    if (member && this.presence.disconnected(member.publicKey, socket.id)) {
      this.push.toAllMembers('presence.updated', { publicKey: member.publicKey, online: false });
    }
  }

  @AllowBeforeJoin()
  @SubscribeMessage('session.get')
  session(@ConnectedSocket() socket: MpqchtSocket, @Payload() _request: EmptyRequest): SessionDto {
    const session = socket.data.session;
    return {
      publicKey: session.publicKey,
      isRoot: session.isRoot,
      member: session.member ? this.members.toDto(session.member) : null,
      server: this.serverInfo.info(),
      permissions: this.serverInfo.permissionsOf({
        isRoot: session.isRoot,
        roles: session.member?.roles ?? [],
      }),
    };
  }

  @AllowBeforeJoin()
  @SubscribeMessage('member.join')
  async join(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: JoinRequest): Promise<MemberDto> {
    const session = socket.data.session;
    const member = await this.members.join(session, request.displayName);
    // Every socket of this key joins now, not just the one that asked.
    for (const own of await this.push.updateSessions(session.publicKey, member)) {
      this.enter(own, member, session.isRoot);
    }
    const dto = this.members.toDto(member);
    this.push.toAllMembers('member.joined', dto);
    return dto;
  }

  /** A joined member's socket: into the rooms of the channels they can view, and online. */
  private enter(socket: Pick<MpqchtSocket, 'id' | 'join'>, member: MemberRecord, isRoot: boolean): void {
    const visible = this.channels.visibleChannelIds({ isRoot, roles: member.roles });
    void socket.join([Rooms.members, ...visible.map(Rooms.channel)]);
    if (this.presence.connected(member.publicKey, socket.id)) {
      this.push.toAllMembers('presence.updated', { publicKey: member.publicKey, online: true });
    }
  }
}
