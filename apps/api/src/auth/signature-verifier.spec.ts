import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  bigIntToBytes,
  bytesToBigInt,
  concatBytes,
  hexToBytes,
  P256_ORDER,
  parseAnyPublicKey,
  parseWirePublicKey,
  type PublicKey,
} from '@mpqcht/identity';

import { SignatureVerifier } from './signature-verifier';

/**
 * Wycheproof's ECDSA P-256 / SHA-256 vectors in IEEE P1363 form (64-byte r||s, what WebCrypto
 * makes), copied with their LICENSE into __fixtures__/wycheproof (see SOURCE.md there).
 */
interface WycheproofCase {
  readonly tcId: number;
  readonly comment: string;
  readonly flags: readonly string[];
  readonly msg: string;
  readonly sig: string;
  readonly result: 'valid' | 'invalid' | 'acceptable';
}

interface WycheproofGroup {
  readonly publicKey: { readonly uncompressed: string };
  readonly sha: string;
  readonly tests: readonly WycheproofCase[];
}

interface WycheproofFile {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly WycheproofGroup[];
}

const suite = JSON.parse(
  readFileSync(
    path.join(__dirname, '__fixtures__', 'wycheproof', 'ecdsa_secp256r1_sha256_p1363_test.json'),
    'utf8',
  ),
) as WycheproofFile;

function bytes(hex: string): Uint8Array {
  const out = hexToBytes(hex);
  if (!out) throw new Error(`fixture is not hex: ${hex}`);
  return out;
}

describe('SignatureVerifier against Wycheproof ECDSA P-256 SHA-256 (P1363)', () => {
  const verifier = new SignatureVerifier();
  const checked = { valid: 0, invalid: 0, acceptable: 0 };
  const failures: string[] = [];

  beforeAll(() => {
    for (const group of suite.testGroups) {
      const parsed = parseAnyPublicKey(group.publicKey.uncompressed);
      if (!parsed.ok) {
        failures.push(`key ${group.publicKey.uncompressed} did not parse: ${parsed.error}`);
        continue;
      }
      for (const test of group.tests) {
        const accepted = verifier.verify(parsed.key, bytes(test.msg), bytes(test.sig));
        checked[test.result]++;
        if (test.result === 'acceptable') continue;
        if (accepted !== (test.result === 'valid')) {
          failures.push(
            `tcId ${test.tcId} (${test.comment}; ${test.flags.join(',')}): expected ${test.result}, verifier said ${accepted}`,
          );
        }
      }
    }
  });

  it('is the suite the test was written for', () => {
    expect(suite.algorithm).toBe('ECDSA');
    expect(suite.testGroups).toHaveLength(112);
    expect(suite.testGroups.every((g) => g.sha === 'SHA-256')).toBe(true);
  });

  it('accepts every valid case and rejects every invalid case', () => {
    expect(failures).toEqual([]);
  });

  it('checked every case: 173 valid, 89 invalid, 0 acceptable', () => {
    expect(checked).toEqual({ valid: 173, invalid: 89, acceptable: 0 });
    expect(checked.valid + checked.invalid + checked.acceptable).toBe(suite.numberOfTests);
  });
});

describe('SignatureVerifier', () => {
  const verifier = new SignatureVerifier();
  const message = new TextEncoder().encode('mpqcht');

  function nodeKey(): {
    key: PublicKey;
    signP1363: (m: Uint8Array) => Uint8Array;
    signDer: (m: Uint8Array) => Uint8Array;
  } {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const raw = pair.publicKey.export({ format: 'jwk' });
    const x = Buffer.from(raw.x ?? '', 'base64url').toString('hex');
    const y = Buffer.from(raw.y ?? '', 'base64url').toString('hex');
    const parsed = parseAnyPublicKey(`04${x}${y}`);
    if (!parsed.ok) throw new Error('node made an invalid key');
    return {
      key: parsed.key,
      signP1363: (m) => sign('sha256', m, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }),
      signDer: (m) => sign('sha256', m, { key: pair.privateKey, dsaEncoding: 'der' }),
    };
  }

  it('accepts a 64-byte r||s signature by the key over the message', () => {
    const { key, signP1363 } = nodeKey();
    expect(verifier.verify(key, message, signP1363(message))).toBe(true);
  });

  it('rejects the same signature for another message or another key', () => {
    const alice = nodeKey();
    const bob = nodeKey();
    const signature = alice.signP1363(message);
    expect(verifier.verify(alice.key, new TextEncoder().encode('mpqchT'), signature)).toBe(false);
    expect(verifier.verify(bob.key, message, signature)).toBe(false);
  });

  it('rejects a valid DER signature: only r||s is accepted', () => {
    const { key, signDer } = nodeKey();
    const der = signDer(message);
    expect(der.length).not.toBe(64);
    expect(verifier.verify(key, message, der)).toBe(false);
  });

  it('rejects r||s with a byte appended or removed', () => {
    const { key, signP1363 } = nodeKey();
    const signature = signP1363(message);
    expect(verifier.verify(key, message, new Uint8Array([...signature, 0]))).toBe(false);
    expect(verifier.verify(key, message, signature.subarray(0, 63))).toBe(false);
  });

  it('accepts both s and n - s (high-S and low-S): no low-S rule, signatures are not ids', () => {
    const { key, signP1363 } = nodeKey();
    const signature = signP1363(message);
    const s = bytesToBigInt(signature.subarray(32));
    const twin = concatBytes(signature.subarray(0, 32), bigIntToBytes(P256_ORDER - s, 32));
    expect([s, P256_ORDER - s].filter((value) => value > P256_ORDER / 2n)).toHaveLength(1);
    expect(verifier.verify(key, message, signature)).toBe(true);
    expect(verifier.verify(key, message, twin)).toBe(true);
    // s = 0 or n is not a signature.
    const zero = concatBytes(signature.subarray(0, 32), new Uint8Array(32));
    expect(verifier.verify(key, message, zero)).toBe(false);
  });

  it('keeps verifying correctly when the key comes from the cache', () => {
    const { key, signP1363 } = nodeKey();
    const again = parseWirePublicKey(key.hex);
    if (!again.ok) throw new Error('round trip failed');
    expect(verifier.verify(key, message, signP1363(message))).toBe(true);
    expect(verifier.verify(again.key, message, signP1363(message))).toBe(true);
    expect(verifier.verify(again.key, message, new Uint8Array(64))).toBe(false);
  });
});
