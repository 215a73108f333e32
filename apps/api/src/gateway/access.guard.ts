import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { ChannelFlag, ServerPermission } from '@mpqcht/permissions';
import { streamId as streamIdField, threadIdOf } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { ChannelPolicy } from '../policy/channel-policy';
import { recordDecision } from '../policy/request-decision';
import { type MpqchtSocket, subjectOf } from '../realtime/socket-session';
import { ThreadDirectory } from '../streams/thread-directory';
import type { ThreadRecord } from '../streams/thread-record';
import { ALLOW_BEFORE_JOIN, REQUIRED_CHANNEL_FLAG, REQUIRED_PERMISSION } from './access.decorators';
import { requestEvent, validatePayload } from './payload.decorator';

/**
 * The one authorization gate, for Socket.IO events and HTTP routes alike; it reads the handler's
 * and the class's metadata (`@AllowBeforeJoin()`, `@RequirePermission()`, `@RequireChannel()`) and
 * decides through the `ChannelPolicy`. Refusals are errors with a code, never a silent `false`.
 *
 * - Socket.IO: the socket's session must exist (the handshake made it), must have joined unless
 *   the handler allows otherwise, must hold the handler's server permission, and the payload's
 *   `channelId` must be a channel the member can view (`not_found` otherwise, as for an unknown
 *   channel) in which they hold the handler's flag (`forbidden` otherwise). That decision (the
 *   channel and the member's permissions there) is recorded for the rest of the request
 *   (`RequestDecision`), so slowmode and the handler's `@Decision()` read it instead of deciding again.
 * - HTTP has no member session: routes are public unless decorated, and a decorated one is refused
 *   with `forbidden`.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: ChannelPolicy,
    private readonly threads: ThreadDirectory,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const permission = this.reflector.getAllAndOverride<ServerPermission | undefined>(
      REQUIRED_PERMISSION,
      targets,
    );
    const flag = this.reflector.getAllAndOverride<ChannelFlag | undefined>(REQUIRED_CHANNEL_FLAG, targets);
    if (context.getType() !== 'ws') {
      if (permission || flag) {
        throw new ProtocolError('forbidden', 'this route needs a member session, which HTTP does not have');
      }
      return true;
    }

    const session = context.switchToWs().getClient<MpqchtSocket>().data.session;
    const allowBeforeJoin = this.reflector.getAllAndOverride<boolean | undefined>(ALLOW_BEFORE_JOIN, targets);
    if (!session.member && !allowBeforeJoin) {
      throw new ProtocolError('not_joined', 'join the server first (member.join with a display name)');
    }
    const subject = subjectOf(session);
    if (permission) this.policy.requireServerPermission(subject, permission);
    if (!flag) return true;
    const streamId = this.streamIdOf(context);
    // Recorded for slowmode, `@Decision()` and the services: nothing after this resolves again.
    const decide = (thread: ThreadRecord | null) => {
      recordDecision(context, {
        streamId,
        channelId: thread ? thread.channelId : streamId,
        thread,
        permissions: this.policy.requireStream(subject, streamId, thread, flag),
      });
      return true;
    };
    if (threadIdOf(streamId) === null) return decide(null);
    return this.threads.find(streamId).then(decide);
  }

  /**
   * The payload's `channelId` (a channel or a thread), read before the handler's `@Payload()`
   * validates the whole payload.
   */
  private streamIdOf(context: ExecutionContext): string {
    const data: unknown = context.switchToWs().getData();
    const value =
      typeof data === 'object' && data !== null && 'channelId' in data ? data.channelId : undefined;
    const parsed = streamIdField.safeParse(value);
    if (parsed.success) return parsed.data;
    // No usable channel id: the payload's validation says why, with every issue (validation_failed).
    validatePayload(context);
    throw new Error(`@RequireChannel() on ${requestEvent(context)}, whose payload has no channelId`);
  }
}
