import { base64UrlToBytes, bytesToBase64Url, concatBytes } from './hex';
import { IdentityError } from './identity-error';
import { type DerivedIdentity, identityFromScalarBytes } from './identity-keys';
import { bufferSource, type KdfOptions, pbkdf2AesGcmKey, resolveIterations } from './kdf';
import { parseWirePublicKey, type PublicKey } from './public-key';

export const KEY_FILE_FORMAT = 'mpqcht-key';
export const KEY_FILE_VERSION = 1;
/** Prefix of the AES-GCM additional data; the 33-byte compressed public key follows it. */
export const KEY_FILE_AAD_CONTEXT = 'mpqcht-key-v1';
export const KEY_FILE_KDF = 'PBKDF2-SHA-256';
export const KEY_FILE_CIPHER = 'AES-GCM';

const SALT_BYTES = 16;
const IV_BYTES = 12;
const SCALAR_BYTES = 32;
const TAG_BYTES = 16;

/**
 * An encrypted key file, version 1 (JSON). A compatibility contract:
 *
 *   key        = PBKDF2-HMAC-SHA-256(UTF-8(NFKC(passphrase)), salt, iterations, 32 bytes)
 *   ciphertext = AES-256-GCM(key, iv, plaintext = d as 32 big-endian bytes,
 *                            additional data = UTF-8("mpqcht-key-v1") || 33-byte compressed public key)
 *                with the 16-byte tag appended (48 bytes in all)
 *
 * salt (16 bytes), iv (12 bytes) and ciphertext are unpadded base64url; publicKey is the canonical
 * 66-char lowercase hex. The vault key is not stored: it is HKDF-SHA-256(d, info "mpqcht-vault-key-v1").
 */
export interface KeyFileV1 {
  readonly format: typeof KEY_FILE_FORMAT;
  readonly version: typeof KEY_FILE_VERSION;
  readonly kdf: { readonly name: typeof KEY_FILE_KDF; readonly iterations: number; readonly salt: string };
  readonly cipher: { readonly name: typeof KEY_FILE_CIPHER; readonly iv: string };
  readonly publicKey: string;
  readonly ciphertext: string;
}

export interface ImportKeyFileOptions {
  /** Accepts files written with fewer than IDENTITY_KDF_ITERATIONS iterations. For tests only. */
  readonly allowWeakForTests?: boolean;
}

const encoder = new TextEncoder();

function additionalData(publicKey: PublicKey): Uint8Array {
  return concatBytes(encoder.encode(KEY_FILE_AAD_CONTEXT), publicKey.compressed);
}

function aesGcmParams(iv: Uint8Array, publicKey: PublicKey): AesGcmParams {
  return {
    name: 'AES-GCM',
    iv: bufferSource(iv),
    additionalData: bufferSource(additionalData(publicKey)),
    tagLength: 128,
  };
}

/**
 * Encrypts the scalar `dBytes` (32 bytes, owned by the caller) under `passphrase` and returns the
 * file's text. Not exported from the package: the app reaches it only through a RandomIdentity.
 */
