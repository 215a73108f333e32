import type { z } from 'zod';

import type {
  AuditPageDto,
  AuthorizedKeyDto,
  BanDto,
  CatchUpPageDto,
  ChannelListDto,
  ChannelViewersDto,
  ConfigDto,
  ConfigReplacedDto,
  HistoryPageDto,
  InviteCreatedDto,
  InviteDto,
  MemberDto,
  MemberRemovedDto,
  MemberRolesDto,
  MessageDeletedDto,
  MessageDto,
  MessagesAroundDto,
  PresenceDto,
  ReadStateDto,
  SearchPageDto,
  ServerInfoDto,
  ServerRestartingDto,
  SessionDto,
  SessionEndedDto,
  ThreadDeletedDto,
  ThreadDto,
  ThreadEntryDto,
  ThreadPageDto,
  TypingDto,
  VoiceJoinedDto,
  VoiceParticipantDto,
  VoiceRoomDto,
  VoiceSignalDto,
} from './dtos';
import type { Envelope } from './errors';
import {
  AuditListRequest,
  AuthorizeMemberRequest,
  BanRequest,
  ChannelViewersRequest,
  CreateInviteRequest,
  CreateThreadRequest,
  DeleteMessageRequest,
  EditMessageRequest,
  EmptyRequest,
  FollowThreadRequest,
  HistoryRequest,
  JoinRequest,
  KickRequest,
  ListThreadsRequest,
  MarkReadRequest,
  MembersPageRequest,
  MessagesAroundRequest,
  ReplaceConfigRequest,
  RevokeInviteRequest,
  RevokeMemberRequest,
  SearchMessagesRequest,
  SendMessageRequest,
  SetRolesRequest,
  SinceRequest,
  ThreadRequest,
  TypingRequest,
  UnbanRequest,
  UpdateThreadRequest,
  VoiceJoinRequest,
  VoiceMuteRequest,
  VoiceSignalRequest,
  VoiceUpdateRequest,
} from './requests';

/** Client requests: event name, payload schema. The ack carries an `Envelope` of the response type. */
export const REQUEST_SCHEMAS = {
  'session.get': EmptyRequest,
  'member.join': JoinRequest,
  'members.list': MembersPageRequest,
  'members.subscribe': MembersPageRequest,
  'members.unsubscribe': EmptyRequest,
  'members.authorize': AuthorizeMemberRequest,
  'members.revoke': RevokeMemberRequest,
  'members.setRoles': SetRolesRequest,
  'members.kick': KickRequest,
  'members.ban': BanRequest,
  'members.unban': UnbanRequest,
  'bans.list': EmptyRequest,
  'audit.list': AuditListRequest,
  'config.get': EmptyRequest,
  'config.replace': ReplaceConfigRequest,
  'invites.create': CreateInviteRequest,
  'invites.list': EmptyRequest,
  'invites.revoke': RevokeInviteRequest,
  'channels.list': EmptyRequest,
  'channels.markRead': MarkReadRequest,
  'channels.viewers': ChannelViewersRequest,
  'messages.send': SendMessageRequest,
  'messages.edit': EditMessageRequest,
  'messages.delete': DeleteMessageRequest,
  'messages.history': HistoryRequest,
  'messages.since': SinceRequest,
  'messages.around': MessagesAroundRequest,
  'search.messages': SearchMessagesRequest,
  'typing.start': TypingRequest,
  'threads.create': CreateThreadRequest,
  'threads.list': ListThreadsRequest,
  'threads.get': ThreadRequest,
  'threads.update': UpdateThreadRequest,
  'threads.delete': ThreadRequest,
  'threads.follow': FollowThreadRequest,
  'threads.followed': EmptyRequest,
  'voice.rooms': EmptyRequest,
  'voice.join': VoiceJoinRequest,
  'voice.leave': EmptyRequest,
  'voice.update': VoiceUpdateRequest,
  'voice.signal': VoiceSignalRequest,
  'voice.mute': VoiceMuteRequest,
} as const;

export type RequestEvent = keyof typeof REQUEST_SCHEMAS;

