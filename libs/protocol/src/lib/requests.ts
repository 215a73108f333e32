import { z } from 'zod';

import {
  channelId,
  displayName,
  hexBytes,
  messageContent,
  publicKeyHex,
  roleId,
  serialId,
  streamId,
  threadStream,
  uuid,
} from './fields';
import {
  AUDIT_PAGE_SIZE,
  CATCH_UP_PAGE_SIZE,
  HISTORY_PAGE_SIZE,
  INVITE_EXPIRY_CEILING_MS,
  INVITE_MAX_USES_CEILING,
  INVITE_NOTE_MAX_LENGTH,
  MODERATION_REASON_MAX_LENGTH,
  SEARCH_DEFAULT_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  THREAD_NAME_MAX_LENGTH,
  THREAD_PAGE_SIZE,
} from './limits';
import { SEARCH_QUERY_MAX_LENGTH } from './search-query';

/** Request payloads. Every schema is strict: unknown fields are a `validation_failed` error. */
export const EmptyRequest = z.strictObject({}).optional();

export const JoinRequest = z.strictObject({ displayName });

/** Most members one `members.list` or `members.subscribe` page holds. */
export const MEMBERS_PAGE_CEILING = 500;

/**
 * `members.list` and `members.subscribe`: every joined member, oldest first, or a page of them:
 * `limit` members after the member `after` names (its `joinedAt` and `publicKey`, as the previous
 * page's last member has them). A page shorter than `limit` is the last.
 */
export const MembersPageRequest = z
  .strictObject({
    limit: z.number().int().min(1).max(MEMBERS_PAGE_CEILING).optional(),
    after: z.strictObject({ joinedAt: z.iso.datetime(), publicKey: publicKeyHex }).optional(),
  })
  .optional();

export const AuthorizeMemberRequest = z.strictObject({
  publicKey: z.string().max(200),
  roles: z.array(roleId).max(32).default([]),
});

export const RevokeMemberRequest = z.strictObject({ publicKey: publicKeyHex });

/** Replaces a member's roles (`manage_roles`; see docs/protocol.md for the grant rule). */
export const SetRolesRequest = z.strictObject({
  publicKey: publicKeyHex,
  roles: z.array(roleId).max(32),
});

const moderationReason = z
  .string()
  .max(MODERATION_REASON_MAX_LENGTH)
  .refine((text) => text.trim().length > 0, 'must not be empty');

export const KickRequest = z.strictObject({ publicKey: publicKeyHex, reason: moderationReason.optional() });

export const BanRequest = z.strictObject({ publicKey: publicKeyHex, reason: moderationReason });

export const UnbanRequest = z.strictObject({ publicKey: publicKeyHex });

/** `before`: the id of an audit entry; the page holds the entries just older than it. */
export const AuditListRequest = z.strictObject({
  before: serialId('an audit entry id').optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_SIZE).default(AUDIT_PAGE_SIZE),
});

/** Longest config.toml text `config.replace` accepts, in code points (it must fit a Socket.IO frame). */
export const CONFIG_TEXT_MAX_LENGTH = 32_768;

/** A sha-256 of config.toml's bytes (UTF-8), lowercase hex, as `config.get` returns it. */
const configHash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha-256 in lowercase hex');

/** Replaces config.toml (`manage_config`); `expectedHash` is the hash of the text the edit started from. */
export const ReplaceConfigRequest = z.strictObject({
  text: z.string().max(CONFIG_TEXT_MAX_LENGTH),
  expectedHash: configHash,
});

export const SendMessageRequest = z.strictObject({
  channelId: streamId,
  clientId: uuid,
  content: messageContent,
});

export const EditMessageRequest = z.strictObject({ messageId: uuid, content: messageContent });

export const DeleteMessageRequest = z.strictObject({ messageId: uuid });

export const HistoryRequest = z
  .strictObject({
    channelId: streamId,
    before: uuid.optional(),
    after: uuid.optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_SIZE).default(HISTORY_PAGE_SIZE),
  })
  .refine((r) => !(r.before && r.after), 'give either before or after, not both');

/**
 * `messages.around`: the page of a stream with `messageId` in the middle (jump to a message, e.g.
 * from a search result); `limit` counts the messages on each side.
 */
export const MessagesAroundRequest = z.strictObject({
  channelId: streamId,
  messageId: uuid,
  limit: z
    .number()
    .int()
    .min(1)
    .max(HISTORY_PAGE_SIZE / 2)
    .default(HISTORY_PAGE_SIZE / 2),
});

/**
 * `search.messages`: the query is read by `parseSearchQuery` (docs/protocol.md, Search queries);
 * `cursor` is the previous page's, passed back unchanged.
 */
