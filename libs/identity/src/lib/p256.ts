import { p256 } from '@noble/curves/nist.js';

// P-256 point arithmetic comes from @noble/curves (audited, constant-time scalar multiplication);
// this module only fixes the shapes the rest of the library uses: affine bigint points, SEC1 bytes,
// and null instead of an exception for anything that is not a valid point.
const Point = p256.Point;

/** The order n of the P-256 base point G: valid private scalars are 1 <= d < n. */
export const P256_ORDER: bigint = Point.Fn.ORDER;

export interface P256Point {
  readonly x: bigint;
  readonly y: bigint;
}

function affine(point: InstanceType<typeof Point>): P256Point {
  const { x, y } = point.toAffine();
  return { x, y };
}

/** True for an affine point on the curve with both coordinates in [0, p). */
export function isOnCurve(point: P256Point): boolean {
  try {
    Point.fromAffine({ x: point.x, y: point.y }).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/**
 * Decodes a SEC1 point, compressed (33 bytes) or uncompressed (65 bytes), and checks it lies on the
 * curve. Returns null for anything that is not a valid affine point (the point at infinity included).
 */
export function decodeSec1Point(bytes: Uint8Array): P256Point | null {
  // noble also reads other encodings (e.g. the single byte 0x00); the wire knows only these two.
  const compressed = bytes.length === 33 && (bytes[0] === 0x02 || bytes[0] === 0x03);
  const uncompressed = bytes.length === 65 && bytes[0] === 0x04;
  if (!compressed && !uncompressed) return null;
  try {
    const point = Point.fromBytes(bytes);
    point.assertValidity();
    return affine(point);
  } catch {
    return null;
  }
}

export function encodeCompressed(point: P256Point): Uint8Array {
  return Point.fromAffine({ x: point.x, y: point.y }).toBytes(true);
}

export function encodeUncompressed(point: P256Point): Uint8Array {
  return Point.fromAffine({ x: point.x, y: point.y }).toBytes(false);
}

/** d·G, the public point of the private scalar d, for 1 <= d < n (a RangeError otherwise). */
export function multiplyBase(d: bigint): P256Point {
  if (d < 1n || d >= P256_ORDER) throw new RangeError('scalar out of range: need 1 <= d < n');
  return affine(Point.BASE.multiply(d));
}
