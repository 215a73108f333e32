import { open, readFile, stat } from 'node:fs/promises';

import {
  base64UrlToBytes,
  bytesToHex,
  generateSigningKeyPair,
  parseAnyPublicKey,
  type PublicKey,
  publicKeyFromCryptoKey,
} from '@mpqcht/identity';

import { CliError } from './errors';

/** A key loaded from a file: the private key stays inside WebCrypto (non-extractable once loaded). */
export interface LoadedKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: PublicKey;
  /** Set when the file is readable or writable by group or others. */
  readonly warning: string | undefined;
}

/** A key file that cannot be created or used; an expected error (exit 1). */
export class KeyFileError extends CliError {}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const KEY_FILE_MODE = 0o600;

function systemMessage(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = error.code;
    if (code === 'ENOENT') return 'no such file or directory';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  }
  return error instanceof Error ? error.message : String(error);
}

function hasCode(error: unknown, code: string): boolean {
  return !!error && typeof error === 'object' && 'code' in error && error.code === code;
}

/**
 * Makes a key pair and writes the private key as a JWK to `path`, created with mode 0600. An existing
 * file is never overwritten (losing a root key locks the operator out). Returns the public key.
 */
export async function createKeyFile(path: string): Promise<PublicKey> {
  const pair = await generateSigningKeyPair(true);
  const publicKey = await publicKeyFromCryptoKey(pair.publicKey);
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  const file = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d };
  let handle;
  try {
    handle = await open(path, 'wx', KEY_FILE_MODE);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) throw new KeyFileError(`${path} already exists; refusing to overwrite it`);
    throw new KeyFileError(`cannot create ${path}: ${systemMessage(error)}`);
  }
  try {
    // The umask can only clear bits, but be explicit: the file is the identity.
    await handle.chmod(KEY_FILE_MODE);
    await handle.writeFile(JSON.stringify(file, null, 2) + '\n', 'utf8');
  } finally {
    await handle.close();
  }
  return publicKey;
}

function coordinate(jwk: Record<string, unknown>, name: 'x' | 'y' | 'd', path: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    throw new KeyFileError(`${path}: "${name}" must be 32 bytes in base64url`);
  }
  return base64UrlToBytes(value);
}

/** Reads a key file written by `keygen` (any P-256 private JWK) and checks it is a usable key. */
export async function loadKeyFile(path: string): Promise<LoadedKey> {
  let text: string;
  let mode: number;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KeyFileError(`cannot read key file ${path}: ${systemMessage(error)}`);
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new KeyFileError(`${path} is not a key file (expected a P-256 private key as JSON JWK)`);
  }
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) {
    throw new KeyFileError(`${path} is not a key file (expected a P-256 private key as JSON JWK)`);
  }
  const fields = jwk as Record<string, unknown>;
  if (fields['kty'] !== 'EC' || fields['crv'] !== 'P-256') {
    throw new KeyFileError(`${path}: not a P-256 key (kty must be "EC" and crv "P-256")`);
  }
  if (fields['d'] === undefined) throw new KeyFileError(`${path}: holds no private key ("d" is missing)`);
  coordinate(fields, 'd', path);
  const x = coordinate(fields, 'x', path);
  const y = coordinate(fields, 'y', path);
  const parsed = parseAnyPublicKey('04' + bytesToHex(x) + bytesToHex(y));
  if (!parsed.ok) throw new KeyFileError(`${path}: the public point is not on P-256`);

  let privateKey: CryptoKey;
  try {
    privateKey = await globalThis.crypto.subtle.importKey(
      'jwk',
      {
        kty: 'EC',
        crv: 'P-256',
        x: fields['x'] as string,
        y: fields['y'] as string,
        d: fields['d'] as string,
      },
      ECDSA_P256,
      false,
      ['sign'],
    );
  } catch (error) {
    // Node's WebCrypto also refuses a d that does not belong to x, y.
    throw new KeyFileError(`${path}: WebCrypto refused the key: ${systemMessage(error)}`);
  }
  const warning =
    (mode & 0o077) !== 0
      ? `warning: ${path} is accessible by other users (mode ${(mode & 0o777).toString(8)}); run chmod 600 ${path}`
      : undefined;
  return { privateKey, publicKey: parsed.key, warning };
}
