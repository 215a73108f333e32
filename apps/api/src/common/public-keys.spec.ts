import { generateKeyPairSync } from 'node:crypto';

import { bytesToHex, parseAnyPublicKey, parseWirePublicKey } from '@mpqcht/identity';

import { parseOperatorKey, parseWireKey } from './public-keys';

/** A fresh key's compressed and uncompressed SEC1 hex. */
function freshKey(): { compressed: string; uncompressed: string } {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  const prefix = (y[31] ?? 0) % 2 === 0 ? '02' : '03';
  return { compressed: prefix + bytesToHex(x), uncompressed: '04' + bytesToHex(x) + bytesToHex(y) };
}

describe('server key parsers', () => {
  const keys = Array.from({ length: 20 }, freshKey);
  // x = 1 has no point on P-256 (1 - 3 + b is not a square mod p).
  const offCurve = '02' + '00'.repeat(31) + '01';
  const inputs = [
    ...keys.flatMap((k) => [k.compressed, k.compressed.toUpperCase(), k.uncompressed]),
    offCurve,
    '02' + 'ff'.repeat(32),
    '05' + (keys[0]?.compressed.slice(2) ?? ''),
    '02abc',
    'zz',
    '',
    ` ${keys[1]?.compressed ?? ''} `,
  ];

  it.each(inputs)('parseWireKey answers as parseWirePublicKey: %s', (input) => {
    expect(parseWireKey(input)).toEqual(parseWirePublicKey(input));
  });

  it.each(inputs)('parseOperatorKey answers as parseAnyPublicKey: %s', (input) => {
    expect(parseOperatorKey(input)).toEqual(parseAnyPublicKey(input));
  });

  it('refuses a point that is not on the curve, and reads a real one', () => {
    expect(parseWireKey(offCurve)).toEqual({ ok: false, error: 'invalid_point' });
    expect(parseWireKey(keys[0]?.compressed ?? '')).toMatchObject({
      ok: true,
      key: { hex: keys[0]?.compressed },
    });
  });
});