export interface ResponseTypes {
  'session.get': SessionDto;
  'member.join': MemberDto;
  'members.list': readonly MemberDto[];
  'members.subscribe': readonly MemberDto[];
  'members.unsubscribe': Record<string, never>;
  'members.authorize': AuthorizedKeyDto;
  'members.revoke': { readonly publicKey: string };
  'members.setRoles': MemberRolesDto;
  'members.kick': { readonly publicKey: string };
  'members.ban': BanDto;
  'members.unban': { readonly publicKey: string };
  'bans.list': readonly BanDto[];
  'audit.list': AuditPageDto;
  'config.get': ConfigDto;
  'config.replace': ConfigReplacedDto;
  'invites.create': InviteCreatedDto;
  'invites.list': readonly InviteDto[];
  'invites.revoke': InviteDto;
  'channels.list': ChannelListDto;
  'channels.markRead': ReadStateDto;
  'channels.viewers': ChannelViewersDto;
  'messages.send': MessageDto;
  'messages.edit': MessageDto;
  'messages.delete': MessageDeletedDto;
  'messages.history': HistoryPageDto;
  'messages.since': CatchUpPageDto;
  'messages.around': MessagesAroundDto;
  'search.messages': SearchPageDto;
  'typing.start': Record<string, never>;
  'threads.create': ThreadEntryDto;
  'threads.list': ThreadPageDto;
  'threads.get': ThreadEntryDto;
  'threads.update': ThreadDto;
  'threads.delete': ThreadDeletedDto;
  'threads.follow': ThreadEntryDto;
  'threads.followed': readonly ThreadEntryDto[];
  'voice.rooms': readonly VoiceRoomDto[];
  'voice.join': VoiceJoinedDto;
  'voice.leave': { readonly channelId: string | null };
  'voice.update': VoiceParticipantDto;
  'voice.signal': Record<string, never>;
  'voice.mute': VoiceRoomDto;
}

export type RequestPayload<E extends RequestEvent> = z.input<(typeof REQUEST_SCHEMAS)[E]>;

export type Ack<T> = (envelope: Envelope<T>) => void;

/** Typed map for `socket.io-client`'s `Socket<ServerToClientEvents, ClientToServerEvents>`. */
export type ClientToServerEvents = {
  [E in RequestEvent]: (payload: RequestPayload<E>, ack: Ack<ResponseTypes[E]>) => void;
};

export interface ServerToClientEvents {
  'message.created': (message: MessageDto) => void;
  'message.updated': (message: MessageDto) => void;
  'message.deleted': (deleted: MessageDeletedDto) => void;
  'typing.started': (typing: TypingDto) => void;
  'presence.updated': (presence: PresenceDto) => void;
  'member.joined': (member: MemberDto) => void;
  'member.removed': (removed: MemberRemovedDto) => void;
  'readState.updated': (state: ReadStateDto) => void;
  'session.ended': (ended: SessionEndedDto) => void;
  /** config.toml changed: the server's public info (name, theme, limits) as GET /api/server says. */
  'server.updated': (info: ServerInfoDto) => void;
  /** The member's rights changed (e.g. their roles): the channels they can now see, as `channels.list`. */
  'channels.changed': (channels: ChannelListDto) => void;
  /** The server is draining for a restart; the connection closes next and the client reconnects. */
  'server.restarting': (restarting: ServerRestartingDto) => void;
  /** A thread was started, renamed, locked, archived or unarchived; to those who can view its channel. */
  'thread.updated': (thread: ThreadDto) => void;
  /** A thread was deleted with its messages; to those who can view its channel. */
  'thread.deleted': (deleted: ThreadDeletedDto) => void;
  /** The member followed or unfollowed a thread (on another device too); to the member only. */
  'thread.following': (entry: ThreadEntryDto) => void;
  /** Who is in a voice channel's call now; to the members who can view the channel. */
  'voice.room': (room: VoiceRoomDto) => void;
  /** WebRTC signalling from another participant of this connection's call; to this connection only. */
  'voice.signal': (signal: VoiceSignalDto) => void;
}

export type PushEvent = keyof ServerToClientEvents;
