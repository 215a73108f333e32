import { bigIntToBytes, bytesToBase64Url, bytesToBigInt } from './hex';
import { hkdfAesGcmKey, importHkdfKey } from './kdf';
import { multiplyBase, P256_ORDER } from './p256';
import { type PublicKey, publicKeyFromPoint } from './public-key';

/** HKDF info for the signing scalar of a passphrase-derived identity. */
export const SIGNING_KEY_INFO = 'mpqcht-signing-key-v1';
/** HKDF info for the vault key (of the passphrase master, or of the scalar d for a random identity). */
export const VAULT_KEY_INFO = 'mpqcht-vault-key-v1';

/** A person's keys as the browser holds them: nothing here can be exported. */
export interface DerivedIdentity {
  /** The canonical public key: `publicKey.hex` is the identity on the wire. */
  readonly publicKey: PublicKey;
  /** ECDSA P-256 private key, non-extractable, usages ['sign']: pass it to signLoginChallenge. */
  readonly signingKey: CryptoKey;
  /** AES-GCM-256, non-extractable, usages ['encrypt', 'decrypt']: stable for the same identity. */
  readonly vaultKey: CryptoKey;
}

/**
 * Maps uniformly random bytes (48 of them: 128 bits more than n, so the bias is below 2^-128) to a
 * private scalar in [1, n - 1]: d = (big-endian value mod (n - 1)) + 1, as FIPS 186-5 A.2.1.
 */
export function scalarFromWideBytes(bytes: Uint8Array): bigint {
  if (bytes.length < 48) throw new RangeError('need at least 48 bytes for a P-256 scalar');
  return (bytesToBigInt(bytes) % (P256_ORDER - 1n)) + 1n;
}

/** d as 32 big-endian bytes, or null when d is not a valid scalar (0, or >= n). */
export function scalarFromBytes(bytes: Uint8Array): bigint | null {
  if (bytes.length !== 32) return null;
  const d = bytesToBigInt(bytes);
  return d >= 1n && d < P256_ORDER ? d : null;
}

/**
 * The public key d·G and d as a non-extractable WebCrypto ECDSA key (imported as a P-256 JWK, the
 * format every browser and Node accept). The JWK's `d` is a string: it cannot be wiped, only dropped.
 */
export async function signingKeyFromScalar(
  d: bigint,
): Promise<{ publicKey: PublicKey; signingKey: CryptoKey }> {
  const publicKey = publicKeyFromPoint(multiplyBase(d));
  const dBytes = bigIntToBytes(d, 32);
  const jwk: JsonWebKey = {
    kty: 'EC',
    crv: 'P-256',
    x: bytesToBase64Url(bigIntToBytes(publicKey.point.x, 32)),
    y: bytesToBase64Url(bigIntToBytes(publicKey.point.y, 32)),
    d: bytesToBase64Url(dBytes),
  };
  dBytes.fill(0);
  const signingKey = await globalThis.crypto.subtle.importKey(
    'jwk',
    jwk,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  return { publicKey, signingKey };
}

/**
 * The identity of a stored or generated scalar (32 bytes, big-endian, 1 <= d < n; a RangeError
 * otherwise): signing key d, vault key HKDF-SHA-256(ikm = the 32 bytes, salt = empty,
 * info = "mpqcht-vault-key-v1"). The caller owns and zeroes `dBytes`.
 */
export async function identityFromScalarBytes(dBytes: Uint8Array): Promise<DerivedIdentity> {
  const d = scalarFromBytes(dBytes);
  if (d === null) throw new RangeError('not a P-256 private scalar');
  const { publicKey, signingKey } = await signingKeyFromScalar(d);
  const vaultKey = await hkdfAesGcmKey(await importHkdfKey(dBytes), VAULT_KEY_INFO);
  return { publicKey, signingKey, vaultKey };
}