export const SearchMessagesRequest = z.strictObject({
  query: z.string().max(SEARCH_QUERY_MAX_LENGTH),
  cursor: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(SEARCH_PAGE_SIZE).default(SEARCH_DEFAULT_PAGE_SIZE),
});

/** What changed in a channel after the change number `afterRev` the client holds (docs/protocol.md). */
export const SinceRequest = z.strictObject({
  channelId: streamId,
  afterRev: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(CATCH_UP_PAGE_SIZE).default(CATCH_UP_PAGE_SIZE),
});

export const MarkReadRequest = z.strictObject({ channelId: streamId, messageId: uuid });

export const TypingRequest = z.strictObject({ channelId: streamId });

export const ChannelViewersRequest = z.strictObject({ channelId: streamId });

/** A thread's name: trimmed, 1 to THREAD_NAME_MAX_LENGTH code points, on one line. */
export const threadName = z
  .string()
  .trim()
  .min(1)
  .max(THREAD_NAME_MAX_LENGTH)
  .refine((name) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(name), 'one line, without control characters');

/** Threads: start one on a message of a channel (`create_threads` there). */
export const CreateThreadRequest = z.strictObject({ channelId, messageId: uuid, name: threadName });

/** A page of a channel's threads: active ones first (latest activity first), then archived ones. */
export const ListThreadsRequest = z.strictObject({
  channelId,
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(THREAD_PAGE_SIZE).default(THREAD_PAGE_SIZE),
});

/** One thread, named by its stream id (`thread:<uuid>`), as every thread request names it. */
export const ThreadRequest = z.strictObject({ channelId: threadStream });

