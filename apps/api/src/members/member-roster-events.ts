import { Injectable } from '@nestjs/common';

/** Someone who keeps a copy of the joined members' names (the MentionResolver, in messages/). */
export interface MemberRosterListener {
  memberJoined(publicKey: string, displayName: string): void;
  memberRemoved(publicKey: string): void;
}

/**
 * Tells listeners, synchronously and in order, that a member joined or was removed (revoked or
 * banned). Members sit below messages: messages subscribes here instead of members calling into
 * messages, which kept the two folders in a cycle.
 */
@Injectable()
export class MemberRosterEvents {
  private readonly listeners: MemberRosterListener[] = [];

  subscribe(listener: MemberRosterListener): void {
    this.listeners.push(listener);
  }

  joined(publicKey: string, displayName: string): void {
    for (const listener of this.listeners) listener.memberJoined(publicKey, displayName);
  }

  removed(publicKey: string): void {
    for (const listener of this.listeners) listener.memberRemoved(publicKey);
  }
}
