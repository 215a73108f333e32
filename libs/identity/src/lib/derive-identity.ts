import { concatBytes } from './hex';
import { IdentityError } from './identity-error';
import {
  type DerivedIdentity,
  scalarFromWideBytes,
  SIGNING_KEY_INFO,
  signingKeyFromScalar,
  VAULT_KEY_INFO,
} from './identity-keys';
import {
  hkdfAesGcmKey,
  hkdfBytes,
  importHkdfKey,
  type KdfOptions,
  pbkdf2Bytes,
  resolveIterations,
} from './kdf';

/** The PBKDF2 salt's context tag; the username follows it after a 0x00 byte. */
export const IDENTITY_SALT_CONTEXT = 'mpqcht-identity-v1';

const encoder = new TextEncoder();

/** How a username enters the derivation: NFKC, trimmed, lower-cased ("Alice " and "alice" are one). */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/**
 * Derives a person's identity from a username and a passphrase, so they can log in on any browser
 * with what they remember. Deterministic, and a compatibility contract: changing any step below
 * changes every passphrase user's public key (a new construction needs new "-v2" tags).
 *
 *   user   = toLowerCase(trim(NFKC(username)))             refused when empty ('empty_username')
 *   pass   = NFKC(passphrase)  (not trimmed)               refused when empty ('empty_passphrase')
 *   master = PBKDF2-HMAC-SHA-256(password   = UTF-8(pass),
 *                                salt       = UTF-8("mpqcht-identity-v1") || 0x00 || UTF-8(user),
 *                                iterations = 600000 (IDENTITY_KDF_ITERATIONS),
 *                                length     = 32 bytes)
 *   wide   = HKDF-SHA-256(ikm = master, salt = empty, info = UTF-8("mpqcht-signing-key-v1"), 48 bytes)
 *   d      = (big-endian integer of wide  mod  (n - 1)) + 1       n = the P-256 group order
 *   Q      = d·G                     publicKey = compressed SEC1 of Q (publicKey.hex, 66 hex chars)
 *   vault  = HKDF-SHA-256(ikm = master, salt = empty, info = UTF-8("mpqcht-vault-key-v1"), 32 bytes)
 *            as an AES-GCM-256 key
 *
 * signingKey (ECDSA P-256, ['sign']) and vaultKey (AES-GCM, ['encrypt', 'decrypt']) are
 * non-extractable. The master, wide and password byte arrays are zeroed before this returns; d
 * survives only as an immutable BigInt and JWK string, and the master inside a WebCrypto HKDF key;
 * all are dropped for the garbage collector when this returns.
 *
 * `options` exist for tests: fewer iterations than IDENTITY_KDF_ITERATIONS throw 'weak_kdf' unless
 * `allowWeakForTests` is set, and any other count gives a different identity. The app passes none.
 * 600000 iterations take 0.1-0.4 s in Node on a server CPU, longer in a browser and several times
 * longer on a phone: show progress, and derive once per login.
 */
export async function deriveIdentity(
  username: string,
  passphrase: string,
  options?: KdfOptions,
): Promise<DerivedIdentity> {
  const iterations = resolveIterations(options);
  const user = normalizeUsername(username);
  if (user.length === 0) throw new IdentityError('empty_username', 'the username is empty');
  const salt = concatBytes(encoder.encode(IDENTITY_SALT_CONTEXT), new Uint8Array([0]), encoder.encode(user));

  const master = await pbkdf2Bytes(passphrase, salt, iterations);
  let masterKey: CryptoKey;
  try {
    masterKey = await importHkdfKey(master);
  } finally {
    master.fill(0);
  }

  const wide = await hkdfBytes(masterKey, SIGNING_KEY_INFO, 384);
  const d = scalarFromWideBytes(wide);
  wide.fill(0);
  const { publicKey, signingKey } = await signingKeyFromScalar(d);
  const vaultKey = await hkdfAesGcmKey(masterKey, VAULT_KEY_INFO);
  return { publicKey, signingKey, vaultKey };
}
