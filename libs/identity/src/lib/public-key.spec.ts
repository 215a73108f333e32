import { bytesToHex } from './hex';
import {
  canonicalPublicKeyHex,
  parseAnyPublicKey,
  parseWirePublicKey,
  PUBLIC_KEY_HEX_LENGTH,
  type PublicKeyParseResult,
  publicKeyToJwk,
  uncompressedPublicKey,
  WIRE_PUBLIC_KEY_PATTERN,
} from './public-key';

// The generator G of P-256 in its three spellings.
const GX = '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';
const GY = '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
const G_COMPRESSED = '03' + GX;
const G_UNCOMPRESSED = '04' + GX + GY;

function hexOf(result: PublicKeyParseResult): string {
  if (!result.ok) throw new Error(`expected a key, got ${result.error}`);
  return result.key.hex;
}

describe('parseWirePublicKey', () => {
  it('accepts a 33-byte compressed key and keeps it as the canonical hex', () => {
    const result = parseWirePublicKey(G_COMPRESSED);
    expect(hexOf(result)).toBe(G_COMPRESSED);
    expect(PUBLIC_KEY_HEX_LENGTH).toBe(66);
    if (!result.ok) return;
    expect(bytesToHex(result.key.compressed)).toBe(G_COMPRESSED);
    expect(result.key.point.x).toBe(BigInt('0x' + GX));
    expect(result.key.point.y).toBe(BigInt('0x' + GY));
  });

  it('canonicalises upper case to lower case', () => {
    expect(hexOf(parseWirePublicKey(G_COMPRESSED.toUpperCase()))).toBe(G_COMPRESSED);
  });

  it('refuses the uncompressed form of a valid key as bad_length', () => {
    expect(parseWirePublicKey(G_UNCOMPRESSED)).toEqual({ ok: false, error: 'bad_length' });
  });

  it.each([
    ['32 bytes', GX],
    ['34 bytes', G_COMPRESSED + '00'],
    ['empty', ''],
  ])('refuses %s as bad_length', (_label, hex) => {
    expect(parseWirePublicKey(hex)).toEqual({ ok: false, error: 'bad_length' });
  });

  it.each([
    ['odd length', G_COMPRESSED.slice(1)],
    ['a 0x prefix', '0x' + G_COMPRESSED],
    ['a non-hex digit', 'g' + G_COMPRESSED.slice(1)],
    ['surrounding space', ` ${G_COMPRESSED}`],
  ])('refuses %s as not_hex', (_label, hex) => {
    expect(parseWirePublicKey(hex)).toEqual({ ok: false, error: 'not_hex' });
  });

  it.each([
    ['an x with no point', '02' + '00'.repeat(31) + '01'],
    ['x = p', '02ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'],
    ['prefix 04 at 33 bytes', '04' + GX],
    ['prefix 05', '05' + GX],
  ])('refuses %s as invalid_point', (_label, hex) => {
    expect(parseWirePublicKey(hex)).toEqual({ ok: false, error: 'invalid_point' });
  });
});

describe('the wire spelling and the canonical one', () => {
  it('matches a compressed key of PUBLIC_KEY_HEX_LENGTH digits in either case, and nothing else', () => {
    for (const hex of [G_COMPRESSED, G_COMPRESSED.toUpperCase(), '02' + GX, `02${'Ab'.repeat(32)}`]) {
      expect(hex).toHaveLength(PUBLIC_KEY_HEX_LENGTH);
      expect(WIRE_PUBLIC_KEY_PATTERN.test(hex)).toBe(true);
    }
    for (const hex of [
      G_UNCOMPRESSED,
      '04' + GX,
      '05' + GX,
      GX,
      G_COMPRESSED + '00',
      G_COMPRESSED.slice(0, -1),
      ` ${G_COMPRESSED}`,
      '0x' + G_COMPRESSED,
      '',
    ]) {
      expect(WIRE_PUBLIC_KEY_PATTERN.test(hex)).toBe(false);
    }
  });

  it('spells a key in lower case, as parsing does', () => {
    expect(canonicalPublicKeyHex(G_COMPRESSED.toUpperCase())).toBe(G_COMPRESSED);
    expect(canonicalPublicKeyHex(`03${GX.slice(0, 10).toUpperCase()}${GX.slice(10)}`)).toBe(G_COMPRESSED);
    expect(canonicalPublicKeyHex(G_COMPRESSED)).toBe(G_COMPRESSED);
    const parsed = parseWirePublicKey(G_COMPRESSED.toUpperCase());
    expect(hexOf(parsed)).toBe(canonicalPublicKeyHex(G_COMPRESSED.toUpperCase()));
    expect(WIRE_PUBLIC_KEY_PATTERN.test(hexOf(parsed))).toBe(true);
  });
});

describe('parseAnyPublicKey', () => {
  it('accepts compressed and uncompressed spellings and yields the same canonical hex', () => {
    expect(hexOf(parseAnyPublicKey(G_COMPRESSED))).toBe(G_COMPRESSED);
    expect(hexOf(parseAnyPublicKey(G_UNCOMPRESSED))).toBe(G_COMPRESSED);
    expect(hexOf(parseAnyPublicKey(G_UNCOMPRESSED.toUpperCase()))).toBe(G_COMPRESSED);
  });

  it('trims what an operator pasted', () => {
    expect(hexOf(parseAnyPublicKey(`  ${G_UNCOMPRESSED}\n`))).toBe(G_COMPRESSED);
  });

  it('refuses other lengths, non-hex and points off the curve', () => {
    expect(parseAnyPublicKey(G_UNCOMPRESSED + '00')).toEqual({ ok: false, error: 'bad_length' });
    expect(parseAnyPublicKey(GX)).toEqual({ ok: false, error: 'bad_length' });
    expect(parseAnyPublicKey('zz' + GX)).toEqual({ ok: false, error: 'not_hex' });
    const yPlusOne = (BigInt('0x' + GY) + 1n).toString(16).padStart(64, '0');
    expect(parseAnyPublicKey('04' + GX + yPlusOne)).toEqual({ ok: false, error: 'invalid_point' });
  });

  it('refuses the SEC1 hybrid forms (prefix 06/07) of a valid key', () => {
    expect(parseAnyPublicKey('07' + GX + GY)).toEqual({ ok: false, error: 'invalid_point' });
    expect(parseAnyPublicKey('06' + GX + GY)).toEqual({ ok: false, error: 'invalid_point' });
  });
});

describe('uncompressedPublicKey and publicKeyToJwk', () => {
  const parsed = parseWirePublicKey(G_COMPRESSED);
  if (!parsed.ok) throw new Error('test key invalid');
  const key = parsed.key;

  it('gives back the 65-byte uncompressed form', () => {
    expect(bytesToHex(uncompressedPublicKey(key))).toBe(G_UNCOMPRESSED);
  });

  it('gives a P-256 JWK with 32-byte base64url coordinates', () => {
    expect(publicKeyToJwk(key)).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(GX, 'hex').toString('base64url'),
      y: Buffer.from(GY, 'hex').toString('base64url'),
      ext: true,
    });
  });

  it('pads coordinates with leading zero bytes to 32 bytes', () => {
    // x = 0 lies on P-256; its JWK x must still be 32 bytes, not 0.
    const zero = parseWirePublicKey('02' + '00'.repeat(32));
    if (!zero.ok) throw new Error('x = 0 should be on the curve');
    const jwk = publicKeyToJwk(zero.key);
    expect(jwk.x).toBe('A'.repeat(43));
    expect(Buffer.from(jwk.y ?? '', 'base64url')).toHaveLength(32);
  });
});
