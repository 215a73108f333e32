import { createPublicKey, verify as nodeVerify } from 'node:crypto';

import { bytesToHex, hexToBytes } from './hex';
import { buildLoginBytes, SIGNATURE_BYTES } from './login-bytes';
import { parseWirePublicKey, type PublicKey, publicKeyToJwk, uncompressedPublicKey } from './public-key';
import {
  generateSigningKeyPair,
  publicKeyFromCryptoKey,
  signBytes,
  signLoginChallenge,
} from './webcrypto-keys';

const subtle = globalThis.crypto.subtle;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };
const ORIGIN = 'https://chat.example.org';
const NONCE_HEX = '5a'.repeat(32);

function nonce(): Uint8Array {
  const bytes = hexToBytes(NONCE_HEX);
  if (!bytes) throw new Error('hex');
  return bytes;
}

async function importForVerify(key: PublicKey): Promise<CryptoKey> {
  return subtle.importKey('jwk', publicKeyToJwk(key), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
}

function webVerify(key: CryptoKey, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  return subtle.verify(ECDSA_SHA256, key, signature as BufferSource, message as BufferSource);
}

describe('WebCrypto keys', () => {
  let pair: CryptoKeyPair;
  let publicKey: PublicKey;

  beforeAll(async () => {
    pair = await generateSigningKeyPair(true);
    publicKey = await publicKeyFromCryptoKey(pair.publicKey);
  });

  it('reads a generated key as 66-char compressed hex whose uncompressed form is the raw export', async () => {
    expect(publicKey.hex).toMatch(/^0[23][0-9a-f]{64}$/);
    const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
    expect(raw).toHaveLength(65);
    expect(bytesToHex(uncompressedPublicKey(publicKey))).toBe(bytesToHex(raw));
    const wire = parseWirePublicKey(publicKey.hex);
    expect(wire.ok && wire.key.hex).toBe(publicKey.hex);
  });

  it('makes non-extractable keys unless asked otherwise', async () => {
    const locked = await generateSigningKeyPair();
    expect(locked.privateKey.extractable).toBe(false);
    await expect(subtle.exportKey('jwk', locked.privateKey)).rejects.toThrow();
    expect(pair.privateKey.extractable).toBe(true);
  });

  it('signs a login challenge that verifies through publicKeyToJwk in WebCrypto', async () => {
    const proof = await signLoginChallenge({
      privateKey: pair.privateKey,
      publicKey,
      origin: ORIGIN,
      nonceHex: NONCE_HEX,
    });
    expect(proof.publicKey).toBe(publicKey.hex);
    expect(proof.nonce).toBe(NONCE_HEX);
    expect(proof.signature).toMatch(new RegExp(`^[0-9a-f]{${SIGNATURE_BYTES * 2}}$`));

    const signature = hexToBytes(proof.signature);
    if (!signature) throw new Error('signature is not hex');
    const verifyKey = await importForVerify(publicKey);
    const bytes = buildLoginBytes({ origin: ORIGIN, nonce: nonce(), publicKey });
    expect(await webVerify(verifyKey, signature, bytes)).toBe(true);

    const otherOrigin = buildLoginBytes({ origin: 'https://evil.example', nonce: nonce(), publicKey });
    expect(await webVerify(verifyKey, signature, otherOrigin)).toBe(false);
  });

  it('signs what Node verifies the way the api does (JWK key, ieee-p1363)', async () => {
    const proof = await signLoginChallenge({
      privateKey: pair.privateKey,
      publicKey,
      origin: ORIGIN,
      nonceHex: NONCE_HEX,
    });
    const key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
    const bytes = buildLoginBytes({ origin: ORIGIN, nonce: nonce(), publicKey });
    const signature = hexToBytes(proof.signature) ?? new Uint8Array();
    expect(nodeVerify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('does not verify under another key', async () => {
    const other = await generateSigningKeyPair();
    const otherKey = await publicKeyFromCryptoKey(other.publicKey);
    expect(otherKey.hex).not.toBe(publicKey.hex);
    const message = new TextEncoder().encode('hello');
    const signature = await signBytes(pair.privateKey, message);
    expect(signature).toHaveLength(SIGNATURE_BYTES);
    expect(await webVerify(await importForVerify(otherKey), signature, message)).toBe(false);
    expect(await webVerify(await importForVerify(publicKey), signature, message)).toBe(true);
  });

  it('refuses a nonce that is not hex or not 32 bytes', async () => {
    const base = { privateKey: pair.privateKey, publicKey, origin: ORIGIN };
    await expect(signLoginChallenge({ ...base, nonceHex: 'zz'.repeat(32) })).rejects.toThrow('not hex');
    await expect(signLoginChallenge({ ...base, nonceHex: 'ab'.repeat(31) })).rejects.toThrow(RangeError);
  });
});
