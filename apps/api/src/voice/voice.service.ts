import { Injectable } from '@nestjs/common';

import type {
  VoiceJoinedDto,
  VoiceParticipantDto,
  VoiceRoomDto,
  VoiceSignalRequest,
  VoiceUpdateRequest,
} from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import type { VoiceSettings } from '../config/community-config';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import type { RequestDecision } from '../policy/request-decision';
import { MemberRightsEvents } from '../realtime/member-rights-events';
import { PushService } from '../realtime/push.service';
import type { MemberRecord } from '../realtime/socket-session';
import { IceServers } from './ice-servers';
import { VoiceRooms } from './voice-rooms';

/**
 * Voice calls: who is in which voice channel's call, their state, and the relay of WebRTC
 * signalling between participants of one call. Media never passes through the server (a full
 * mesh between the participants, relayed by TURN where needed).
 */
@Injectable()
export class VoiceService {
  private readonly rooms = new VoiceRooms();

  constructor(
    private readonly config: AppConfig,
    private readonly policy: ChannelPolicy,
    private readonly push: PushService,
    private readonly ice: IceServers,
    rightsEvents: MemberRightsEvents,
  ) {
    rightsEvents.subscribe((member) => this.rightsChanged(member));
  }

  /**
   * New roles or a new config.toml: a member who may no longer join a call (no `view` or `connect`
   * there, or the channel is gone or no longer a voice channel) leaves it at once; one who may no
   * longer `speak` is muted by the server. Regaining `speak` does not unmute: the member (or a
   * moderator lifting a mute) does.
   */
  private rightsChanged(member: MemberRecord): void {
    const actor: Actor = {
      publicKey: member.publicKey,
      isRoot: this.config.current.rootKeys.has(member.publicKey),
      roles: member.roles,
    };
    for (const { socketId, channelId, serverMuted } of this.rooms.connectionsOf(member.publicKey)) {
      const rights = this.config.current.channelsById.get(channelId)?.voice
        ? this.policy.voiceRightsIfVisible(actor, channelId)
        : null;
      if (!rights?.connect) this.leave(socketId);
      else if (!rights.speak && !serverMuted) {
        this.rooms.serverMute(channelId, member.publicKey, true);
        this.announce(channelId);
      }
    }
  }

  /** The calls of the voice channels the member can view (empty ones too), in config.toml order. */
  roomsFor(actor: Actor): VoiceRoomDto[] {
    const voiceChannels = new Set(this.config.current.channels.filter((c) => c.voice).map((c) => c.id));
    return this.policy
      .visibleChannels(actor)
      .filter((id) => voiceChannels.has(id))
      .map((id) => this.rooms.room(id));
  }

  /** `connect` is the guard's decision; `speak` decides whether the member joins muted. */
  join(socketId: string, member: MemberRecord, decision: RequestDecision): VoiceJoinedDto {
    const { channelId, permissions } = decision;
    const voice = this.voiceSettings(channelId);
    const current = this.rooms.ofSocket(socketId);
    if (current?.channelId === channelId) {
      return this.joined(channelId, current.participant, voice, member.publicKey);
    }
    if (current) this.leave(socketId);
    const self = this.rooms.join(
      channelId,
      {
        socketId,
        publicKey: member.publicKey,
        displayName: member.displayName,
        canSpeak: permissions.flags.speak,
      },
      voice.maxParticipants,
    );
    this.announce(channelId);
    return this.joined(channelId, self, voice, member.publicKey);
  }

  leave(socketId: string): { channelId: string | null } {
    const channelId = this.rooms.leave(socketId);
    if (channelId !== null) this.announce(channelId);
    return { channelId };
  }

  /** The member's own state; a camera needs `video` and a screen `screen_share` in that channel. */
  update(socketId: string, actor: Actor, change: VoiceUpdateRequest): VoiceParticipantDto {
    const current = this.rooms.ofSocket(socketId);
    if (!current) throw new ProtocolError('not_in_voice', 'join a voice call first (voice.join)');
    if (change.camera === true) this.policy.requireChannel(actor, current.channelId, 'video');
    if (change.screen === true) this.policy.requireChannel(actor, current.channelId, 'screen_share');
    const { channelId, participant } = this.rooms.update(socketId, change);
    this.announce(channelId);
    return participant;
  }

  /** Relayed only to a participant of the sender's own call, and only to that connection. */
  signal(socketId: string, request: VoiceSignalRequest): Record<string, never> {
    const current = this.rooms.ofSocket(socketId);
    if (!current) throw new ProtocolError('not_in_voice', 'join a voice call first (voice.join)');
    const target = this.rooms.socketOf(current.channelId, request.to);
    if (target === null || target === socketId) {
      throw new ProtocolError('not_in_voice', 'no such participant in your call');
    }
    this.push.toSocket(target, 'voice.signal', {
      channelId: current.channelId,
      from: current.participant.participantId,
      ...(request.description ? { description: request.description } : {}),
      ...(request.streams ? { streams: request.streams } : {}),
      ...(request.candidate !== undefined ? { candidate: request.candidate } : {}),
    });
    return {};
  }

  /** A moderator's mute (`mute_members`, the guard's decision) of a member in the call. */
  mute(decision: RequestDecision, publicKey: string, muted: boolean): VoiceRoomDto {
    this.voiceSettings(decision.channelId);
    if (!this.rooms.serverMute(decision.channelId, publicKey, muted)) {
      throw new ProtocolError('not_in_voice', 'that member is not in this call');
    }
    this.announce(decision.channelId);
    return this.rooms.room(decision.channelId);
  }

  /** A connection closed (or was dropped for a kick or ban): out of its call at once. */
  disconnected(socketId: string): void {
    this.leave(socketId);
  }

  private voiceSettings(channelId: string): VoiceSettings {
    const voice = this.config.current.channelsById.get(channelId)?.voice;
    if (!voice) throw new ProtocolError('not_voice_channel', 'this is a text channel, not a voice channel');
    return voice;
  }

  private joined(
    channelId: string,
    self: VoiceParticipantDto,
    voice: VoiceSettings,
    publicKey: string,
  ): VoiceJoinedDto {
    return {
      room: this.rooms.room(channelId),
      self,
      ice: this.ice.iceServersFor(publicKey),
      bitrate: voice.bitrate,
    };
  }

  /** The call's participants, to every connection that can view the channel. */
  private announce(channelId: string): void {
    this.push.toChannel(channelId, 'voice.room', this.rooms.room(channelId));
  }
}
