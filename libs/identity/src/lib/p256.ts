import { bigIntToBytes, bytesToBigInt, concatBytes } from './hex';

/** NIST P-256 domain parameters (SEC 2, section 2.4.2). */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

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
