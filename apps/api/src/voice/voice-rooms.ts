import { randomUUID } from 'node:crypto';

import type { VoiceParticipantDto, VoiceRoomDto } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';

/** A connection in a call: the participant as others see it, and the socket signals go to. */
interface Participant {
  socketId: string;
  channelId: string;
  state: VoiceParticipantDto;
}

export interface JoiningMember {
  readonly socketId: string;
  readonly publicKey: string;
  readonly displayName: string;
  /** Without `speak` the member joins muted by the server and cannot unmute. */
  readonly canSpeak: boolean;
}

export type VoiceStateChange = Partial<
  Pick<VoiceParticipantDto, 'muted' | 'deafened' | 'camera' | 'screen' | 'speaking'>
>;

/**
 * Who is in which voice call, in this process's memory: a call is live state that ends with its
 * connections, so nothing is stored, and a restart ends every call (clients rejoin). One call per
 * connection. Every method is synchronous, so two joins can never both take the last place.
 * (Several api processes: see docs/operations.md, Voice.)
 */
export class VoiceRooms {
  private readonly rooms = new Map<string, Map<string, Participant>>();
  private readonly bySocket = new Map<string, Participant>();

  room(channelId: string): VoiceRoomDto {
    const participants = [...(this.rooms.get(channelId)?.values() ?? [])].map((p) => p.state);
    return { channelId, participants };
  }

  /** The calls that have anyone in them. */
  activeChannels(): string[] {
    return [...this.rooms.keys()];
  }

  /** The call this connection is in, if any. */
  ofSocket(socketId: string): { channelId: string; participant: VoiceParticipantDto } | null {
    const p = this.bySocket.get(socketId);
    return p ? { channelId: p.channelId, participant: p.state } : null;
  }

  /** Every connection of `publicKey` in a call, with its call. */
  connectionsOf(publicKey: string): { socketId: string; channelId: string; serverMuted: boolean }[] {
    return [...this.bySocket.values()]
      .filter((p) => p.state.publicKey === publicKey)
      .map((p) => ({ socketId: p.socketId, channelId: p.channelId, serverMuted: p.state.serverMuted }));
  }

  /** The socket a participant's signals go to, when it is in `channelId`'s call. */
  socketOf(channelId: string, participantId: string): string | null {
    return this.rooms.get(channelId)?.get(participantId)?.socketId ?? null;
  }

  /** Joins the connection to the call (`voice_full` when it has `maxParticipants` already). */
  join(channelId: string, member: JoiningMember, maxParticipants: number): VoiceParticipantDto {
    const room = this.rooms.get(channelId) ?? new Map<string, Participant>();
    if (room.size >= maxParticipants) {
      throw new ProtocolError('voice_full', `this call is full (${maxParticipants} participants)`, {
        maxParticipants,
      });
    }
    const state: VoiceParticipantDto = {
      participantId: randomUUID(),
      publicKey: member.publicKey,
      displayName: member.displayName,
      muted: !member.canSpeak,
      deafened: false,
      camera: false,
      screen: false,
      speaking: false,
      serverMuted: !member.canSpeak,
    };
    const participant = { socketId: member.socketId, channelId, state };
    room.set(state.participantId, participant);
    this.rooms.set(channelId, room);
    this.bySocket.set(member.socketId, participant);
    return state;
  }

  /** Takes the connection out of its call; the channel it left, or null if it was in none. */
  leave(socketId: string): string | null {
    const participant = this.bySocket.get(socketId);
    if (!participant) return null;
    this.bySocket.delete(socketId);
    const room = this.rooms.get(participant.channelId);
    room?.delete(participant.state.participantId);
    if (room?.size === 0) this.rooms.delete(participant.channelId);
    return participant.channelId;
  }

  /** The connection's own change; unmuting is refused while the server holds it muted. */
  update(
    socketId: string,
    change: VoiceStateChange,
  ): { channelId: string; participant: VoiceParticipantDto } {
    const participant = this.bySocket.get(socketId);
    if (!participant) throw new ProtocolError('not_in_voice', 'join a voice call first (voice.join)');
    if (change.muted === false && participant.state.serverMuted) {
      throw new ProtocolError('forbidden', 'a moderator muted you here (or you may not speak here)');
    }
    participant.state = { ...participant.state, ...change };
    // A muted member is not speaking, whatever its analyser says.
    if (participant.state.muted) participant.state = { ...participant.state, speaking: false };
    return { channelId: participant.channelId, participant: participant.state };
  }

  /** A moderator's mute of every connection of `publicKey` in the call; false if none is in it. */
  serverMute(channelId: string, publicKey: string, muted: boolean): boolean {
    let found = false;
    for (const participant of this.rooms.get(channelId)?.values() ?? []) {
      if (participant.state.publicKey !== publicKey) continue;
      found = true;
      participant.state = {
        ...participant.state,
        serverMuted: muted,
        // Muting mutes; lifting it leaves the member muted until they unmute themselves.
        muted: muted || participant.state.muted,
        speaking: muted ? false : participant.state.speaking,
      };
    }
    return found;
  }
}
