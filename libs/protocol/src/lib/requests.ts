import { z } from 'zod';
import { channelId, displayName, messageContent, publicKeyHex, roleId, uuid } from './fields';
import { HISTORY_PAGE_SIZE } from './limits';

/** Request payloads. Every schema is strict: unknown fields are a `validation_failed` error. */
export const EmptyRequest = z.strictObject({}).optional();

export const JoinRequest = z.strictObject({ displayName });

export const AuthorizeMemberRequest = z.strictObject({
  publicKey: z.string().max(200),
  roles: z.array(roleId).max(32).default([]),
});

export const RevokeMemberRequest = z.strictObject({ publicKey: publicKeyHex });

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
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;
export type EditMessageRequest = z.infer<typeof EditMessageRequest>;
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequest>;
export type HistoryRequest = z.input<typeof HistoryRequest>;
export type MarkReadRequest = z.infer<typeof MarkReadRequest>;
export type TypingRequest = z.infer<typeof TypingRequest>;
export type LoginAuth = z.infer<typeof LoginAuth>;
export type EmptyRequest = z.infer<typeof EmptyRequest>;
