import { bigIntToBytes, bytesToBase64Url, bytesToHex, hexToBytes } from './hex';
import { decodeSec1Point, encodeCompressed, encodeUncompressed, isOnCurve, type P256Point } from './p256';

/** Length in hex characters of a public key on the wire: 33-byte compressed SEC1. */
export const PUBLIC_KEY_HEX_LENGTH = 66;

/**
 * A public key as the wire spells it: 33-byte compressed SEC1 in hex (`02` or `03`, then x), either
 * case. The shape only: `parseWirePublicKey` also checks that it is a point on the curve.
 */
export const WIRE_PUBLIC_KEY_PATTERN = /^0[23][0-9a-fA-F]{64}$/;

/**
 * The one spelling of a key: the hex of its compressed encoding in lowercase, as `PublicKey.hex`
 * has it, the database stores it and every comparison expects it. For a key written in the wire's
 * shape (either case); it checks nothing.
 */
export function canonicalPublicKeyHex(hex: string): string {
  return hex.toLowerCase();
}

/**
 * A validated P-256 public key. `hex` is the one canonical form (lowercase, compressed SEC1) that
 * identifies a member everywhere: in the database, in signed bytes, and on the wire.
 */
export interface PublicKey {
  readonly hex: string;
  readonly compressed: Uint8Array;
  readonly point: P256Point;
}

export type PublicKeyParseError = 'not_hex' | 'bad_length' | 'invalid_point';

export type PublicKeyParseResult = { ok: true; key: PublicKey } | { ok: false; error: PublicKeyParseError };

function fromPoint(point: P256Point): PublicKey {
  const compressed = encodeCompressed(point);
  return { hex: canonicalPublicKeyHex(bytesToHex(compressed)), compressed, point };
}

/** The canonical key for an affine point (e.g. from multiplyBase); throws if it is not on the curve. */
export function publicKeyFromPoint(point: P256Point): PublicKey {
  if (!isOnCurve(point)) throw new RangeError('not a point on P-256');
  return fromPoint({ x: point.x, y: point.y });
}

/**
 * Strict parse for the login handshake and the wire: exactly 33 compressed bytes in hex.
 * Any other encoding of the same key is refused, so one key has one spelling.
 */
export function parseWirePublicKey(hex: string): PublicKeyParseResult {
  const bytes = hexToBytes(hex);
  if (!bytes) return { ok: false, error: 'not_hex' };
  if (bytes.length !== 33) return { ok: false, error: 'bad_length' };
  const point = decodeSec1Point(bytes);
  return point ? { ok: true, key: fromPoint(point) } : { ok: false, error: 'invalid_point' };
}

/**
 * Lenient parse for what an operator pastes (config.toml, authorize): compressed or uncompressed
 * SEC1 hex, either case. The result is always the canonical compressed form.
 */
export function parseAnyPublicKey(hex: string): PublicKeyParseResult {
  const bytes = hexToBytes(hex.trim());
  if (!bytes) return { ok: false, error: 'not_hex' };
  if (bytes.length !== 33 && bytes.length !== 65) return { ok: false, error: 'bad_length' };
  const point = decodeSec1Point(bytes);
  return point ? { ok: true, key: fromPoint(point) } : { ok: false, error: 'invalid_point' };
}

export function uncompressedPublicKey(key: PublicKey): Uint8Array {
  return encodeUncompressed(key.point);
}

/** The key as a JWK, the one import format both Node's crypto and WebCrypto accept for P-256. */
export function publicKeyToJwk(key: PublicKey): JsonWebKey {
  return {
    kty: 'EC',
    crv: 'P-256',
    x: bytesToBase64Url(bigIntToBytes(key.point.x, 32)),
    y: bytesToBase64Url(bigIntToBytes(key.point.y, 32)),
    ext: true,
  };
}
