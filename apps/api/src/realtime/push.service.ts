import { Injectable } from '@nestjs/common';

import type { ServerToClientEvents, SessionEndedDto } from '@mpqcht/protocol';

import { ClusterBus } from './cluster-bus';
import { type MemberRecord, type MpqchtServer, Rooms, type SocketSession } from './socket-session';

type PushArgs<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>;

/**
 * A local socket or one fetched with `fetchSockets()`: what room membership needs. (A fetched socket
 * may be a copy from another process, so its `data` is not offered: changing it would change
 * nothing. Sessions change through the `ClusterBus`.)
 */
export interface ChannelRoomMember {
  readonly id: string;
  readonly rooms: ReadonlySet<string>;
  join(rooms: string[]): unknown;
  leave(room: string): unknown;
}

/**
 * Server pushes, addressed by what they are about (a channel, a member, everyone) rather than by
 * socket. Each push is encoded once by Socket.IO and written to every socket in the room.
 */
@Injectable()
export class PushService {
  private server: MpqchtServer | undefined;

  constructor(private readonly bus: ClusterBus) {
    // Every process updates the sessions of its own sockets of that key.
    bus.subscribe('member.updated', ({ member }) => {
      for (const session of this.localSessions(Rooms.member(member.publicKey))) session.member = member;
    });
  }

  /** Called by MpqchtIoAdapter when it creates the Socket.IO server (at `app.listen`). */
  attach(server: MpqchtServer): void {
    this.server ??= server;
  }

  private io(): MpqchtServer {
    if (!this.server) throw new Error('PushService used before the Socket.IO server started');
    return this.server;
  }

  toChannel<E extends keyof ServerToClientEvents>(channelId: string, event: E, ...args: PushArgs<E>): void {
    this.io()
      .to(Rooms.channel(channelId))
      .emit(event, ...args);
  }

  /** To a channel's viewers except the sockets of one key (its own devices know already). */
  toChannelExceptMember<E extends keyof ServerToClientEvents>(
    channelId: string,
    publicKey: string,
    event: E,
    ...args: PushArgs<E>
  ): void {
    this.io()
      .to(Rooms.channel(channelId))
      .except(Rooms.member(publicKey))
      .emit(event, ...args);
  }

  toMember<E extends keyof ServerToClientEvents>(publicKey: string, event: E, ...args: PushArgs<E>): void {
    this.io()
      .to(Rooms.member(publicKey))
      .emit(event, ...args);
  }

  /** To one connection (Socket.IO puts every socket in a room named by its id). */
  toSocket<E extends keyof ServerToClientEvents>(socketId: string, event: E, ...args: PushArgs<E>): void {
    this.io()
      .to(socketId)
      .emit(event, ...args);
  }

  /**
   * To the sockets watching the member list: a login or a join costs a push per watcher, not per
   * member (a community whose members all come back at once would otherwise cost members² pushes).
   */
  toRosterWatchers<E extends keyof ServerToClientEvents>(event: E, ...args: PushArgs<E>): void {
    this.io()
      .to(Rooms.roster)
      .emit(event, ...args);
  }

  toAllMembers<E extends keyof ServerToClientEvents>(event: E, ...args: PushArgs<E>): void {
    this.io()
      .to(Rooms.members)
      .emit(event, ...args);
  }

  /**
   * The sessions of this process's live sockets, of one room or all: what this process may change
   * (after a config change, or told by the bus). Read from the namespace, not `fetchSockets()`,
   * whose results may be copies from other processes.
   */
  localSessions(room?: string): SocketSession[] {
    const namespace = this.server?.of('/');
    if (!namespace) return [];
    const ids = room === undefined ? namespace.sockets.keys() : (namespace.adapter.rooms.get(room) ?? []);
    const sessions: SocketSession[] = [];
    for (const id of ids) {
      const socket = namespace.sockets.get(id);
      if (socket) sessions.push(socket.data.session);
    }
    return sessions;
  }

  /**
   * A member's record changed (they joined, or their roles changed): every process's sockets of the
   * key take it, through the bus (this process's before this returns). Returns those sockets, in any
   * process, for their rooms.
   */
  async updateSessions(member: MemberRecord): Promise<ChannelRoomMember[]> {
    this.bus.publish('member.updated', { member });
    return this.io().in(Rooms.member(member.publicKey)).fetchSockets();
  }

  /** The socket leaves the room of every channel not listed: those pushes stop reaching it at once. */
  leaveChannelRoomsExcept(socket: ChannelRoomMember, channelIds: readonly string[]): void {
    const kept = new Set(channelIds.map(Rooms.channel));
    for (const room of [...socket.rooms]) {
      if (Rooms.isChannel(room) && !kept.has(room)) void socket.leave(room);
    }
  }

  /** The socket joins the rooms of these channels (those it is already in stay as they are). */
  joinChannelRooms(socket: ChannelRoomMember, channelIds: readonly string[]): void {
    if (channelIds.length > 0) void socket.join(channelIds.map(Rooms.channel));
  }

  /**
   * Tells every socket of this process that it restarts, then closes their transports without a
   * Socket.IO disconnect, so clients treat it as a lost connection and reconnect by themselves.
   * Engine.IO sends what is buffered (last acks, this push) before it closes; this resolves when
   * every connection has closed (at most `timeoutMs`), since closing the server discards buffers.
   */
  async closeAllForRestart(reconnectAfterMs: number, timeoutMs: number): Promise<void> {
    const io = this.io();
    io.local.emit('server.restarting', { reconnectAfterMs });
    const closed = [...io.of('/').sockets.values()].map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.conn.once('close', () => {
            resolve();
          });
          socket.conn.close();
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(closed), timeout]);
    clearTimeout(timer);
  }

  /** Tells a member's sockets why, then drops them. */
  endSessions(publicKey: string, ended: SessionEndedDto): void {
    const room = Rooms.member(publicKey);
    this.io().to(room).emit('session.ended', ended);
    this.io().in(room).disconnectSockets(true);
  }
}
