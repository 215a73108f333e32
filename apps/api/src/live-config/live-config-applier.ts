import { Injectable } from '@nestjs/common';

import { ChannelsService } from '../channels/channels.service';
import { AppConfig } from '../config/app-config';
import { PushService } from '../realtime/push.service';
import type { MemberRecord } from '../realtime/socket-session';
import { ServerInfoService } from '../server/server-info.service';

/**
 * Brings live sessions in line with a config.toml that just changed: roots follow `root_keys`,
 * every member's sockets get the rooms and `channels.changed` of their new rights (channels appear
 * and disappear, writes are refused) without reconnecting, and everyone gets the new server info.
 */
@Injectable()
export class LiveConfigApplier {
  constructor(
    private readonly config: AppConfig,
    private readonly push: PushService,
    private readonly channels: ChannelsService,
    private readonly serverInfo: ServerInfoService,
  ) {}

  async apply(): Promise<void> {
    const { rootKeys } = this.config.current;
    const members = new Map<string, MemberRecord>();
    // This process's sessions: each process applies a new config.toml to its own (ClusterBus).
    for (const session of this.push.localSessions()) {
      session.isRoot = rootKeys.has(session.publicKey);
      if (session.member) members.set(session.publicKey, session.member);
    }
    for (const member of members.values()) await this.channels.memberRightsChanged(member);
    this.push.toAllMembers('server.updated', this.serverInfo.info());
  }
}
