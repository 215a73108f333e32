import { Injectable } from '@nestjs/common';

import { TYPING_TTL_MS } from '@mpqcht/protocol';

import { PushService } from '../realtime/push.service';
import type { MemberRecord } from '../realtime/socket-session';

/** "Someone is typing": a push only, nothing stored; clients drop it after `expiresInMs`. */
@Injectable()
export class TypingService {
  constructor(private readonly push: PushService) {}

  /**
   * To the channel's room, which holds only the sockets of members who can view it; not to the
   * typist's own devices: they know they are typing.
   */
  started(member: MemberRecord, channelId: string): void {
    this.push.toChannelExceptMember(channelId, member.publicKey, 'typing.started', {
      channelId,
      publicKey: member.publicKey,
      displayName: member.displayName,
      expiresInMs: TYPING_TTL_MS,
    });
  }
}