/** Rename (creator or `manage_threads`), lock or unlock, archive or unarchive (`manage_threads`). */
export const UpdateThreadRequest = z
  .strictObject({
    channelId: threadStream,
    name: threadName.optional(),
    locked: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .refine(
    (r) => r.name !== undefined || r.locked !== undefined || r.archived !== undefined,
    'change at least one of name, locked, archived',
  );

export const FollowThreadRequest = z.strictObject({ channelId: threadStream, follow: z.boolean() });

/** Voice: join a voice channel's call (`connect`); a member in another call there leaves it first. */
export const VoiceJoinRequest = z.strictObject({ channelId });

/** The member's own state in the call; each field optional (only what changed). */
export const VoiceUpdateRequest = z.strictObject({
  muted: z.boolean().optional(),
  deafened: z.boolean().optional(),
  camera: z.boolean().optional(),
  screen: z.boolean().optional(),
  speaking: z.boolean().optional(),
});

/**
 * SDP is a few KB for audio, video and a screen share (about 6–10 KB in Chromium with three media
 * sections); 32 KB bounds it with room to spare and stays inside the smallest Socket.IO frame the
 * server accepts (64 KB).
 */
export const VOICE_SDP_MAX_LENGTH = 32_768;

/** What a participant's media stream carries: its microphone, its camera or its screen. */
export const VOICE_STREAM_KINDS = ['microphone', 'camera', 'screen'] as const;
export type VoiceStreamKind = (typeof VOICE_STREAM_KINDS)[number];

/** WebRTC signalling to one participant of the same call: a description (offer/answer) or an ICE candidate. */
export const VoiceSignalRequest = z
  .strictObject({
    to: z.uuid(),
    description: z
      .strictObject({
        type: z.enum(['offer', 'answer', 'pranswer', 'rollback']),
        sdp: z.string().max(VOICE_SDP_MAX_LENGTH).default(''),
      })
      .optional(),
    candidate: z
      .strictObject({
        candidate: z.string().max(1024),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable()
      .optional(),
    /**
     * With a description: what each of the sender's media streams (`a=msid` stream ids) carries,
     * so the other side tells a camera from a screen share.
     */
    streams: z
      .record(z.string().min(1).max(64), z.enum(VOICE_STREAM_KINDS))
      .refine((streams) => Object.keys(streams).length <= VOICE_STREAM_KINDS.length, {
        message: `at most ${VOICE_STREAM_KINDS.length} streams`,
      })
      .optional(),
  })
  .refine((s) => (s.description === undefined) !== (s.candidate === undefined), {
    message: 'exactly one of description and candidate',
  })
  .refine((s) => s.streams === undefined || s.description !== undefined, {
    message: 'streams go with a description',
  });

/** A moderator mutes (or unmutes) a member in a voice channel's call (`mute_members`). */
export const VoiceMuteRequest = z.strictObject({ channelId, publicKey: publicKeyHex, muted: z.boolean() });

/** An invite code: 16+ random bytes in base64url (docs/protocol.md, Invites). */
export const inviteCode = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, 'an invite code');

/** The path parameter of `GET /api/invites/:code`. */
export const InvitePreviewParams = z.strictObject({ code: inviteCode });

export const CreateInviteRequest = z.strictObject({
  maxUses: z.number().int().min(1).max(INVITE_MAX_USES_CEILING).optional(),
  expiresInMs: z.number().int().min(60_000).max(INVITE_EXPIRY_CEILING_MS).optional(),
  roles: z.array(roleId).max(32).default([]),
  note: z.string().max(INVITE_NOTE_MAX_LENGTH).optional(),
});

/** Revokes by the code itself or by the `id` that `invites.list` shows: exactly one of them. */
export const RevokeInviteRequest = z
  .strictObject({
    code: inviteCode.optional(),
    id: serialId('an invite id').optional(),
  })
  .refine((r) => (r.code === undefined) !== (r.id === undefined), 'give either code or id');

/**
 * The handshake `auth`. Anything this schema refuses is `auth_malformed`, before the nonce is used:
 * the three proof fields must be hex. What the bytes mean (a 32-byte nonce, a 33-byte point, a
 * 64-byte signature) is checked by the server afterwards, each with its own code.
 */
/** A solved proof-of-work challenge (docs/protocol.md, "Proof of work"). */
export const PowProof = z.strictObject({
  challenge: hexBytes(82),
  solution: hexBytes(16),
});

/**
 * `POST /api/auth/challenge`: empty, or a login pass (no proof needed), or a solved proof when the
 * server asks for one. Either way the body stays optional: an empty POST is a request too.
 */
export const ChallengeRequest = z
  .strictObject({
    pass: hexBytes(108).optional(),
    pow: PowProof.optional(),
  })
  .optional();

export const LoginAuth = z.strictObject({
  publicKey: hexBytes(200),
  nonce: hexBytes(200),
  signature: hexBytes(400),
  /** An invite code, redeemed when the key is not admitted yet. */
  invite: z.string().max(200).optional(),
});

export type JoinRequest = z.infer<typeof JoinRequest>;
export type MembersPageRequest = z.input<typeof MembersPageRequest>;
export type AuthorizeMemberRequest = z.input<typeof AuthorizeMemberRequest>;
export type RevokeMemberRequest = z.infer<typeof RevokeMemberRequest>;
export type SetRolesRequest = z.infer<typeof SetRolesRequest>;
export type KickRequest = z.infer<typeof KickRequest>;
export type BanRequest = z.infer<typeof BanRequest>;
export type UnbanRequest = z.infer<typeof UnbanRequest>;
export type AuditListRequest = z.input<typeof AuditListRequest>;
export type ReplaceConfigRequest = z.infer<typeof ReplaceConfigRequest>;
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;
export type EditMessageRequest = z.infer<typeof EditMessageRequest>;
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequest>;
export type HistoryRequest = z.input<typeof HistoryRequest>;
export type MessagesAroundRequest = z.input<typeof MessagesAroundRequest>;
export type SearchMessagesRequest = z.input<typeof SearchMessagesRequest>;
export type SinceRequest = z.input<typeof SinceRequest>;
export type MarkReadRequest = z.infer<typeof MarkReadRequest>;
export type TypingRequest = z.infer<typeof TypingRequest>;
export type ChannelViewersRequest = z.infer<typeof ChannelViewersRequest>;
export type VoiceJoinRequest = z.infer<typeof VoiceJoinRequest>;
export type VoiceUpdateRequest = z.infer<typeof VoiceUpdateRequest>;
export type VoiceSignalRequest = z.infer<typeof VoiceSignalRequest>;
export type VoiceMuteRequest = z.infer<typeof VoiceMuteRequest>;
export type LoginAuth = z.infer<typeof LoginAuth>;
export type PowProof = z.infer<typeof PowProof>;
export type ChallengeRequest = z.infer<typeof ChallengeRequest>;
export type CreateInviteRequest = z.input<typeof CreateInviteRequest>;
export type RevokeInviteRequest = z.infer<typeof RevokeInviteRequest>;
export type EmptyRequest = z.infer<typeof EmptyRequest>;
export type CreateThreadRequest = z.infer<typeof CreateThreadRequest>;
export type ListThreadsRequest = z.input<typeof ListThreadsRequest>;
export type ThreadRequest = z.infer<typeof ThreadRequest>;
export type UpdateThreadRequest = z.input<typeof UpdateThreadRequest>;
export type FollowThreadRequest = z.infer<typeof FollowThreadRequest>;
