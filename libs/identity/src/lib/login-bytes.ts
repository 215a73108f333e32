import { concatBytes } from './hex';
import type { PublicKey } from './public-key';

export const LOGIN_CONTEXT = 'mpqcht-login-v1';
export const NONCE_BYTES = 32;
export const SIGNATURE_BYTES = 64;

const encoder = new TextEncoder();

export interface LoginBytesInput {
  /** The server's configured public origin, e.g. `https://chat.example.org` (never a Host header). */
  readonly origin: string;
  readonly nonce: Uint8Array;
  readonly publicKey: PublicKey;
}

/**
 * The exact bytes a client signs to log in (see docs/protocol.md, "Signed bytes"):
 *
 *   "mpqcht-login-v1" 0x00 | u16be(len(origin)) origin(UTF-8) | nonce (32) | public key (33, compressed)
 *
 * Every variable field has a fixed length or a length prefix, so no two inputs share an encoding.
 */
export function buildLoginBytes(input: LoginBytesInput): Uint8Array {
  if (input.nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
  const origin = encoder.encode(input.origin);
  if (origin.length === 0 || origin.length > 0xffff) throw new RangeError('origin length out of range');
  const originLength = new Uint8Array([origin.length >> 8, origin.length & 0xff]);
  return concatBytes(
    encoder.encode(LOGIN_CONTEXT),
    new Uint8Array([0]),
    originLength,
    origin,
    input.nonce,
    input.publicKey.compressed,
  );
}
