import {
  base64UrlToBytes,
  bigIntToBytes,
  bytesToBase64Url,
  bytesToBigInt,
  bytesToHex,
  concatBytes,
  hexToBytes,
} from './hex';

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('hex', () => {
  it('round-trips every byte value, lowercase and two digits each', () => {
    const hex = bytesToHex(ALL_BYTES);
    expect(hex).toHaveLength(512);
    expect(hex.startsWith('000102')).toBe(true);
    expect(hex.endsWith('fdfeff')).toBe(true);
    expect(hex).toBe(hex.toLowerCase());
    expect(hexToBytes(hex)).toEqual(ALL_BYTES);
  });

  it('reads upper and mixed case to the same bytes', () => {
    expect(hexToBytes('ABcd0F')).toEqual(new Uint8Array([0xab, 0xcd, 0x0f]));
    expect(bytesToHex(hexToBytes('DEADbeef') ?? new Uint8Array())).toBe('deadbeef');
  });

  it('reads the empty string as zero bytes', () => {
    expect(hexToBytes('')).toEqual(new Uint8Array());
    expect(bytesToHex(new Uint8Array())).toBe('');
  });

  it.each(['a', 'abc', '0', '12345'])('refuses odd-length %j', (hex) => {
    expect(hexToBytes(hex)).toBeNull();
  });

  it.each(['zz', '0x12', ' 12', '12 ', '12\n', 'g0', '1-', '+1', '１２', 'ab cd'])(
    'refuses non-hex %j',
    (hex) => {
      expect(hexToBytes(hex)).toBeNull();
    },
  );
});

describe('base64url', () => {
  it('round-trips every length 0..40 without padding or + /', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = ALL_BYTES.subarray(256 - length);
      const text = bytesToBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(base64UrlToBytes(text)).toEqual(bytes);
    }
  });

  it('uses the URL alphabet (RFC 4648 section 5)', () => {
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(base64UrlToBytes('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
  });
});

describe('big integers', () => {
  it('reads bytes big-endian', () => {
    expect(bytesToBigInt(new Uint8Array([0x01, 0x00]))).toBe(256n);
    expect(bytesToBigInt(new Uint8Array())).toBe(0n);
  });

  it('writes a fixed width, left-padded with zeros', () => {
    expect(bigIntToBytes(1n, 4)).toEqual(new Uint8Array([0, 0, 0, 1]));
    expect(bytesToBigInt(bigIntToBytes(2n ** 255n + 7n, 32))).toBe(2n ** 255n + 7n);
  });

  it('throws when the value does not fit', () => {
    expect(() => bigIntToBytes(2n ** 256n, 32)).toThrow(RangeError);
    expect(() => bigIntToBytes(256n, 1)).toThrow(RangeError);
  });
});

describe('concatBytes', () => {
  it('joins in order', () => {
    expect(concatBytes(new Uint8Array([1]), new Uint8Array(), new Uint8Array([2, 3]))).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });
});
