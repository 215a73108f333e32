import { hkdfSync, pbkdf2Sync } from 'node:crypto';

import { bytesToHex } from './hex';
import { IdentityError } from './identity-error';
import {
  hkdfBytes,
  IDENTITY_KDF_ITERATIONS,
  importHkdfKey,
  KDF_MAX_ITERATIONS,
  normalizePassphrase,
  pbkdf2Bytes,
  resolveIterations,
} from './kdf';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof IdentityError ? error.code : 'not an IdentityError';
  }
  return undefined;
}

describe('resolveIterations', () => {
  it('defaults to 600000, the OWASP 2023 figure for PBKDF2-HMAC-SHA-256', () => {
    expect(IDENTITY_KDF_ITERATIONS).toBe(600_000);
    expect(resolveIterations()).toBe(600_000);
    expect(resolveIterations({})).toBe(600_000);
    expect(resolveIterations({ iterations: 700_000 })).toBe(700_000);
  });

  it('refuses fewer iterations unless allowWeakForTests is set', () => {
    expect(codeOf(() => resolveIterations({ iterations: 599_999 }))).toBe('weak_kdf');
    expect(codeOf(() => resolveIterations({ iterations: 1000, allowWeakForTests: false }))).toBe('weak_kdf');
    expect(resolveIterations({ iterations: 1000, allowWeakForTests: true })).toBe(1000);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, KDF_MAX_ITERATIONS + 1])(
    'refuses %p iterations even for tests',
    (iterations) => {
      expect(codeOf(() => resolveIterations({ iterations, allowWeakForTests: true }))).toBe('weak_kdf');
    },
  );
});

describe('normalizePassphrase', () => {
  it('applies NFKC and keeps surrounding spaces', () => {
    expect(normalizePassphrase('e\u0301te\u0301 ')).toBe('\u00e9t\u00e9 ');
    expect(normalizePassphrase('ｐａｓｓ')).toBe('pass');
  });
});

describe('pbkdf2Bytes and hkdfBytes', () => {
  const salt = new TextEncoder().encode('some salt');

  it('match Node for PBKDF2-HMAC-SHA-256 of the NFKC UTF-8 passphrase', async () => {
    const ours = await pbkdf2Bytes('ｐａｓｓ wörd', salt, 1000);
    expect(bytesToHex(ours)).toBe(pbkdf2Sync('pass wörd', salt, 1000, 32, 'sha256').toString('hex'));
    const decomposed = await pbkdf2Bytes('wo\u0308rd', salt, 1000);
    expect(bytesToHex(decomposed)).toBe(pbkdf2Sync('w\u00f6rd', salt, 1000, 32, 'sha256').toString('hex'));
  });

  it('refuse an empty passphrase', async () => {
    await expect(pbkdf2Bytes('', salt, 1000)).rejects.toMatchObject({ code: 'empty_passphrase' });
  });

  it('match Node for HKDF-SHA-256 with an empty salt', async () => {
    const ikm = new Uint8Array(32).fill(7);
    const ours = await hkdfBytes(await importHkdfKey(ikm), 'some info', 384);
    const node = Buffer.from(hkdfSync('sha256', ikm, new Uint8Array(0), 'some info', 48));
    expect(bytesToHex(ours)).toBe(node.toString('hex'));
  });
});
