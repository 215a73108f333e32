import { createDecipheriv, createECDH, createPublicKey, hkdfSync, verify as nodeVerify } from 'node:crypto';

import { bigIntToBytes, hexToBytes } from './hex';
import {
  identityFromScalarBytes,
  scalarFromBytes,
  scalarFromWideBytes,
  signingKeyFromScalar,
  VAULT_KEY_INFO,
} from './identity-keys';
import { P256_ORDER } from './p256';
import { publicKeyToJwk } from './public-key';

const N = P256_ORDER;
const subtle = globalThis.crypto.subtle;

function nodeCompressed(d: bigint): string {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bigIntToBytes(d, 32));
  return ecdh.getPublicKey('hex', 'compressed');
}

describe('scalarFromWideBytes', () => {
  it('maps v to (v mod (n - 1)) + 1, so every result is in [1, n - 1]', () => {
    expect(scalarFromWideBytes(new Uint8Array(48))).toBe(1n);
    expect(scalarFromWideBytes(bigIntToBytes(N - 2n, 48))).toBe(N - 1n);
    expect(scalarFromWideBytes(bigIntToBytes(N - 1n, 48))).toBe(1n);
    expect(scalarFromWideBytes(bigIntToBytes(N, 48))).toBe(2n);
    const max = 2n ** 384n - 1n;
    expect(scalarFromWideBytes(new Uint8Array(48).fill(0xff))).toBe((max % (N - 1n)) + 1n);
  });

  it('needs 48 bytes (128 bits more than n) to keep the bias negligible', () => {
    expect(() => scalarFromWideBytes(new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('scalarFromBytes', () => {
  it('reads 32 big-endian bytes in [1, n - 1] and nothing else', () => {
    expect(scalarFromBytes(bigIntToBytes(1n, 32))).toBe(1n);
    expect(scalarFromBytes(bigIntToBytes(N - 1n, 32))).toBe(N - 1n);
    expect(scalarFromBytes(new Uint8Array(32))).toBeNull();
    expect(scalarFromBytes(bigIntToBytes(N, 32))).toBeNull();
    expect(scalarFromBytes(new Uint8Array(32).fill(0xff))).toBeNull();
    expect(scalarFromBytes(bigIntToBytes(5n, 31))).toBeNull();
    expect(scalarFromBytes(bigIntToBytes(5n, 33))).toBeNull();
  });
});

describe('signingKeyFromScalar and identityFromScalarBytes', () => {
  const d = 0x0c9f5b3e2a5d7e4f1b8a6c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3fn;

  it('gives OpenSSL’s public key and a non-extractable signing key whose signatures Node verifies', async () => {
    const { publicKey, signingKey } = await signingKeyFromScalar(d);
    expect(publicKey.hex).toBe(nodeCompressed(d));
    expect(signingKey.extractable).toBe(false);
    expect(signingKey.usages).toEqual(['sign']);
    expect(signingKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(subtle.exportKey('jwk', signingKey)).rejects.toThrow();

    const message = new TextEncoder().encode('hello');
    const signature = new Uint8Array(
      await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signingKey, message),
    );
    const key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
    expect(nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('derives the vault key as HKDF-SHA-256(d, empty salt, "mpqcht-vault-key-v1")', async () => {
    const dBytes = bigIntToBytes(d, 32);
    const identity = await identityFromScalarBytes(dBytes);
    expect(identity.publicKey.hex).toBe(nodeCompressed(d));
    expect(identity.vaultKey.extractable).toBe(false);
    expect(identity.vaultKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...identity.vaultKey.usages].sort()).toEqual(['decrypt', 'encrypt']);

    const iv = new Uint8Array(12).fill(1);
    const sealed = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv }, identity.vaultKey, new TextEncoder().encode('vault')),
    );
    const nodeKey = Buffer.from(hkdfSync('sha256', dBytes, new Uint8Array(0), VAULT_KEY_INFO, 32));
    const decipher = createDecipheriv('aes-256-gcm', nodeKey, iv);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const opened = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
    expect(opened.toString('utf8')).toBe('vault');
  });

  it('refuses a scalar out of range', async () => {
    await expect(identityFromScalarBytes(new Uint8Array(32))).rejects.toThrow(RangeError);
    await expect(identityFromScalarBytes(bigIntToBytes(N, 32))).rejects.toThrow(RangeError);
    await expect(identityFromScalarBytes(hexToBytes('01') ?? new Uint8Array())).rejects.toThrow(RangeError);
  });
});
