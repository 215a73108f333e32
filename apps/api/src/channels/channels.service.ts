import { Injectable } from '@nestjs/common';

import type { PermissionSubject } from '@mpqcht/permissions';
import type { ChannelListDto, ChannelViewersDto, ReadStateDto } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import { noSuchMessage } from '../policy/hidden-refusals';
import type { RequestDecision } from '../policy/request-decision';
import { READ_STATE_SQL, type ReadStateRow, toReadState } from '../read-state/read-state-sql';
import { MemberRightsEvents } from '../realtime/member-rights-events';
import { PushService } from '../realtime/push.service';
import type { MemberRecord } from '../realtime/socket-session';

/** Channels come from config.toml; their counters and read markers from the database. */
@Injectable()
export class ChannelsService {
  constructor(
    private readonly config: AppConfig,
    private readonly sql: Sql,
    private readonly policy: ChannelPolicy,
    private readonly push: PushService,
    private readonly rightsEvents: MemberRightsEvents,
  ) {}

  /** The channels whose pushes a member's sockets receive: the ones they can view. */
  visibleChannelIds(subject: PermissionSubject): string[] {
    return this.policy.visibleChannels(subject);
  }

  /** The channels the member can view, with their read state, and the groups that hold any of them. */
  async list(actor: Actor): Promise<ChannelListDto> {
    const { groups, channelsById } = this.config.current;
    const channels = this.visibleChannelIds(actor).flatMap((id) => channelsById.get(id) ?? []);
    const rows = await this.sql.rows<ReadStateRow>(READ_STATE_SQL, [
      actor.publicKey,
      channels.map((c) => c.id),
    ]);
    const byId = new Map(rows.map((row) => [row.channel_id, row]));
    const usedGroups = new Set(channels.map((c) => c.groupId));
    return {
      groups: groups.filter((g) => usedGroups.has(g.id)).map((g) => ({ id: g.id, name: g.name })),
      channels: channels.flatMap((channel) => {
        const row = byId.get(channel.id);
        if (!row) return [];
        return [
          {
            id: channel.id,
            name: channel.name,
            groupId: channel.groupId,
            topic: channel.topic,
            lastSeq: Number(row.last_seq),
            lastRev: Number(row.last_rev),
            readState: toReadState(row),
            rights: this.policy.rights(actor, channel.id),
            ...(channel.voice
              ? { voice: { ...channel.voice, rights: this.policy.voiceRights(actor, channel.id) } }
              : {}),
          },
        ];
      }),
    };
  }

  /**
   * The joined members who can view a channel (the AccessGuard checked that the caller can), in
   * the order they joined: whom a mention there reaches, so a client offers only them. Resolved
   * from config.toml's current permissions and the members' roles when asked.
   */
  async viewers({ streamId, channelId }: RequestDecision): Promise<ChannelViewersDto> {
    const rows = await this.sql.rows<{ public_key: string; roles: string[] }>(
      `SELECT public_key, roles FROM members
       WHERE display_name IS NOT NULL AND joined_at IS NOT NULL ORDER BY joined_at, public_key`,
    );
    const { rootKeys } = this.config.current;
    const publicKeys = rows
      .filter((row) =>
        this.policy.canView({ isRoot: rootKeys.has(row.public_key), roles: row.roles }, channelId),
      )
      .map((row) => row.public_key);
    return { channelId: streamId, publicKeys };
  }

  /**
   * A member's roles changed: their live sockets get the new roles at once (the guard decides with
   * them from now on) and leave the rooms of channels they can no longer view, so those pushes stop
   * before anything else happens; then, once their new channel list is read, the sockets join the
   * newly visible rooms and receive `channels.changed` with that list, in one step, so every push
   * of a new channel arrives after the list that names it. No reconnect is needed.
   */
  async memberRightsChanged(member: MemberRecord): Promise<void> {
    const actor: Actor = {
      publicKey: member.publicKey,
      isRoot: this.config.current.rootKeys.has(member.publicKey),
      roles: member.roles,
    };
    const sockets = await this.push.updateSessions(member);
    if (sockets.length === 0) return;
    // Live state elsewhere (a voice call the member may no longer join) follows the new rights.
    this.rightsEvents.changed(member);
    const visible = this.visibleChannelIds(actor);
    for (const socket of sockets) this.push.leaveChannelRoomsExcept(socket, visible);
    const list = await this.list(actor);
    for (const socket of sockets) this.push.joinChannelRooms(socket, visible);
    this.push.toMember(member.publicKey, 'channels.changed', list);
  }

  /**
   * Moves the member's read marker forward to a message (never backwards) and returns the new
   * state, which the member's other devices get too (their unread counts follow). The channel is
   * the AccessGuard's decision (one the member can view).
   */
  async markRead(memberKey: string, { streamId }: RequestDecision, messageId: string): Promise<ReadStateDto> {
    const updated = await this.sql.rows<unknown>(
      `INSERT INTO read_markers AS r (member_key, channel_id, last_read_seq, last_read_message_id, updated_at)
       SELECT $1, m.channel_id, m.seq, m.id, now() FROM messages m WHERE m.id = $3 AND m.channel_id = $2
       ON CONFLICT (member_key, channel_id) DO UPDATE
         SET last_read_seq = EXCLUDED.last_read_seq, last_read_message_id = EXCLUDED.last_read_message_id,
             updated_at = now()
         WHERE r.last_read_seq < EXCLUDED.last_read_seq
       RETURNING 1`,
      [memberKey, streamId, messageId],
    );
    if (updated.length === 0) {
      const exists = await this.sql.rows<unknown>(
        'SELECT 1 FROM messages WHERE id = $1 AND channel_id = $2',
        [messageId, streamId],
      );
      if (exists.length === 0) throw noSuchMessage();
    }
    const rows = await this.sql.rows<ReadStateRow>(READ_STATE_SQL, [memberKey, [streamId]]);
    const row = rows[0];
    if (!row) throw new Error('read state query returned no row');
    const state = toReadState(row);
    this.push.toMember(memberKey, 'readState.updated', state);
    return state;
  }
}
