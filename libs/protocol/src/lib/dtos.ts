import type { ChannelFlag, ServerPermission, VoiceFlag } from '@mpqcht/permissions';

/**
 * Response and push payloads. Times are ISO 8601 strings in UTC; keys are canonical hex. Permission
 * and channel flag names are the vocabulary of `@mpqcht/permissions` (docs/permissions.md).
 */

export interface ThemeDto {
  readonly [variable: string]: string;
}

export interface ChannelGroupDto {
  readonly id: string;
  readonly name: string;
}

export interface ServerInfoDto {
  readonly name: string;
  readonly description: string;
  readonly origin: string;
  readonly protocolVersion: 1;
  readonly maxMessageLength: number;
  readonly theme: ThemeDto;
  /** The roles of config.toml as clients show them (names, colours, order), highest position first. */
  readonly roles: readonly RoleInfoDto[];
}

/** A role's public face; what it permits stays on the server. */
export interface RoleInfoDto {
  readonly id: string;
  readonly name: string;
  /** CSS colour of its members' names; null for none. */
  readonly color: string | null;
  readonly position: number;
}

export interface ChallengeDto {
  /** 32 random bytes, hex. */
  readonly nonce: string;
  readonly expiresAt: string;
  /** The origin the signature must be bound to (compare it with the URL you connected to). */
  readonly origin: string;
}

/**
 * A proof-of-work challenge (docs/protocol.md, "Proof of work"): `GET /api/auth/pow` publishes one,
 * and every `pow_*` refusal carries a fresh one in `details.pow`. Effort 0 means no proof is needed.
 */
export interface PowChallengeDto {
  readonly algorithm: 'sha256-u32-v1';
  /** Expected hashes to find a solution; 0 while the server is calm. */
  readonly effort: number;
  /** 41 bytes, hex: what the solution is hashed with. */
  readonly challenge: string;
  readonly expiresAt: string;
}

/**
 * What a logged-in key shows at `POST /api/auth/challenge` to skip proof-of-work: the server signed
 * it for this key only, and a nonce it gets works for this key only.
 */
export interface LoginPassDto {
  /** 54 bytes, hex. */
  readonly pass: string;
  readonly expiresAt: string;
}

export interface MemberDto {
  readonly publicKey: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly isRoot: boolean;
  readonly online: boolean;
  readonly joinedAt: string;
}

export interface SessionDto {
  readonly publicKey: string;
  readonly isRoot: boolean;
  /** null until the key has joined (picked a display name with `member.join`). */
  readonly member: MemberDto | null;
  readonly server: ServerInfoDto;
  /** The caller's server permissions (docs/permissions.md) when asked; every one for a root. */
  readonly permissions: readonly ServerPermission[];
  /** A fresh login pass for this key (keep it for the next login: no proof-of-work needed then). */
  readonly loginPass: LoginPassDto;
}

export interface AuthorizedKeyDto {
  readonly publicKey: string;
  readonly roles: readonly string[];
  readonly authorizedAt: string;
}

export interface ReadStateDto {
  readonly channelId: string;
  /** Sequence number of the last message read; 0 when nothing was read yet. */
  readonly lastReadSeq: number;
  readonly lastReadMessageId: string | null;
  /** Messages by others after the read marker, not deleted; capped at `UNREAD_COUNT_CAP`. */
  readonly unreadCount: number;
  /** Those of the unread messages that mention the member; capped at `UNREAD_COUNT_CAP`. */
  readonly mentionCount: number;
}

export interface ChannelDto {
  readonly id: string;
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
  /** Highest sequence number in the channel; 0 when it has no messages. */
  readonly lastSeq: number;
  /** Highest change number in the channel (see `MessageDto.rev`); 0 when nothing happened yet. */
  readonly lastRev: number;
  readonly readState: ReadStateDto;
  /** What the member may do here, so a client shows only what will work. */
  readonly rights: ChannelRightsDto;
  /** Present on voice channels only (`kind = "voice"`): a voice channel is a text channel with a call. */
  readonly voice?: VoiceChannelDto;
}

/** A voice channel's settings and what the member may do in its call. */
export interface VoiceChannelDto {
  /** Most members in the call at once (`voice_full` beyond). */
  readonly maxParticipants: number;
  /** Opus audio bitrate in bits/s that clients send at. */
  readonly bitrate: number;
  readonly rights: Readonly<Record<VoiceFlag, boolean>>;
}

/**
 * A member's effective permissions and limits in one channel (docs/permissions.md): every channel
 * flag but `view` (`write`, `moderate`, `manage`; a listed channel is one the member can view).
 */
export interface ChannelRightsDto extends Readonly<
  Record<Exclude<ChannelFlag, 'view' | VoiceFlag>, boolean>
