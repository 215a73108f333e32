import { computed, inject, Injectable, signal } from '@angular/core';

import type { IceServersDto, VoiceParticipantDto, VoiceRoomDto } from '@mpqcht/protocol';

import { ChannelsState } from '../channels/channels.state';
import { describeFailure, RequestFailed } from '../connection/request-failed';
import { ServerSession } from '../connection/server-session';
import { ActiveCall } from './active-call';

/** This connection in a call: its channel and its participant as the server last told. */
export interface VoiceSelf {
  readonly channelId: string;
  readonly participant: VoiceParticipantDto;
}

/** What `voice.join` answered beyond the room: for the media (WebRTC), which comes next. */
export interface VoiceMedia {
  readonly ice: IceServersDto;
  readonly bitrate: number;
}

const NO_PARTICIPANTS: readonly VoiceParticipantDto[] = [];

/**
 * The calls of one server's voice channels and this connection's part in one (docs/protocol.md,
 * Voice). Asks `voice.rooms` after each login, then follows `voice.room`. The server ends a
 * connection's call with the connection: after a reconnect this connection is in no call, and it
 * joins the same channel again by itself (muted and deafened as it was) unless the page's call
 * moved elsewhere meanwhile. The media (WebRTC) is `PeerMesh`, which follows this state.
 */
@Injectable()
export class VoiceState {
  private readonly session = inject(ServerSession);
  private readonly channels = inject(ChannelsState);
  /** The page's one call; a connection made outside the app (unit tests) has its own. */
  private readonly activeCall = inject(ActiveCall, { optional: true }) ?? new ActiveCall();

  /** The participants of every call of this server that is not empty, by channel id. */
  readonly rooms = signal<ReadonlyMap<string, readonly VoiceParticipantDto[]>>(new Map());
  private readonly joined = signal<{ readonly channelId: string; readonly participantId: string } | null>(
    null,
  );
  /** The ICE servers and bitrate of the current call, for the media. */
  readonly media = signal<VoiceMedia | null>(null);
  /** The channel a join is out for. */
  readonly joining = signal<string | null>(null);
  /** Why the last join, leave or update failed; or that a moderator took this member out. */
  readonly notice = signal<string | null>(null);

  /** This connection's participant and channel, or null when in no call. */
  readonly self = computed<VoiceSelf | null>(() => {
    const joined = this.joined();
    if (!joined) return null;
    const participant = this.room(joined.channelId).find((p) => p.participantId === joined.participantId);
    return participant ? { channelId: joined.channelId, participant } : null;
  });
  /** What this member may do in the call's channel (camera, screen share, moderation). */
  readonly rights = computed(() => {
    const self = this.self();
    if (!self) return null;
    return this.channels.channels().find((c) => c.id === self.channelId)?.voice?.rights ?? null;
  });
  /** The name of this server and of the channel of the call, for the voice panel. */
  readonly place = computed(() => {
    const self = this.self();
    if (!self) return null;
    return {
      server: this.session.info()?.name ?? this.session.url,
      channel: this.channels.channels().find((c) => c.id === self.channelId)?.name ?? self.channelId,
    };
  });

  /** Pushes seen since `voice.rooms` was asked: their rooms are newer than its answer. */
  private pushedSinceAsk = new Set<string>();
  /** Where to join again once online after a reconnect, and as what. */
  private rejoin: { channelId: string; muted: boolean; deafened: boolean } | null = null;

  constructor() {
    this.session.onLogin(() => {
      // The server ended the call with the old connection.
      const self = this.self();
      if (self && this.activeCall.holder() === this) {
        const { muted, deafened, serverMuted } = self.participant;
        this.rejoin = { channelId: self.channelId, muted: muted && !serverMuted, deafened };
      }
      this.joined.set(null);
      this.media.set(null);
      this.rooms.set(new Map());
      // Not awaited: calls are not needed to be online, and an older server may not answer.
      void this.loadRooms();
      return Promise.resolve();
    });
    this.session.onResume(async () => {
      const rejoin = this.rejoin;
      this.rejoin = null;
      if (!rejoin || this.activeCall.holder() !== this) return;
      try {
        await this.join(rejoin.channelId);
        if (rejoin.muted) await this.setMuted(true);
        if (rejoin.deafened) await this.setDeafened(true);
      } catch {
        // The notice says why; the member can join again from the sidebar.
      }
    });
    this.session.on('voice.room', (room) => {
      this.pushedSinceAsk.add(room.channelId);
      this.setRoom(room);
    });
  }

