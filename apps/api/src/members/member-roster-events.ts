import { Injectable } from '@nestjs/common';

import { ClusterBus } from '../realtime/cluster-bus';

/** Someone who keeps a copy of the joined members' names (the MentionResolver, in messages/). */
export interface MemberRosterListener {
  memberJoined(publicKey: string, displayName: string): void;
  memberRemoved(publicKey: string): void;
}

/**
 * Tells listeners in every api process, through the `ClusterBus`, that a member joined or was
 * removed (revoked or banned); with the in-process bus, synchronously and in order. Members sit
 * below messages: messages subscribes here instead of members calling into messages, which kept
 * the two folders in a cycle.
 */
@Injectable()
export class MemberRosterEvents {
  constructor(private readonly bus: ClusterBus) {}

  subscribe(listener: MemberRosterListener): void {
    this.bus.subscribe('member.joined', ({ publicKey, displayName }) => {
      listener.memberJoined(publicKey, displayName);
    });
    this.bus.subscribe('member.removed', ({ publicKey }) => {
      listener.memberRemoved(publicKey);
    });
  }

  joined(publicKey: string, displayName: string): void {
    this.bus.publish('member.joined', { publicKey, displayName });
  }

  removed(publicKey: string): void {
    this.bus.publish('member.removed', { publicKey });
  }
}
