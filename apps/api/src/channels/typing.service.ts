import { Injectable } from '@nestjs/common';

import { TYPING_TTL_MS } from '@mpqcht/protocol';

import type { RequestDecision } from '../policy/request-decision';
import { PushService } from '../realtime/push.service';
import type { MemberRecord } from '../realtime/socket-session';

/** "Someone is typing": a push only, nothing stored; clients drop it after `expiresInMs`. */
@Injectable()
export class TypingService {
  constructor(private readonly push: PushService) {}

  /**
   * To the channel's room, which holds only the sockets of members who can view it (a thread's
   * typing too, named by the thread's stream); not to the typist's own devices: they know they are
   * typing.
   */
  started(member: MemberRecord, { streamId, channelId }: RequestDecision): void {
    this.push.toChannelExceptMember(channelId, member.publicKey, 'typing.started', {
      channelId: streamId,
      publicKey: member.publicKey,
      displayName: member.displayName,
      expiresInMs: TYPING_TTL_MS,
    });
  }
}
