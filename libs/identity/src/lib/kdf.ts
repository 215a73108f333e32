import { IdentityError } from './identity-error';

/**
 * PBKDF2-HMAC-SHA-256 iterations for passphrase-derived identities and key files: OWASP's 2023
 * recommendation. Part of the identity derivation contract: changing it changes everyone's key.
 */
export const IDENTITY_KDF_ITERATIONS = 600_000;

/** The most iterations this library will run (a key file names its own count; do not let it hang us). */
export const KDF_MAX_ITERATIONS = 10_000_000;

export interface KdfOptions {
  /** PBKDF2 iterations; IDENTITY_KDF_ITERATIONS when absent. Below that only with allowWeakForTests. */
  readonly iterations?: number;
  /** Allows fewer iterations than IDENTITY_KDF_ITERATIONS. For tests only; never set it in the app. */
  readonly allowWeakForTests?: boolean;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  return globalThis.crypto.subtle;
}

/** WebCrypto takes a BufferSource; our arrays are plain Uint8Arrays over an ArrayBuffer. */
export function bufferSource(bytes: Uint8Array): BufferSource {
  return bytes as BufferSource;
}

/** The iteration count to run: refuses counts below the default (unless allowed for tests) or absurd. */
export function resolveIterations(options: KdfOptions = {}): number {
  const iterations = options.iterations ?? IDENTITY_KDF_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > KDF_MAX_ITERATIONS) {
    throw new IdentityError(
      'weak_kdf',
      `PBKDF2 iterations must be a whole number in 1..${KDF_MAX_ITERATIONS}`,
    );
  }
  if (iterations < IDENTITY_KDF_ITERATIONS && options.allowWeakForTests !== true) {
    throw new IdentityError('weak_kdf', `PBKDF2 iterations below ${IDENTITY_KDF_ITERATIONS} are refused`);
  }
  return iterations;
}

/** Passphrases are NFKC-normalised (not trimmed: spaces a person typed are part of it). */
export function normalizePassphrase(passphrase: string): string {
  return passphrase.normalize('NFKC');
}

async function importPassphrase(passphrase: string): Promise<CryptoKey> {
  const normalized = normalizePassphrase(passphrase);
  if (normalized.length === 0) throw new IdentityError('empty_passphrase', 'the passphrase is empty');
  const password = encoder.encode(normalized);
  try {
    return await subtle().importKey('raw', bufferSource(password), 'PBKDF2', false, [
      'deriveBits',
      'deriveKey',
    ]);
  } finally {
    password.fill(0);
  }
}

function pbkdf2Params(salt: Uint8Array, iterations: number): Pbkdf2Params {
  return { name: 'PBKDF2', hash: 'SHA-256', salt: bufferSource(salt), iterations };
}

/** PBKDF2-HMAC-SHA-256(UTF-8(NFKC(passphrase)), salt, iterations) → 32 bytes. The caller zeroes them. */
export async function pbkdf2Bytes(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const key = await importPassphrase(passphrase);
  return new Uint8Array(await subtle().deriveBits(pbkdf2Params(salt, iterations), key, 256));
}

/** The same PBKDF2 output, straight into a non-extractable AES-GCM-256 key (never seen as bytes). */
export async function pbkdf2AesGcmKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const key = await importPassphrase(passphrase);
  return subtle().deriveKey(
    pbkdf2Params(salt, iterations),
    key,
    { name: 'AES-GCM', length: 256 },
    false,
    usages,
  );
}

/** Input keying material for HKDF-SHA-256; WebCrypto keeps its own copy, so the caller may zero `ikm`. */
export function importHkdfKey(ikm: Uint8Array): Promise<CryptoKey> {
  return subtle().importKey('raw', bufferSource(ikm), 'HKDF', false, ['deriveBits', 'deriveKey']);
}

function hkdfParams(info: string): HkdfParams {
  return { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) };
}

/** HKDF-SHA-256(ikm, salt = empty, info = UTF-8(info)) → `bits` bits. The caller zeroes them. */
export async function hkdfBytes(ikm: CryptoKey, info: string, bits: number): Promise<Uint8Array> {
  return new Uint8Array(await subtle().deriveBits(hkdfParams(info), ikm, bits));
}

/** HKDF-SHA-256(ikm, salt = empty, info = UTF-8(info)) → 256 bits, as a non-extractable AES-GCM key. */
export function hkdfAesGcmKey(ikm: CryptoKey, info: string): Promise<CryptoKey> {
  return subtle().deriveKey(hkdfParams(info), ikm, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]);
}
