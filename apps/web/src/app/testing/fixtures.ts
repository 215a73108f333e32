import { Injector } from '@angular/core';

import { generateRandomIdentity } from '@mpqcht/identity';
import type { ServerPermission } from '@mpqcht/permissions';
import type {
  ChannelDto,
  MemberDto,
  MessageDto,
  ReadStateDto,
  SessionDto,
  ThreadEntryDto,
  VoiceParticipantDto,
  VoiceRoomDto,
} from '@mpqcht/protocol';

import { ChannelsState } from '../channels/channels.state';
import { TimelinesState } from '../channels/timelines.state';
import { TypingState } from '../channels/typing.state';
import type { ConnectionDeps, SigningIdentity } from '../connection/connection-deps';
import { ServerConnection } from '../connection/server-connection';
import type { ServerSession } from '../connection/server-session';
import { MemberModeration } from '../roster/member-moderation';
import { MembersState } from '../roster/members.state';
import { SERVER_FEATURE_STATES } from '../server-features';
import { FakeServerHttp, type FakeSocket, FakeSocketFactory, serverInfo } from './fake-socket';

/** DTO builders and a connected ServerConnection over fakes, for unit tests. */

export const URL_A = 'https://chat.example.org';
export const OTHER_KEY = '03' + 'b'.repeat(64);
export const THIRD_KEY = '02' + 'c'.repeat(64);

