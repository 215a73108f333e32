import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import type { ServerPermission } from '../config/community-config';
import { ProtocolError } from '../common/protocol-error';
import { hasServerPermission } from '../members/server-permissions';
import { ALLOW_BEFORE_JOIN, REQUIRED_PERMISSION } from './access.decorators';
import type { MpqchtSocket } from './socket-session';

/**
 * The one authorization gate for realtime events: the socket's session must exist (the handshake
 * made it), must have joined unless the handler allows otherwise, and must hold the handler's
 * permission. Refusals are errors with a code, never a silent `false`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const socket = context.switchToWs().getClient<MpqchtSocket>();
    const session = socket.data.session;
    const targets = [context.getHandler(), context.getClass()];
    const allowBeforeJoin = this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_BEFORE_JOIN, targets);
    if (!session.member && !allowBeforeJoin) {
      throw new ProtocolError('not_joined', 'join the server first (member.join with a display name)');
    }
    const permission = this.reflector.getAllAndOverride<ServerPermission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    if (permission && !hasServerPermission(session, permission, this.config.current)) {
      throw new ProtocolError('forbidden', `this needs the "${permission}" permission`);
    }
    return true;
  }
}