> {
  /** Longest message in Unicode code points. */
  readonly maxMessageLength: number;
  /** Minimum time between two messages of this member here; 0 for none. */
  readonly slowmodeMs: number;
}

export interface ChannelListDto {
  readonly groups: readonly ChannelGroupDto[];
  readonly channels: readonly ChannelDto[];
}

/** The joined members who can view a channel (`channels.viewers`): who a mention there reaches. */
export interface ChannelViewersDto {
  readonly channelId: string;
  /** Public keys (canonical hex), in the order members joined. */
  readonly publicKeys: readonly string[];
}

export interface MessageDto {
  /** UUIDv7: time-ordered, the history cursor. */
  readonly id: string;
  readonly channelId: string;
  /** Per-channel number 1, 2, 3, ... in commit order, without gaps; a deleted message keeps its number. */
  readonly seq: number;
  /**
   * Per-channel change number of this message's latest change. Every send, edit and delete in a
   * channel takes the next one (1, 2, 3, ... in commit order, without gaps), so a client that holds
   * changes up to n and receives n + 2 knows it missed one and asks `messages.since`.
   */
  readonly rev: number;
  readonly clientId: string;
  readonly author: string;
  readonly content: string;
  /**
   * Public keys of the joined members that `content` mentions (`@Display Name`), in order of first
   * mention, without duplicates, at most `MAX_MENTIONS_PER_MESSAGE`. Resolved by the server on
   * send and again on every edit.
   */
  readonly mentions: readonly string[];
  readonly createdAt: string;
  readonly editedAt: string | null;
  /** The thread that grew from this message, if any (not on the messages of a thread). */
  readonly thread?: ThreadDto;
}

/**
 * A thread: a message stream under a message of a channel (docs/protocol.md, Threads). Its messages
 * are addressed like a channel's, with `streamId` as their `channelId`. The same for everyone who
 * can view the channel; what is the member's own (following, read state) is in `ThreadEntryDto`.
 */
export interface ThreadDto {
  /** The id of the message it grew from. */
  readonly id: string;
  /** `thread:<id>`: the `channelId` of its messages, read markers, typing and catch-up. */
  readonly streamId: string;
  /** The channel of the message it grew from. */
  readonly channelId: string;
  readonly name: string;
  readonly creator: string;
  readonly createdAt: string;
  /** Live (not deleted) messages in it. */
  readonly messageCount: number;
  /** Its last message's time; its creation time while it has none. */
  readonly lastMessageAt: string;
  /** The latest distinct authors, most recent first, at most `THREAD_SUMMARY_PARTICIPANTS`. */
  readonly participants: readonly string[];
  /** Read-only except for `manage_threads` holders. */
  readonly locked: boolean;
  /** Archived (by hand or after `thread_archive_after` without messages); a new message unarchives it. */
  readonly archived: boolean;
  /** Its stream's highest sequence and change numbers (see `ChannelDto`). */
  readonly lastSeq: number;
  readonly lastRev: number;
}

/** A thread as one member sees it: whether they follow it, and their read state in it. */
export interface ThreadEntryDto extends ThreadDto {
  readonly following: boolean;
  /** `channelId` is the thread's stream id. */
  readonly readState: ReadStateDto;
}

/** `threads.list`: a page of a channel's threads, active first, then archived. */
export interface ThreadPageDto {
  readonly threads: readonly ThreadEntryDto[];
  /** Pass it back for the next page; null at the end. */
  readonly cursor: string | null;
}

/** `thread.deleted`: the thread and its messages are gone. */
export interface ThreadDeletedDto {
  readonly channelId: string;
  readonly streamId: string;
  readonly id: string;
}

export interface HistoryPageDto {
  /** Oldest first. */
  readonly messages: readonly MessageDto[];
  /** More messages exist beyond this page in the direction asked. */
  readonly hasMore: boolean;
}

/** `messages.around`: the message asked for, with up to `limit` messages on each side. */
export interface MessagesAroundDto {
  /** Oldest first; the message asked for is among them. */
  readonly messages: readonly MessageDto[];
  /** Older messages exist before the first one. */
  readonly hasBefore: boolean;
  /** Newer messages exist after the last one. */
  readonly hasAfter: boolean;
}

/** One message found by `search.messages`. */
export interface SearchHitDto {
  readonly message: MessageDto;
  /** The channel it is in: `message.channelId`, or for a thread's message the thread's channel. */
  readonly channelId: string;
  /** The thread's name, for a message of a thread; null otherwise. */
  readonly threadName: string | null;
  /** Where the query's words are in `message.content`: `[start, end)` UTF-16 offsets, in order. */
  readonly highlights: readonly (readonly [number, number])[];
}

