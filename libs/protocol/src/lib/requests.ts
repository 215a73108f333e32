import { z } from 'zod';
import { channelId, displayName, messageContent, publicKeyHex, roleId, uuid } from './fields';
import { AUDIT_PAGE_SIZE, HISTORY_PAGE_SIZE, MODERATION_REASON_MAX_LENGTH } from './limits';

/** Request payloads. Every schema is strict: unknown fields are a `validation_failed` error. */
export const EmptyRequest = z.strictObject({}).optional();

export const JoinRequest = z.strictObject({ displayName });

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
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'an audit entry id')
    .optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_SIZE).default(AUDIT_PAGE_SIZE),
});

export const SendMessageRequest = z.strictObject({
  channelId,
  clientId: uuid,
  content: messageContent,
});

export const EditMessageRequest = z.strictObject({ messageId: uuid, content: messageContent });

export const DeleteMessageRequest = z.strictObject({ messageId: uuid });

export const HistoryRequest = z
  .strictObject({
    channelId,
    before: uuid.optional(),
    after: uuid.optional(),
    limit: z.number().int().min(1).max(HISTORY_PAGE_SIZE).default(HISTORY_PAGE_SIZE),
  })
  .refine((r) => !(r.before && r.after), 'give either before or after, not both');

export const MarkReadRequest = z.strictObject({ channelId, messageId: uuid });

export const TypingRequest = z.strictObject({ channelId });

export const LoginAuth = z.strictObject({
  publicKey: z.string().max(200),
  nonce: z.string().max(200),
  signature: z.string().max(400),
});

export type JoinRequest = z.infer<typeof JoinRequest>;
export type AuthorizeMemberRequest = z.input<typeof AuthorizeMemberRequest>;
export type RevokeMemberRequest = z.infer<typeof RevokeMemberRequest>;
export type SetRolesRequest = z.infer<typeof SetRolesRequest>;
export type KickRequest = z.infer<typeof KickRequest>;
export type BanRequest = z.infer<typeof BanRequest>;
export type UnbanRequest = z.infer<typeof UnbanRequest>;
export type AuditListRequest = z.input<typeof AuditListRequest>;
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;
export type EditMessageRequest = z.infer<typeof EditMessageRequest>;
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequest>;
export type HistoryRequest = z.input<typeof HistoryRequest>;
export type MarkReadRequest = z.infer<typeof MarkReadRequest>;
export type TypingRequest = z.infer<typeof TypingRequest>;
export type LoginAuth = z.infer<typeof LoginAuth>;
export type EmptyRequest = z.infer<typeof EmptyRequest>;
