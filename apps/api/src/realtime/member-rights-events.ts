import { Injectable } from '@nestjs/common';

import type { MemberRecord } from './socket-session';

type Listener = (member: MemberRecord) => void;

/**
 * "A member's rights changed" (their roles, or config.toml), told in this process after their live
 * sockets have the new roles: features that hold per-member live state (voice calls) bring it in
 * line. A leaf, so the feature that notices (channels) needs no import of the ones that care.
 */
@Injectable()
export class MemberRightsEvents {
  private readonly listeners: Listener[] = [];

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }

  changed(member: MemberRecord): void {
    for (const listener of this.listeners) listener(member);
  }
}
