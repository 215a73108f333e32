import { Injectable, Logger } from '@nestjs/common';

import type { MemberDto } from '@mpqcht/protocol';

import { ChannelsService } from '../channels/channels.service';
import { MembersService } from '../members/members.service';
import { PresenceStore } from '../members/presence-store';
import { type ChannelRoomMember, PushService } from '../realtime/push.service';
import { type MemberRecord, type MpqchtSocket, Rooms, type SocketSession } from '../realtime/socket-session';

/**
 * What happens to an admitted socket: it enters its key's room at once, and a joined member's
 * sockets enter the rooms of the channels they can view and count for presence (connect, join,
 * disconnect). The sockets watching the member list are told when a member comes online, goes
 * offline or joins.
 */
@Injectable()
export class ConnectionLifecycle {
  private readonly logger = new Logger('Presence');

  constructor(
    private readonly members: MembersService,
    private readonly channels: ChannelsService,
    private readonly presence: PresenceStore,
    private readonly push: PushService,
  ) {}

  connected(socket: MpqchtSocket): void {
    const session = socket.data.session;
    void socket.join(Rooms.member(session.publicKey));
    if (session.member) this.settle(this.enter(socket, session.member, session.isRoot));
  }

  disconnected(socket: MpqchtSocket): void {
    const member = socket.data.session.member;
    if (member) this.settle(this.left(member.publicKey, socket.id));
  }

  async join(session: SocketSession, displayName: string): Promise<MemberDto> {
    const member = await this.members.join(session, displayName);
    // Every socket of this key joins now, not just the one that asked.
    for (const own of await this.push.updateSessions(member)) {
      await this.enter(own, member, session.isRoot);
    }
    const dto = await this.members.toDto(member);
    this.push.toRosterWatchers('member.joined', dto);
    return dto;
  }

  /** A joined member's socket: into the rooms of the channels they can view, and online. */
  private async enter(
    socket: Pick<ChannelRoomMember, 'id' | 'join'>,
    member: MemberRecord,
    isRoot: boolean,
  ): Promise<void> {
    const visible = this.channels.visibleChannelIds({ isRoot, roles: member.roles });
    void socket.join([Rooms.members, ...visible.map(Rooms.channel)]);
    if (await this.presence.connected(member.publicKey, socket.id)) {
      this.push.toRosterWatchers('presence.updated', { publicKey: member.publicKey, online: true });
    }
  }

  private async left(publicKey: string, socketId: string): Promise<void> {
    if (await this.presence.disconnected(publicKey, socketId)) {
      this.push.toRosterWatchers('presence.updated', { publicKey, online: false });
    }
  }

  /** Connect and disconnect have no one to answer: a presence store that fails is logged. */
  private settle(work: Promise<void>): void {
    work.catch((error: unknown) => {
      this.logger.error(`presence not updated: ${String(error)}`);
    });
  }
}