  /** The participants of a channel's call, in joining order (empty when nobody is in it). */
  room(channelId: string): readonly VoiceParticipantDto[] {
    return this.rooms().get(channelId) ?? NO_PARTICIPANTS;
  }

  /** Joins a voice channel's call (leaving the page's call on another server first). */
  async join(channelId: string): Promise<void> {
    if (this.self()?.channelId === channelId || this.joining()) return;
    this.joining.set(channelId);
    this.notice.set(null);
    try {
      await this.activeCall.claim(this);
      const answer = await this.session.request('voice.join', { channelId });
      this.setRoom(answer.room);
      this.joined.set({ channelId: answer.room.channelId, participantId: answer.self.participantId });
      this.media.set({ ice: answer.ice, bitrate: answer.bitrate });
      if (!this.self()) this.setRoom({ channelId, participants: [...this.room(channelId), answer.self] });
    } catch (error) {
      if (!this.joined()) this.activeCall.release(this);
      this.notice.set(joinFailure(error));
      throw error;
    } finally {
      this.joining.set(null);
    }
  }

  /** Leaves the call this connection is in. */
  async leave(): Promise<void> {
    const self = this.self();
    this.joined.set(null);
    this.media.set(null);
    this.activeCall.release(this);
    if (!self) return;
    // Shown at once; the server's voice.room confirms it.
    this.setRoom({
      channelId: self.channelId,
      participants: this.room(self.channelId).filter(
        (p) => p.participantId !== self.participant.participantId,
      ),
    });
    try {
      await this.session.request('voice.leave', {});
    } catch {
      // Offline: the server ends the call with the connection anyway.
    }
  }

  setMuted(muted: boolean): Promise<void> {
    return this.update({ muted });
  }

  setDeafened(deafened: boolean): Promise<void> {
    return this.update({ deafened });
  }

  /** Tells the others this member's camera or screen share is on or off (`PeerMesh` sends it). */
  setVideo(kind: 'camera' | 'screen', on: boolean): Promise<void> {
    return this.update(kind === 'camera' ? { camera: on } : { screen: on });
  }

  /**
   * Whether this member speaks, from the microphone (`PeerMesh`). Sent only on a change; a failure
   * is not shown (the next change tries again).
   */
  async setSpeaking(speaking: boolean): Promise<void> {
    const self = this.self();
    if (!self || self.participant.speaking === speaking) return;
    try {
      const participant = await this.session.request('voice.update', { speaking });
      this.setParticipant(self.channelId, participant);
    } catch {
      // Offline or out of the call: nothing to show.
    }
  }

  /** A moderator's mute (`mute_members`) of every connection of a member in that call. */
  async muteMember(channelId: string, publicKey: string, muted: boolean): Promise<void> {
    const room = await this.session.request('voice.mute', { channelId, publicKey, muted });
    this.setRoom(room);
  }

  private async update(change: {
    muted?: boolean;
    deafened?: boolean;
    camera?: boolean;
    screen?: boolean;
  }): Promise<void> {
    const self = this.self();
    if (!self) return;
    try {
      const participant = await this.session.request('voice.update', change);
      this.setParticipant(self.channelId, participant);
    } catch (error) {
      this.notice.set(describeFailure(error));
      throw error;
    }
  }

  private async loadRooms(): Promise<void> {
    this.pushedSinceAsk = new Set();
    try {
      const rooms = await this.session.request('voice.rooms', {});
      for (const room of rooms) if (!this.pushedSinceAsk.has(room.channelId)) this.setRoom(room);
    } catch {
      // Offline again, or a server without voice: no calls are shown.
    }
  }

  private setParticipant(channelId: string, participant: VoiceParticipantDto): void {
    const participants = this.room(channelId).map((p) =>
      p.participantId === participant.participantId ? participant : p,
    );
    this.setRoom({ channelId, participants });
  }

  private setRoom(room: VoiceRoomDto): void {
    const next = new Map(this.rooms());
    if (room.participants.length === 0) next.delete(room.channelId);
    else next.set(room.channelId, room.participants);
    this.rooms.set(next);
    const joined = this.joined();
    if (
      joined?.channelId === room.channelId &&
      !room.participants.some((p) => p.participantId === joined.participantId)
    ) {
      // Taken out: kicked, banned, moved, or the server no longer lets this member connect.
      this.joined.set(null);
      this.media.set(null);
      this.activeCall.release(this);
      this.notice.set('You were removed from the call.');
    }
  }
}

function joinFailure(error: unknown): string {
  if (error instanceof RequestFailed && error.code === 'voice_full') return 'The call is full.';
  return describeFailure(error);
}
