import { bytesToHex, hexToBytes } from './hex';
import { buildLoginBytes, LOGIN_CONTEXT } from './login-bytes';
import { parseWirePublicKey } from './public-key';

// The P-256 generator point, compressed: a fixed, valid key for byte-exact checks.
const G = '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';

describe('buildLoginBytes', () => {
  const parsed = parseWirePublicKey(G);
  if (!parsed.ok) throw new Error('test key invalid');
  const publicKey = parsed.key;
  const nonce = new Uint8Array(32).fill(0xab);

  it('lays out tag, NUL, u16be origin length, origin, nonce and compressed key', () => {
    const bytes = buildLoginBytes({ origin: 'https://a.example', nonce, publicKey });
    const expected =
      bytesToHex(new TextEncoder().encode(LOGIN_CONTEXT)) +
      '00' +
      '0011' +
      bytesToHex(new TextEncoder().encode('https://a.example')) +
      'ab'.repeat(32) +
      G;
    expect(bytesToHex(bytes)).toBe(expected);
  });

  it('binds the origin: another origin gives other bytes', () => {
    const a = buildLoginBytes({ origin: 'https://a.example', nonce, publicKey });
    const b = buildLoginBytes({ origin: 'https://b.example', nonce, publicKey });
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
  });

  it('counts len(origin) in UTF-8 bytes and signs the origin exactly as given (no normalisation)', () => {
    // A server's origin is always ASCII (docs/protocol.md), but the rule is bytes, not characters:
    // "https://ü.example" is 17 characters and 18 bytes.
    const bytes = buildLoginBytes({ origin: 'https://ü.example', nonce, publicKey });
    const originAt = LOGIN_CONTEXT.length + 1;
    expect(bytesToHex(bytes.subarray(originAt, originAt + 2))).toBe('0012');
    expect(bytesToHex(bytes.subarray(originAt + 2, originAt + 2 + 18))).toBe(
      bytesToHex(new TextEncoder().encode('https://ü.example')),
    );
    const spellings = [
      'https://a.example',
      'https://A.example',
      'https://a.example/',
      'https://a.example:443',
    ];
    const encoded = new Set(
      spellings.map((origin) => bytesToHex(buildLoginBytes({ origin, nonce, publicKey }))),
    );
    expect(encoded.size).toBe(spellings.length);
  });

  it('refuses a nonce of the wrong size', () => {
    const short = hexToBytes('ab'.repeat(31));
    if (!short) throw new Error('hex');
    expect(() => buildLoginBytes({ origin: 'https://a.example', nonce: short, publicKey })).toThrow(
      RangeError,
    );
  });
});
