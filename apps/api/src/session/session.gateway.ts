import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  SubscribeMessage,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { EmptyRequest, JoinRequest, type MemberDto, type SessionDto } from '@mpqcht/protocol';
import { AppConfig } from '../config/app-config';
import { FloodCooldown } from '../rate-limit/flood-cooldown';
import { KeyConnections } from '../rate-limit/key-connections';
import { RequestGate } from '../rate-limit/request-gate';
import { LoginService } from '../auth/login.service';
import { LoginRateLimiter } from '../rate-limit/login-rate-limiter';
import { ChannelsService } from '../channels/channels.service';
import { ProtocolError } from '../common/protocol-error';
import { DatabaseAvailability } from '../database/database-availability';
import { Payload } from '../gateway/payload.decorator';
import { MembersService } from '../members/members.service';
import { PresenceService } from '../members/presence.service';
import { AllowBeforeJoin } from '../gateway/access.decorators';
import { GracefulShutdown } from '../realtime/graceful-shutdown';
import { PushService } from '../realtime/push.service';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
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
    private readonly config: AppConfig,
    private readonly connections: KeyConnections,
    private readonly gate: RequestGate,
    private readonly cooldown: FloodCooldown,
    private readonly database: DatabaseAvailability,
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
      const refuse = (error: unknown) => {
        const refusal =
          error instanceof ProtocolError
            ? error
            : (this.database.refusalFor(error, 'handshake') ??
              new ProtocolError('internal_error', 'login failed on the server'));
        if (refusal !== error && refusal.code === 'internal_error')
          this.logger.error(error instanceof Error ? error.stack : String(error));
        const err = new Error(refusal.message) as Error & { data: unknown };
        err.data = refusal.toBody();
        next(err);
      };
      // Per-IP failed-login limit: checked before the proof is read (docs/protocol.md).
      const attempt = () => this.login.login(socket.handshake.auth);
      this.loginLimits.guard(socket.handshake.address, attempt).then((session) => {
        try {
          this.cooldown.check(session.publicKey, Date.now());
          this.connections.admit(socket, session.publicKey, this.config.current.connectionsPerKey);
        } catch (error) {
          refuse(error);
          return;
        }
        socket.data.session = session;
        // Before the socket can send anything: every event draws from the key's budget.
        this.gate.attach(socket);
        next();
      }, refuse);
    });
  }

  handleConnection(socket: MpqchtSocket): void {
    const session = socket.data.session;
    void socket.join(Rooms.member(session.publicKey));
    if (session.member) this.enter(socket, session.member, session.isRoot);
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