export async function writeKeyFile(
  dBytes: Uint8Array,
  publicKey: PublicKey,
  passphrase: string,
  options?: KdfOptions,
): Promise<string> {
  if (dBytes.length !== SCALAR_BYTES) throw new RangeError('the scalar must be 32 bytes');
  const iterations = resolveIterations(options);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await pbkdf2AesGcmKey(passphrase, salt, iterations, ['encrypt']);
  const ciphertext = new Uint8Array(
    await globalThis.crypto.subtle.encrypt(aesGcmParams(iv, publicKey), key, bufferSource(dBytes)),
  );
  const file: KeyFileV1 = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    kdf: { name: KEY_FILE_KDF, iterations, salt: bytesToBase64Url(salt) },
    cipher: { name: KEY_FILE_CIPHER, iv: bytesToBase64Url(iv) },
    publicKey: publicKey.hex,
    ciphertext: bytesToBase64Url(ciphertext),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

function notAKeyFile(reason: string): IdentityError {
  return new IdentityError('not_a_key_file', `not an mpqcht key file: ${reason}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, keys: readonly string[], what: string): Record<string, unknown> {
  if (!isRecord(value)) throw notAKeyFile(`${what} is not an object`);
  const actual = Object.keys(value).sort();
  const expected = [...keys].sort();
  if (actual.length !== expected.length || actual.some((key, i) => key !== expected[i])) {
    throw notAKeyFile(`${what} must have exactly the fields ${expected.join(', ')}`);
  }
  return value;
}

/** Canonical unpadded base64url of exactly `length` bytes, or an error naming `what`. */
function base64UrlField(value: unknown, length: number, what: string): Uint8Array {
  if (typeof value === 'string' && /^[A-Za-z0-9_-]*$/.test(value) && value.length % 4 !== 1) {
    const bytes = base64UrlToBytes(value);
    if (bytes.length === length && bytesToBase64Url(bytes) === value) return bytes;
  }
  throw notAKeyFile(`${what} must be ${length} bytes in base64url`);
}

export interface ParsedKeyFile {
  readonly iterations: number;
  readonly salt: Uint8Array;
  readonly iv: Uint8Array;
  readonly publicKey: PublicKey;
  readonly ciphertext: Uint8Array;
}

/** Strict structural check of a key file's text. Throws not_a_key_file, unsupported_version, weak_kdf. */
export function parseKeyFile(text: string, options: ImportKeyFileOptions = {}): ParsedKeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw notAKeyFile('not JSON');
  }
  if (!isRecord(json) || json['format'] !== KEY_FILE_FORMAT)
    throw notAKeyFile(`format is not "${KEY_FILE_FORMAT}"`);
  const version = json['version'];
  if (typeof version !== 'number') throw notAKeyFile('version is not a number');
  if (version !== KEY_FILE_VERSION) {
    throw new IdentityError('unsupported_version', `key file version ${version} is not supported (only 1)`);
  }
  const file = record(json, ['format', 'version', 'kdf', 'cipher', 'publicKey', 'ciphertext'], 'the file');
  const kdf = record(file['kdf'], ['name', 'iterations', 'salt'], 'kdf');
  const cipher = record(file['cipher'], ['name', 'iv'], 'cipher');
  if (kdf['name'] !== KEY_FILE_KDF) throw notAKeyFile(`kdf.name is not "${KEY_FILE_KDF}"`);
  if (cipher['name'] !== KEY_FILE_CIPHER) throw notAKeyFile(`cipher.name is not "${KEY_FILE_CIPHER}"`);
  const iterationsField = kdf['iterations'];
  if (typeof iterationsField !== 'number') throw notAKeyFile('kdf.iterations is not a number');
  const iterations = resolveIterations({
    iterations: iterationsField,
    allowWeakForTests: options.allowWeakForTests === true,
  });
  const salt = base64UrlField(kdf['salt'], SALT_BYTES, 'kdf.salt');
  const iv = base64UrlField(cipher['iv'], IV_BYTES, 'cipher.iv');
  const ciphertext = base64UrlField(file['ciphertext'], SCALAR_BYTES + TAG_BYTES, 'ciphertext');
  const publicKeyField = file['publicKey'];
  const parsed = typeof publicKeyField === 'string' ? parseWirePublicKey(publicKeyField) : null;
  if (!parsed?.ok || parsed.key.hex !== publicKeyField) {
    throw notAKeyFile('publicKey is not a compressed P-256 public key in lowercase hex');
  }
  return { iterations, salt, iv, publicKey: parsed.key, ciphertext };
}

/**
 * Opens a key file written by RandomIdentity.exportFile. Returns the same non-extractable keys as
 * deriveIdentity. Throws IdentityError: 'not_a_key_file', 'unsupported_version', 'weak_kdf' (iteration
 * count out of range), 'empty_passphrase', 'wrong_passphrase' (GCM authentication failed: a wrong
 * passphrase or an altered file) or 'corrupt' (decrypts, but d is invalid or is not the public key's).
 */
export async function importKeyFile(
  text: string,
  passphrase: string,
  options: ImportKeyFileOptions = {},
): Promise<DerivedIdentity> {
  const file = parseKeyFile(text, options);
  const key = await pbkdf2AesGcmKey(passphrase, file.salt, file.iterations, ['decrypt']);
  let plaintext: Uint8Array;
  try {
    plaintext = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        aesGcmParams(file.iv, file.publicKey),
        key,
        bufferSource(file.ciphertext),
      ),
    );
  } catch {
    throw new IdentityError('wrong_passphrase', 'wrong passphrase, or the key file was altered');
  }
  try {
    let identity: DerivedIdentity;
    try {
      identity = await identityFromScalarBytes(plaintext);
    } catch {
      throw new IdentityError('corrupt', 'the key file holds an invalid private key');
    }
    if (identity.publicKey.hex !== file.publicKey.hex) {
      throw new IdentityError('corrupt', 'the key file private key does not match its public key');
    }
    return identity;
  } finally {
    plaintext.fill(0);
  }
}
