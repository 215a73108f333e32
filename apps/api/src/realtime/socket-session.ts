import type { Server, Socket } from 'socket.io';

import type { PermissionSubject } from '@mpqcht/permissions';
import type { ClientToServerEvents, ServerToClientEvents } from '@mpqcht/protocol';

import type { Actor } from '../policy/channel-policy';

export interface MemberRecord {
  readonly publicKey: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly joinedAt: Date;
}

/** What the handshake established about a socket; kept in `socket.data`. */
export interface SocketSession {
  readonly publicKey: string;
  /** Follows config.toml's root_keys, which may change while the socket lives. */
  isRoot: boolean;
  /** null while the key is authorized but has not joined yet. */
  member: MemberRecord | null;
}

export interface SocketData {
  session: SocketSession;
}

export type MpqchtServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type MpqchtSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

export const Rooms = {
  /** Every joined member's sockets: server-wide pushes (server info, a member removed). */
  members: 'members',
  /** The sockets watching the member list (`members.subscribe`): presence and joins. */
  roster: 'roster',
  member: (publicKey: string) => `member:${publicKey}`,
  channel: (channelId: string) => `channel:${channelId}`,
  isChannel: (room: string) => room.startsWith('channel:'),
} as const;

/** The member behind a socket that passed the AccessGuard (which refuses unjoined sockets). */
export function joinedMember(socket: MpqchtSocket): MemberRecord {
  const member = socket.data.session.member;
  if (!member) throw new Error('AccessGuard let an unjoined socket through');
  return member;
}

/** Whom the permission resolver sees behind a session: a root, or a member with their roles. */
export function subjectOf(session: Pick<SocketSession, 'isRoot' | 'member'>): PermissionSubject {
  return { isRoot: session.isRoot, roles: session.member?.roles ?? [] };
}

/** The joined member behind a socket, as the `ChannelPolicy` sees them. */
export function actorOf(socket: MpqchtSocket): Actor {
  const member = joinedMember(socket);
  return { publicKey: member.publicKey, isRoot: socket.data.session.isRoot, roles: member.roles };
}
