import { createHash, randomBytes } from 'node:crypto';

/** Random bytes in a new invite code (base64url: 32 characters). */
export const INVITE_CODE_BYTES = 24;

export function newInviteCode(): string {
  return randomBytes(INVITE_CODE_BYTES).toString('base64url');
}

/** What the database stores in place of a code: its SHA-256 hash. */
export function inviteCodeHash(code: string): Buffer {
  return createHash('sha256').update(code, 'utf8').digest();
}