export function member(
  publicKey: string,
  displayName: string,
  overrides: Partial<MemberDto> = {},
): MemberDto {
  return {
    publicKey,
    displayName,
    roles: [],
    isRoot: false,
    online: true,
    joinedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function readState(channelId: string, overrides: Partial<ReadStateDto> = {}): ReadStateDto {
  return {
    channelId,
    lastReadSeq: 0,
    lastReadMessageId: null,
    unreadCount: 0,
    mentionCount: 0,
    ...overrides,
  };
}

export function channel(
  id: string,
  overrides: Partial<Omit<ChannelDto, 'readState'>> = {},
  state: Partial<ReadStateDto> = {},
): ChannelDto {
  return {
    id,
    name: id,
    groupId: 'general',
    topic: '',
    lastSeq: 0,
    lastRev: 0,
    readState: readState(id, state),
    rights: {
      write: true,
      moderate: false,
      manage: false,
      create_threads: true,
      manage_threads: false,
      maxMessageLength: 4000,
      slowmodeMs: 0,
    },
    ...overrides,
  };
}

/** Message ids sort like seq, as the server's UUIDv7 ids do within a channel. */
export function messageId(channelId: string, seq: number): string {
  const prefix = channelId === 'lobby' ? '1' : '2';
  return `0000000${prefix}-0000-7000-8000-${String(seq).padStart(12, '0')}`;
}

let clientIds = 0;

export function message(channelId: string, seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  clientIds++;
  return {
    id: messageId(channelId, seq),
    channelId,
    seq,
    rev: seq,
    clientId: `10000000-0000-4000-8000-${String(clientIds).padStart(12, '0')}`,
    author: OTHER_KEY,
    content: `message ${seq}`,
    mentions: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    editedAt: null,
    ...overrides,
  };
}

export function sessionDto(
  publicKey: string,
  self: MemberDto | null,
  origin = URL_A,
  permissions: readonly ServerPermission[] = [],
): SessionDto {
  return {
    publicKey,
    isRoot: false,
    member: self,
    server: serverInfo(origin),
    permissions,
    loginPass: { pass: 'ab'.repeat(54), expiresAt: '2026-02-01T00:00:00.000Z' },
  };
}

/** Lets pending promise callbacks run until `condition` holds (no timers, no wall clock). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await Promise.resolve();
  }
  throw new Error(`still waiting for ${what}`);
}

/** Lets every pending promise callback run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 200; i++) await Promise.resolve();
}

/**
 * connect(), then what follows it: the session gets the login's challenge and opens the socket
 * (its first `connect()`), as ServerSession.open does before every handshake.
 */
export async function opened(session: ServerSession, factory: FakeSocketFactory): Promise<FakeSocket> {
  await session.connect();
  await settle();
  const socket = factory.last;
  if (socket.connectCalls !== 1) throw new Error(`the socket was opened ${socket.connectCalls} times`);
  return socket;
}

let sharedIdentity: Promise<SigningIdentity> | null = null;

/** One random identity per test file: real WebCrypto keys, cheap to make. */
export function testIdentity(): Promise<SigningIdentity> {
  sharedIdentity ??= generateRandomIdentity();
  return sharedIdentity;
}

export interface Harness {
  readonly connection: ServerConnection;
  readonly session: ServerSession;
  readonly channels: ChannelsState;
  readonly timelines: TimelinesState;
  readonly typing: TypingState;
  readonly members: MembersState;
  readonly moderation: MemberModeration;
  readonly http: FakeServerHttp;
  readonly factory: FakeSocketFactory;
  readonly identity: SigningIdentity;
  /** What `deps.now()` returns; tests move it along with fake timers. */
  readonly clock: { now: number };
  /** The connection's deps; tests may swap `online` and `random` while it runs. */
  readonly deps: { -readonly [K in keyof ConnectionDeps]: ConnectionDeps[K] };
}

export async function harness(
  url = URL_A,
  overrides: Partial<ConnectionDeps> = {},
  parent: Injector = Injector.NULL,
): Promise<Harness> {
  const identity = await testIdentity();
  const http = new FakeServerHttp();
  const factory = new FakeSocketFactory();
  const clock = { now: 1_000_000 };
  const deps: Harness['deps'] = { http, socketFactory: factory.create, now: () => clock.now, ...overrides };
  const connection = new ServerConnection(url, identity, deps, SERVER_FEATURE_STATES, parent);
  return {
    connection,
    session: connection.session,
    channels: connection.get(ChannelsState),
    timelines: connection.get(TimelinesState),
    typing: connection.get(TypingState),
    members: connection.get(MembersState),
    moderation: connection.get(MemberModeration),
    http,
    factory,
    identity,
    clock,
    deps,
  };
}

export interface OnlineOptions {
  readonly channels?: readonly ChannelDto[];
  readonly members?: readonly MemberDto[];
  /** The server permissions session.get reports for this member. */
  readonly permissions?: readonly ServerPermission[];
  /** What `threads.followed` answers after the login. */
  readonly followedThreads?: readonly ThreadEntryDto[];
  /** What `voice.rooms` answers after the login. */
  readonly voiceRooms?: readonly VoiceRoomDto[];
  /** The injector the connection's is a child of (the app's, holding `ActiveCall`). */
  readonly parent?: Injector;
  readonly url?: string;
}

/**
 * Registers answers for the login requests (session.get with a member, channels.list,
 * members.list or members.subscribe) and completes the handshake, so the connection is online.
 */
export function answerLogin(socket: FakeSocket, self: MemberDto, options: OnlineOptions = {}): void {
  socket
    .handle('session.get', () => ({
      ok: true,
      data: sessionDto(self.publicKey, self, URL_A, options.permissions ?? []),
    }))
    .handle('channels.list', () => ({
      ok: true,
      data: { groups: [{ id: 'general', name: 'General' }], channels: options.channels ?? [] },
    }))
    .handle('members.list', () => ({ ok: true, data: options.members ?? [self] }))
    .handle('members.subscribe', () => ({ ok: true, data: options.members ?? [self] }))
    .handle('members.unsubscribe', () => ({ ok: true, data: {} }))
    .handle('voice.rooms', () => ({ ok: true, data: options.voiceRooms ?? [] }))
    .handle('threads.followed', () => ({ ok: true, data: options.followedThreads ?? [] }));
}

export interface OnlineHarness extends Harness {
  readonly socket: FakeSocket;
  readonly self: MemberDto;
}

export async function onlineHarness(options: OnlineOptions = {}): Promise<OnlineHarness> {
  const h = await harness(options.url, {}, options.parent);
  const socket = await opened(h.session, h.factory);
  const self = member(h.identity.publicKey.hex, 'Me');
  answerLogin(socket, self, {
    members: [self, member(OTHER_KEY, 'Ada'), member(THIRD_KEY, 'Grace')],
    ...options,
  });
  socket.serverConnect();
  await until(() => h.session.status().kind === 'online', 'online');
  return { ...h, socket, self };
}

export function participant(
  participantId: string,
  publicKey: string,
  displayName: string,
  overrides: Partial<VoiceParticipantDto> = {},
): VoiceParticipantDto {
  return {
    participantId,
    publicKey,
    displayName,
    muted: false,
    deafened: false,
    camera: false,
    screen: false,
    speaking: false,
    serverMuted: false,
    ...overrides,
  };
}
