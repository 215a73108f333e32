import { bigIntToBytes, bytesToBigInt, concatBytes } from './hex';

/** NIST P-256 domain parameters (SEC 2, section 2.4.2). */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const GX = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n;
const GY = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n;

/** The order n of the P-256 base point G: valid private scalars are 1 <= d < n. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export interface P256Point {
  readonly x: bigint;
  readonly y: bigint;
}

function mod(value: bigint): bigint {
  const r = value % P;
  return r < 0n ? r + P : r;
}

function modPow(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return result;
}

function curveRhs(x: bigint): bigint {
  return mod(x * x * x + A * x + B);
}

export function isOnCurve(point: P256Point): boolean {
  if (point.x < 0n || point.x >= P || point.y < 0n || point.y >= P) return false;
  return mod(point.y * point.y) === curveRhs(point.x);
}

/**
 * Decodes a SEC1 point, compressed (33 bytes) or uncompressed (65 bytes), and checks it lies on the
 * curve. Returns null for anything that is not a valid affine point (the point at infinity included).
 */
export function decodeSec1Point(bytes: Uint8Array): P256Point | null {
  const prefix = bytes[0];
  if (bytes.length === 65 && prefix === 0x04) {
    const point = { x: bytesToBigInt(bytes.subarray(1, 33)), y: bytesToBigInt(bytes.subarray(33, 65)) };
    return isOnCurve(point) ? point : null;
  }
  if (bytes.length === 33 && (prefix === 0x02 || prefix === 0x03)) {
    const x = bytesToBigInt(bytes.subarray(1, 33));
    if (x >= P) return null;
    const rhs = curveRhs(x);
    // P ≡ 3 (mod 4), so a square root is rhs^((P+1)/4) when one exists.
    let y = modPow(rhs, (P + 1n) / 4n);
    if (mod(y * y) !== rhs) return null;
    if ((y & 1n) !== BigInt(prefix & 1)) y = P - y;
    return { x, y };
  }
  return null;
}

export function encodeCompressed(point: P256Point): Uint8Array {
  const prefix = new Uint8Array([point.y & 1n ? 0x03 : 0x02]);
  return concatBytes(prefix, bigIntToBytes(point.x, 32));
}

export function encodeUncompressed(point: P256Point): Uint8Array {
  return concatBytes(new Uint8Array([0x04]), bigIntToBytes(point.x, 32), bigIntToBytes(point.y, 32));
}

/** A point in Jacobian coordinates: (X / Z², Y / Z³); Z = 0 is the point at infinity. */
interface JacobianPoint {
  readonly x: bigint;
  readonly y: bigint;
  readonly z: bigint;
}

const INFINITY: JacobianPoint = { x: 1n, y: 1n, z: 0n };

/** Doubling for a = -3 (dbl-2001-b, Explicit-Formulas Database). */
function jacobianDouble(p: JacobianPoint): JacobianPoint {
  if (p.z === 0n || p.y === 0n) return INFINITY;
  const delta = mod(p.z * p.z);
  const gamma = mod(p.y * p.y);
  const beta = mod(p.x * gamma);
  const alpha = mod(3n * (p.x - delta) * (p.x + delta));
  const x = mod(alpha * alpha - 8n * beta);
  const z = mod((p.y + p.z) * (p.y + p.z) - gamma - delta);
  const y = mod(alpha * (4n * beta - x) - 8n * gamma * gamma);
  return { x, y, z };
}

/** General addition (add-2007-bl), with the special cases P = Q, P = -Q and infinity handled. */
function jacobianAdd(p: JacobianPoint, q: JacobianPoint): JacobianPoint {
  if (p.z === 0n) return q;
  if (q.z === 0n) return p;
  const z1z1 = mod(p.z * p.z);
  const z2z2 = mod(q.z * q.z);
  const u1 = mod(p.x * z2z2);
  const u2 = mod(q.x * z1z1);
  const s1 = mod(p.y * q.z * z2z2);
  const s2 = mod(q.y * p.z * z1z1);
  const h = mod(u2 - u1);
  const r = mod(2n * (s2 - s1));
  if (h === 0n) return r === 0n ? jacobianDouble(p) : INFINITY;
  const i = mod(4n * h * h);
  const j = mod(h * i);
  const v = mod(u1 * i);
  const x = mod(r * r - j - 2n * v);
  const y = mod(r * (v - x) - 2n * s1 * j);
  const z = mod(((p.z + q.z) * (p.z + q.z) - z1z1 - z2z2) * h);
  return { x, y, z };
}

/**
 * d·G, the public point of the private scalar d, for 1 <= d < n (a RangeError otherwise).
 *
 * A Montgomery ladder over all 256 bits in Jacobian coordinates, so the sequence of point operations
 * does not depend on d. BigInt arithmetic itself is not constant-time: this is meant for deriving
 * a key once per login on the user's own device, not for a server signing in a loop.
 */
export function multiplyBase(d: bigint): P256Point {
  if (d < 1n || d >= P256_ORDER) throw new RangeError('scalar out of range: need 1 <= d < n');
  let r0 = INFINITY;
  let r1: JacobianPoint = { x: GX, y: GY, z: 1n };
  for (let bit = 255n; bit >= 0n; bit--) {
    if ((d >> bit) & 1n) {
      r0 = jacobianAdd(r0, r1);
      r1 = jacobianDouble(r1);
    } else {
      r1 = jacobianAdd(r0, r1);
      r0 = jacobianDouble(r0);
    }
  }
  // 1 <= d < n, so r0 is never the point at infinity.
  const zInverse = modPow(r0.z, P - 2n);
  const zInverse2 = mod(zInverse * zInverse);
  const point = { x: mod(r0.x * zInverse2), y: mod(r0.y * zInverse2 * zInverse) };
  if (!isOnCurve(point)) throw new Error('P-256 scalar multiplication produced a point off the curve');
  return point;
}