/** `search.messages`: newest first. */
export interface SearchPageDto {
  readonly results: readonly SearchHitDto[];
  /** Pass it back for the next (older) page; null at the end. */
  readonly cursor: string | null;
  /**
   * The search index is still being built (after an upgrade, or after `[search] language` changed):
   * older messages may be missing from the results until it is done.
   */
  readonly indexing: boolean;
}

export interface MessageDeletedDto {
  readonly channelId: string;
  readonly messageId: string;
  readonly seq: number;
  /** The change number of the delete (see `MessageDto.rev`). */
  readonly rev: number;
}

/**
 * `messages.since`: every message of the channel whose latest change is after `afterRev`, in change
 * order, each once in its current state: live ones in `messages`, deleted ones in `deleted`.
 */
export interface CatchUpPageDto {
  readonly messages: readonly MessageDto[];
  readonly deleted: readonly MessageDeletedDto[];
  /**
   * The change number this page brings the client to: ask again with `afterRev: rev` while
   * `hasMore`; without more, the channel's latest change number when the page was read.
   */
  readonly rev: number;
  readonly hasMore: boolean;
}

/** The server is shutting down (e.g. a restart): sockets close next; reconnect after the delay. */
export interface ServerRestartingDto {
  readonly reconnectAfterMs: number;
}

export interface TypingDto {
  readonly channelId: string;
  readonly publicKey: string;
  readonly displayName: string;
  readonly expiresInMs: number;
}

export interface PresenceDto {
  readonly publicKey: string;
  readonly online: boolean;
}

export interface MemberRemovedDto {
  readonly publicKey: string;
  /** `revoked`: `members.revoke`; `banned`: `members.ban` removed the authorization. */
  readonly reason: 'revoked' | 'banned';
}

export interface SessionEndedDto {
  /**
   * `revoked` and `banned`: the key may not log in again; `kicked`: it may; `flooding`: this
   * connection kept sending refused requests (docs/protocol.md, Rate limits) and may reconnect.
   */
  readonly reason: 'revoked' | 'kicked' | 'banned' | 'flooding';
  readonly message: string;
  /** `kicked` and `banned`: the reason the moderator gave, when they gave one. */
  readonly note?: string;
}

export interface MemberRolesDto {
  readonly publicKey: string;
  readonly roles: readonly string[];
}

/** A banned key: refused at login (`banned`) and for `members.authorize` until it is unbanned. */
export interface BanDto {
  readonly publicKey: string;
  readonly reason: string;
  /** The key of the member who banned it. */
  readonly bannedBy: string;
  readonly bannedAt: string;
}

/**
 * An invite's record. The code itself is stored only as its SHA-256 hash; `id` (a decimal string)
 * names the invite in `invites.list`, `invites.revoke` and the audit log.
 */
export interface InviteDto {
  readonly id: string;
  /** The key of the member who created it. */
  readonly createdBy: string;
  readonly createdAt: string;
  /** null: no limit on uses. */
  readonly maxUses: number | null;
  readonly uses: number;
  /** null: never expires. */
  readonly expiresAt: string | null;
  readonly roles: readonly string[];
  readonly note: string | null;
  readonly revokedAt: string | null;
}

/**
 * `GET /api/invites/:code`: what a person holding an invite link sees before logging in, and nothing
 * more (no member list, no roles, no note). Only a live invite (not revoked, not expired, not used
 * up) has a preview; any other code is `not_found`.
 */
export interface InvitePreviewDto {
  /** The server's name, as `GET /api/server` says. */
  readonly serverName: string;
  /** The display name of the member who made the invite; null when they have not joined or are gone. */
  readonly inviter: string | null;
  /** null: never expires. */
  readonly expiresAt: string | null;
  /** How many more keys it admits; null: no limit. */
  readonly usesLeft: number | null;
}

/** `invites.create`: the record and the code, which the server never shows again. */
export interface InviteCreatedDto extends InviteDto {
  readonly code: string;
}

