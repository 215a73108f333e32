import { ECDH } from 'node:crypto';

import { bytesToHex, hexToBytes, parseAnyPublicKey, type PublicKeyParseResult } from '@mpqcht/identity';

/**
 * The identity library's key parsers, with a compressed point decompressed by OpenSSL first: the
 * library's square root, in JavaScript, was the largest part of a login in a CPU profile of the
 * bench's ramp (docs/performance.md, Logins at scale). Same answers: the point is checked on the
 * curve by OpenSSL and again by the library, which reads the uncompressed form without a root.
 */

/** `parseWirePublicKey`: 33-byte compressed SEC1 in hex, as the handshake carries it. */
export function parseWireKey(hex: string): PublicKeyParseResult {
  const bytes = hexToBytes(hex);
  if (!bytes) return { ok: false, error: 'not_hex' };
  if (bytes.length !== 33) return { ok: false, error: 'bad_length' };
  return parseCompressed(bytes);
}

/** `parseAnyPublicKey`: compressed or uncompressed, as an operator pastes it. */
export function parseOperatorKey(hex: string): PublicKeyParseResult {
  const bytes = hexToBytes(hex.trim());
  return bytes?.length === 33 ? parseCompressed(bytes) : parseAnyPublicKey(hex);
}

function parseCompressed(bytes: Uint8Array): PublicKeyParseResult {
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) return { ok: false, error: 'invalid_point' };
  let uncompressed: Buffer;
  try {
    uncompressed = ECDH.convertKey(bytes, 'prime256v1', undefined, undefined, 'uncompressed') as Buffer;
  } catch {
    return { ok: false, error: 'invalid_point' };
  }
  return parseAnyPublicKey(bytesToHex(uncompressed));
}
