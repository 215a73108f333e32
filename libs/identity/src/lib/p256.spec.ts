import { createECDH, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { base64UrlToBytes, bigIntToBytes, bytesToBigInt, bytesToHex, concatBytes, hexToBytes } from './hex';
import {
  decodeSec1Point,
  encodeCompressed,
  encodeUncompressed,
  isOnCurve,
  multiplyBase,
  P256_ORDER,
  type P256Point,
} from './p256';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;

// The generator G (SEC 2, section 2.4.2): a known point with odd y.
const GX = '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';
const GY = '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
const G: P256Point = { x: BigInt('0x' + GX), y: BigInt('0x' + GY) };

function bytes(hex: string): Uint8Array {
  const out = hexToBytes(hex);
  if (!out) throw new Error(`not hex: ${hex}`);
  return out;
}

function scalar(value: bigint): string {
  return bytesToHex(bigIntToBytes(value, 32));
}

describe('decodeSec1Point', () => {
  it('decodes the compressed and uncompressed forms of G to the same point', () => {
    expect(decodeSec1Point(bytes('03' + GX))).toEqual(G);
    expect(decodeSec1Point(bytes('04' + GX + GY))).toEqual(G);
  });

  it('picks y by the prefix parity: 02 gives the even root, 03 the odd one', () => {
    const even = decodeSec1Point(bytes('02' + GX));
    expect(even).toEqual({ x: G.x, y: P - G.y });
    expect(even && even.y % 2n).toBe(0n);
  });

  it('round-trips through encodeCompressed and encodeUncompressed', () => {
    expect(bytesToHex(encodeCompressed(G))).toBe('03' + GX);
    expect(bytesToHex(encodeUncompressed(G))).toBe('04' + GX + GY);
    const even = { x: G.x, y: P - G.y };
    expect(bytesToHex(encodeCompressed(even))).toBe('02' + GX);
  });

  it('refuses an uncompressed point that is not on the curve', () => {
    const yPlusOne = scalar(G.y + 1n);
    expect(decodeSec1Point(bytes('04' + GX + yPlusOne))).toBeNull();
    expect(decodeSec1Point(bytes('04' + scalar(0n) + scalar(0n)))).toBeNull();
  });

  it('refuses a compressed x with no point on the curve', () => {
    // x = 1: 1 - 3 + b is not a square mod p.
    expect(decodeSec1Point(bytes('02' + scalar(1n)))).toBeNull();
    expect(decodeSec1Point(bytes('03' + scalar(1n)))).toBeNull();
  });

  it('refuses x >= p even where x - p is a valid x (compressed)', () => {
    // x = 0 is on P-256 (b is a square); x = p is the same residue, but not a field element.
    expect(decodeSec1Point(bytes('02' + scalar(0n)))).not.toBeNull();
    expect(decodeSec1Point(bytes('02' + scalar(P)))).toBeNull();
    expect(decodeSec1Point(bytes('03' + scalar(P)))).toBeNull();
    expect(decodeSec1Point(bytes('02' + 'ff'.repeat(32)))).toBeNull();
  });

  it('refuses x >= p even where x - p gives a valid point (uncompressed)', () => {
    const zero = decodeSec1Point(bytes('02' + scalar(0n)));
    if (!zero) throw new Error('x = 0 should be on the curve');
    expect(decodeSec1Point(bytes('04' + scalar(0n) + scalar(zero.y)))).toEqual(zero);
    expect(decodeSec1Point(bytes('04' + scalar(P) + scalar(zero.y)))).toBeNull();
  });

  it.each(['00', '01', '05', '06', '07', 'ff'])('refuses prefix %s', (prefix) => {
    expect(decodeSec1Point(bytes(prefix + GX))).toBeNull();
    expect(decodeSec1Point(bytes(prefix + GX + GY))).toBeNull();
  });

  it('refuses a prefix that does not match the length', () => {
    expect(decodeSec1Point(bytes('04' + GX))).toBeNull();
    expect(decodeSec1Point(bytes('03' + GX + GY))).toBeNull();
    expect(decodeSec1Point(bytes('02' + GX + GY))).toBeNull();
  });

  it('refuses the point at infinity and other lengths', () => {
    expect(decodeSec1Point(bytes('00'))).toBeNull();
    expect(decodeSec1Point(new Uint8Array())).toBeNull();
    expect(decodeSec1Point(bytes('03' + GX + '00'))).toBeNull();
    expect(decodeSec1Point(bytes('03' + GX.slice(2)))).toBeNull();
  });
});

describe('isOnCurve', () => {
  it('accepts G and -G, refuses G with y + 1', () => {
    expect(isOnCurve(G)).toBe(true);
    expect(isOnCurve({ x: G.x, y: P - G.y })).toBe(true);
    expect(isOnCurve({ x: G.x, y: G.y + 1n })).toBe(false);
  });

  it('refuses coordinates outside [0, p), even when they reduce to a point on the curve', () => {
    expect(isOnCurve({ x: G.x, y: G.y - P })).toBe(false);
    expect(isOnCurve({ x: G.x, y: G.y + P })).toBe(false);
    expect(isOnCurve({ x: G.x + P, y: G.y })).toBe(false);
  });
});

/**
 * Wycheproof's ECDH P-256 WebCrypto suite (copied with its LICENSE into __fixtures__/wycheproof):
 * its public keys are JWKs; the invalid ones on P-256 are points off the curve (invalid-curve attack
 * points), which an ECDH or ECDSA implementation must refuse. Here they must not decode.
 */
describe('decodeSec1Point against Wycheproof ECDH P-256 public keys', () => {
  interface EcdhCase {
    readonly tcId: number;
    readonly comment: string;
    readonly public: { readonly crv: string; readonly x: string; readonly y: string };
    readonly result: 'valid' | 'invalid' | 'acceptable';
  }
  const suite = JSON.parse(
    readFileSync(
      path.join(__dirname, '__fixtures__', 'wycheproof', 'ecdh_secp256r1_webcrypto_test.json'),
      'utf8',
    ),
  ) as { testGroups: { tests: EcdhCase[] }[] };
  const cases = suite.testGroups.flatMap((g) => g.tests).filter((t) => t.public.crv === 'P-256');

  function uncompressed(test: EcdhCase): Uint8Array {
    return concatBytes(new Uint8Array([4]), base64UrlToBytes(test.public.x), base64UrlToBytes(test.public.y));
  }

  it('decodes every valid key, and its compressed form to the same point', () => {
    const valid = cases.filter((t) => t.result === 'valid');
    expect(valid).toHaveLength(330);
    const failures = valid.filter((test) => {
      const point = decodeSec1Point(uncompressed(test));
      if (!point) return true;
      const again = decodeSec1Point(encodeCompressed(point));
      return again?.x !== point.x || again.y !== point.y;
    });
    expect(failures.map((t) => t.tcId)).toEqual([]);
  });

  it('refuses every invalid P-256 key (points not on the curve)', () => {
    const invalid = cases.filter((t) => t.result === 'invalid');
    expect(invalid).toHaveLength(18);
    const accepted = invalid.filter((test) => decodeSec1Point(uncompressed(test)) !== null);
    expect(accepted.map((t) => `${t.tcId} ${t.comment}`)).toEqual([]);
  });
});

describe('multiplyBase', () => {
  const N = P256_ORDER;

  /** d·G by OpenSSL, uncompressed hex. */
  function nodePublicKey(d: bigint): string {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(bigIntToBytes(d, 32));
    return ecdh.getPublicKey('hex', 'uncompressed');
  }

  function ours(d: bigint): string {
    return bytesToHex(encodeUncompressed(multiplyBase(d)));
  }

  it('has the SEC 2 group order', () => {
    expect(N.toString(16)).toBe('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  });

  it('gives G for 1 and -G for n - 1', () => {
    expect(multiplyBase(1n)).toEqual(G);
    expect(multiplyBase(N - 1n)).toEqual({ x: G.x, y: P - G.y });
  });

  it('agrees with OpenSSL for 32 random scalars', () => {
    for (let i = 0; i < 32; i++) {
      const d = (bytesToBigInt(randomBytes(32)) % (N - 1n)) + 1n;
      expect(ours(d)).toBe(nodePublicKey(d));
    }
  });

  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['n', P256_ORDER],
    ['n + 1', P256_ORDER + 1n],
    ['2^256', 2n ** 256n],
  ])('refuses the scalar %s', (_label, d) => {
    expect(() => multiplyBase(d)).toThrow(RangeError);
  });
});