/** What an audit entry records; `target` is a public key, or a message id for `message.removed`. */
export const AUDIT_ACTIONS = [
  'member.authorized',
  'member.revoked',
  'member.roles_changed',
  'member.kicked',
  'member.banned',
  'member.unbanned',
  'message.removed',
  'config.replaced',
  'config.rejected',
  'config.reloaded',
  'invite.created',
  'invite.revoked',
  'invite.redeemed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The `actor` of an audit entry for a change made to config.toml on disk rather than by a member. */
export const CONFIG_FILE_ACTOR = 'file';

export interface AuditEntryDto {
  /** Decimal string of a time-ordered integer; the `audit.list` cursor. */
  readonly id: string;
  readonly at: string;
  /**
   * The key of the member who acted, or `file` (CONFIG_FILE_ACTOR) for `config.reloaded`: an edit
   * of config.toml on disk, picked up by the server's watcher.
   */
  readonly actor: string;
  readonly action: AuditAction;
  readonly target: string;
  /** Action-specific (roles before and after, a reason, a message's channel and author). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditPageDto {
  /** Newest first. */
  readonly entries: readonly AuditEntryDto[];
  /** Older entries exist beyond this page. */
  readonly hasMore: boolean;
}

/**
 * `GET /api/health`: the `data` of a 200 answer (database up), and, with `status: "unavailable"`
 * and `database: "down"`, the `details` (beside `retryAfterMs`) of its 503 `database_unavailable`.
 */
export interface HealthDto {
  readonly status: 'ok' | 'unavailable';
  readonly database: 'up' | 'down';
  /**
   * `on` when the server hands out TURN relay credentials (TURN_SECRET and TURN_URLS set), `off`
   * when voice has STUN and host candidates only. Neither the relays nor the secret are told here.
   */
  readonly turn: 'on' | 'off';
  /**
   * `indexing` while the search index is being built (after an upgrade or a change of
   * `[search] language`; searches may miss older messages), `ready` once it is complete.
   */
  readonly search: 'ready' | 'indexing';
  /** Only when the api runs its own embedded PostgreSQL (DATABASE_URL unset). */
  readonly embeddedDatabase?: EmbeddedDatabaseHealthDto;
}

/** The embedded PostgreSQL as the api supervises it. */
export interface EmbeddedDatabaseHealthDto {
  /** `restarting` from an unexpected exit until it accepts connections again. */
  readonly state: 'running' | 'restarting' | 'stopped';
  /** Successful restarts after unexpected exits since the api started. */
  readonly restarts: number;
  /** The last unexpected exit: when, and its exit code or the signal that ended it. */
  readonly lastExit: {
    readonly at: string;
    readonly code: number | null;
    readonly signal: string | null;
  } | null;
}

/**
 * One ICE server as WebRTC's `RTCIceServer` takes it, so a client passes the list to
 * `new RTCPeerConnection({ iceServers })` unchanged. `urls` is a mutable array for that reason
 * (`RTCIceServer.urls` is `string | string[]`, which a readonly array is not assignable to).
 * TURN entries carry `username` and `credential` in coturn's REST form (docs/protocol.md, "Voice");
 * STUN entries have neither.
 */
export interface IceServerDto {
  readonly urls: string[];
  readonly username?: string;
  readonly credential?: string;
}

/** The ICE servers one member gets, and until when their TURN credentials are valid. */
export interface IceServersDto {
  readonly iceServers: IceServerDto[];
  /** When the TURN credentials expire; `null` when there are none (no TURN configured). */
  readonly expiresAt: string | null;
}

export const UNREAD_COUNT_CAP = 1000;

/** `config.get`: config.toml as it is on disk, and the sha-256 (lowercase hex) of its UTF-8 bytes. */
export interface ConfigDto {
  readonly text: string;
  readonly hash: string;
}

/** `config.replace`: the hash of the text now on disk and running. */
export interface ConfigReplacedDto {
  readonly hash: string;
}

/** One member's connection in a voice call (a member with two devices in it is two participants). */
export interface VoiceParticipantDto {
  /** Fresh per join; the address of `voice.signal`. */
  readonly participantId: string;
  readonly publicKey: string;
  readonly displayName: string;
  readonly muted: boolean;
  readonly deafened: boolean;
  readonly camera: boolean;
  readonly screen: boolean;
  readonly speaking: boolean;
  /** Muted by a moderator (or joined without `speak`): the member cannot unmute. */
  readonly serverMuted: boolean;
}

/** Who is in a voice channel's call, in the order they joined. */
export interface VoiceRoomDto {
  readonly channelId: string;
  readonly participants: readonly VoiceParticipantDto[];
}

/** The answer to `voice.join`. */
export interface VoiceJoinedDto {
  readonly room: VoiceRoomDto;
  /** This connection's participant. */
  readonly self: VoiceParticipantDto;
  /** The ICE servers for this call, TURN credentials made fresh for this join. */
  readonly ice: IceServersDto;
  /** Opus bitrate (bits/s) to send at. */
  readonly bitrate: number;
}

/** A signal relayed from another participant of the same call. */
export interface VoiceSignalDto {
  readonly channelId: string;
  readonly from: string;
  readonly description?: {
    readonly type: 'offer' | 'answer' | 'pranswer' | 'rollback';
    readonly sdp: string;
  };
  readonly candidate?: {
    readonly candidate: string;
    readonly sdpMid?: string | null;
    readonly sdpMLineIndex?: number | null;
    readonly usernameFragment?: string | null;
  } | null;
  /** With a description: what each of the sender's stream ids carries. */
  readonly streams?: Readonly<Record<string, 'microphone' | 'camera' | 'screen'>>;
}
