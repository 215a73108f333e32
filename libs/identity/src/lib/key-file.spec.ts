import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createPublicKey,
  pbkdf2Sync,
  randomBytes,
  verify as nodeVerify,
} from 'node:crypto';

import { bigIntToBytes, bytesToHex } from './hex';
import { IdentityError } from './identity-error';
import { importKeyFile, KEY_FILE_AAD_CONTEXT, type KeyFileV1 } from './key-file';
import { P256_ORDER } from './p256';
import { publicKeyToJwk } from './public-key';
import { generateRandomIdentity, type RandomIdentity } from './random-identity';

const subtle = globalThis.crypto.subtle;
const WEAK = { iterations: 1000, allowWeakForTests: true } as const;
const ALLOW_WEAK = { allowWeakForTests: true } as const;
const PASSPHRASE = 'ocean lamp violin crater';

/** A key file as a test may edit it, including into something that is no longer a key file. */
interface EditableFile {
  format: string;
  version: unknown;
  kdf: { name: string; iterations: number; salt: string };
  cipher: { name: string; iv: string };
  publicKey: string;
  ciphertext: string;
}

function loose(value: object): Record<string, unknown> {
  return value as Record<string, unknown>;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function fromB64(text: string): Buffer {
  return Buffer.from(text, 'base64url');
}

function nodePublicKeyHex(d: Uint8Array): string {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  return ecdh.getPublicKey('hex', 'compressed');
}

/** A key file written with Node's crypto from the documented format, independently of key-file.ts. */
function nodeWriteKeyFile(
  d: Uint8Array,
  publicKeyHex: string,
  passphrase: string,
  iterations = 1000,
): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = pbkdf2Sync(Buffer.from(passphrase.normalize('NFKC'), 'utf8'), salt, iterations, 32, 'sha256');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.concat([Buffer.from(KEY_FILE_AAD_CONTEXT), Buffer.from(publicKeyHex, 'hex')]));
  const ciphertext = Buffer.concat([cipher.update(d), cipher.final(), cipher.getAuthTag()]);
  return JSON.stringify({
    format: 'mpqcht-key',
    version: 1,
    kdf: { name: 'PBKDF2-SHA-256', iterations, salt: b64(salt) },
    cipher: { name: 'AES-GCM', iv: b64(iv) },
    publicKey: publicKeyHex,
    ciphertext: b64(ciphertext),
  });
}

/** Reads d back out of a file with Node's crypto. */
function nodeReadScalar(text: string, passphrase: string): Buffer {
  const file = JSON.parse(text) as KeyFileV1;
  const key = pbkdf2Sync(passphrase, fromB64(file.kdf.salt), file.kdf.iterations, 32, 'sha256');
  const sealed = fromB64(file.ciphertext);
  const decipher = createDecipheriv('aes-256-gcm', key, fromB64(file.cipher.iv));
  decipher.setAAD(Buffer.concat([Buffer.from(KEY_FILE_AAD_CONTEXT), Buffer.from(file.publicKey, 'hex')]));
  decipher.setAuthTag(sealed.subarray(32));
  return Buffer.concat([decipher.update(sealed.subarray(0, 32)), decipher.final()]);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof IdentityError ? error.code : `not an IdentityError: ${String(error)}`;
  }
  return 'resolved';
}

describe('key files', () => {
  let identity: RandomIdentity;
  let text: string;
  let file: KeyFileV1;

  beforeAll(async () => {
    identity = await generateRandomIdentity();
    text = await identity.exportFile(PASSPHRASE, WEAK);
    file = JSON.parse(text) as KeyFileV1;
  });

  function edited(edit: (copy: EditableFile) => void): string {
    const copy: EditableFile = structuredClone(file);
    edit(copy);
    return JSON.stringify(copy);
  }

  describe('format', () => {
    it('writes version 1 JSON with the documented fields and sizes', () => {
      expect(text.endsWith('}\n')).toBe(true);
      expect(Object.keys(file)).toEqual(['format', 'version', 'kdf', 'cipher', 'publicKey', 'ciphertext']);
      expect(file.format).toBe('mpqcht-key');
      expect(file.version).toBe(1);
      expect(Object.keys(file.kdf)).toEqual(['name', 'iterations', 'salt']);
      expect(file.kdf.name).toBe('PBKDF2-SHA-256');
      expect(file.kdf.iterations).toBe(1000);
      expect(Object.keys(file.cipher)).toEqual(['name', 'iv']);
      expect(file.cipher.name).toBe('AES-GCM');
      expect(fromB64(file.kdf.salt)).toHaveLength(16);
      expect(fromB64(file.cipher.iv)).toHaveLength(12);
      expect(fromB64(file.ciphertext)).toHaveLength(48);
      for (const field of [file.kdf.salt, file.cipher.iv, file.ciphertext]) expect(field).toMatch(/^[\w-]+$/);
      expect(file.publicKey).toBe(identity.publicKey.hex);
    });

    it('can be read with Node crypto from the documented format: d belongs to the public key', () => {
      const d = nodeReadScalar(text, PASSPHRASE);
      expect(d).toHaveLength(32);
      expect(nodePublicKeyHex(d)).toBe(file.publicKey);
    });

    it('imports a file written independently with Node crypto', async () => {
      const d = bigIntToBytes(0xabcdef0123456789n * 0x1000000000000000000000001n, 32);
      const publicKeyHex = nodePublicKeyHex(d);
      const imported = await importKeyFile(
        nodeWriteKeyFile(d, publicKeyHex, PASSPHRASE),
        PASSPHRASE,
        ALLOW_WEAK,
      );
      expect(imported.publicKey.hex).toBe(publicKeyHex);
    });
  });

  describe('round trip', () => {
    it('gives back the same identity: public key, a working signing key and the same vault key', async () => {
      const imported = await importKeyFile(text, PASSPHRASE, ALLOW_WEAK);
      expect(imported.publicKey.hex).toBe(identity.publicKey.hex);

      const message = new TextEncoder().encode('hello');
      const signature = new Uint8Array(
        await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, imported.signingKey, message),
      );
      const key = createPublicKey({ key: { ...publicKeyToJwk(imported.publicKey) }, format: 'jwk' });
      expect(nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);

      const iv = new Uint8Array(12).fill(3);
      const sealed = await subtle.encrypt({ name: 'AES-GCM', iv }, identity.vaultKey, message);
      const opened = await subtle.decrypt({ name: 'AES-GCM', iv }, imported.vaultKey, sealed);
      expect(new TextDecoder().decode(opened)).toBe('hello');
    });

    it('imports non-extractable keys', async () => {
      const imported = await importKeyFile(text, PASSPHRASE, ALLOW_WEAK);
      expect(imported.signingKey.extractable).toBe(false);
      expect(imported.signingKey.usages).toEqual(['sign']);
      expect(imported.vaultKey.extractable).toBe(false);
      await expect(subtle.exportKey('jwk', imported.signingKey)).rejects.toThrow();
      await expect(subtle.exportKey('raw', imported.vaultKey)).rejects.toThrow();
    });

    it('accepts the passphrase in another Unicode normal form (NFKC)', async () => {
      const other = await generateRandomIdentity();
      const exported = await other.exportFile('caf\u00e9 noir', WEAK);
      const imported = await importKeyFile(exported, 'cafe\u0301 noir', ALLOW_WEAK);
      expect(imported.publicKey.hex).toBe(other.publicKey.hex);
    });

    it('writes and reads 600000 iterations by default', async () => {
      const strong = await identity.exportFile(PASSPHRASE);
      expect((JSON.parse(strong) as KeyFileV1).kdf.iterations).toBe(600_000);
      expect((await importKeyFile(strong, PASSPHRASE)).publicKey.hex).toBe(identity.publicKey.hex);
    });

    it('refuses a file with fewer iterations unless allowed for tests', async () => {
      expect(await codeOf(importKeyFile(text, PASSPHRASE))).toBe('weak_kdf');
    });
  });

  describe('refusals', () => {
    it('refuses a wrong passphrase as wrong_passphrase', async () => {
      const error = await importKeyFile(text, PASSPHRASE + ' ', ALLOW_WEAK).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdentityError);
      expect(error).toMatchObject({ code: 'wrong_passphrase', name: 'IdentityError' });
      expect(await codeOf(importKeyFile(text, 'Ocean lamp violin crater', ALLOW_WEAK))).toBe(
        'wrong_passphrase',
      );
    });

    it('refuses an empty passphrase', async () => {
      expect(await codeOf(importKeyFile(text, '', ALLOW_WEAK))).toBe('empty_passphrase');
    });

    function flipByte(field: string, index: number): string {
      const bytes = fromB64(field);
      const at = (index + bytes.length) % bytes.length;
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      return b64(bytes);
    }

    it.each([
      ['the first ciphertext byte', (c: EditableFile) => (c.ciphertext = flipByte(c.ciphertext, 0))],
      ['the last tag byte', (c: EditableFile) => (c.ciphertext = flipByte(c.ciphertext, -1))],
      ['the iv', (c: EditableFile) => (c.cipher.iv = flipByte(c.cipher.iv, 5))],
      ['the salt', (c: EditableFile) => (c.kdf.salt = flipByte(c.kdf.salt, 0))],
      ['the iteration count', (c: EditableFile) => (c.kdf.iterations += 1)],
    ])('refuses a file with %s altered (GCM authentication fails)', async (_label, edit) => {
      expect(await codeOf(importKeyFile(edited(edit), PASSPHRASE, ALLOW_WEAK))).toBe('wrong_passphrase');
    });

    it('refuses a file whose public key was swapped for another valid key', async () => {
      const other = await generateRandomIdentity();
      const swapped = edited((c) => (c.publicKey = other.publicKey.hex));
      expect(await codeOf(importKeyFile(swapped, PASSPHRASE, ALLOW_WEAK))).toBe('wrong_passphrase');
    });

    it('refuses as corrupt a file that decrypts to the private key of another public key', async () => {
      const other = await generateRandomIdentity();
      const d = nodeReadScalar(text, PASSPHRASE);
      const forged = nodeWriteKeyFile(d, other.publicKey.hex, PASSPHRASE);
      expect(await codeOf(importKeyFile(forged, PASSPHRASE, ALLOW_WEAK))).toBe('corrupt');
    });

    it.each([
      ['0', 0n],
      ['n', P256_ORDER],
      ['2^256 - 1', 2n ** 256n - 1n],
    ])('refuses as corrupt a file that decrypts to the invalid scalar %s', async (_label, d) => {
      const forged = nodeWriteKeyFile(bigIntToBytes(d, 32), identity.publicKey.hex, PASSPHRASE);
      expect(await codeOf(importKeyFile(forged, PASSPHRASE, ALLOW_WEAK))).toBe('corrupt');
    });

    it.each(['', 'not json', '{', 'null', '[]', '"mpqcht-key"', '42', '{}'])(
      'refuses %j as not_a_key_file',
      async (input) => {
        expect(await codeOf(importKeyFile(input, PASSPHRASE, ALLOW_WEAK))).toBe('not_a_key_file');
      },
    );

    it('refuses a private key JWK (the CLI key file) as not_a_key_file', async () => {
      const jwk = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' });
      expect(await codeOf(importKeyFile(jwk, PASSPHRASE, ALLOW_WEAK))).toBe('not_a_key_file');
    });

    const malformed: [string, (c: EditableFile) => void][] = [
      ['another format', (c) => (c.format = 'mpqcht-keys')],
      ['a version string', (c) => (c.version = '1')],
      ['a missing version', (c) => Reflect.deleteProperty(c, 'version')],
      ['an extra field', (c) => (loose(c)['note'] = 'hi')],
      ['a missing ciphertext', (c) => Reflect.deleteProperty(c, 'ciphertext')],
      ['an extra kdf field', (c) => (loose(c.kdf)['hash'] = 'SHA-256')],
      ['another kdf', (c) => (c.kdf.name = 'scrypt')],
      ['another cipher', (c) => (c.cipher.name = 'AES-CBC')],
      ['a kdf that is not an object', (c) => (loose(c)['kdf'] = 'PBKDF2-SHA-256')],
      ['a cipher that is an array', (c) => (loose(c)['cipher'] = ['AES-GCM'])],
      ['iterations as a string', (c) => (loose(c.kdf)['iterations'] = '1000')],
      ['a 15-byte salt', (c) => (c.kdf.salt = b64(new Uint8Array(15)))],
      ['a padded salt', (c) => (c.kdf.salt = Buffer.from(fromB64(c.kdf.salt)).toString('base64'))],
      ['a non-canonical salt', (c) => (c.kdf.salt = c.kdf.salt.slice(0, -1) + 'B')],
      ['an iv of 16 bytes', (c) => (c.cipher.iv = b64(new Uint8Array(16)))],
      ['an iv that is not base64url', (c) => (c.cipher.iv = 'not base64url!!!')],
      ['a short ciphertext', (c) => (c.ciphertext = b64(fromB64(c.ciphertext).subarray(0, 47)))],
      [
        'a long ciphertext',
        (c) => (c.ciphertext = b64(Buffer.concat([fromB64(c.ciphertext), Buffer.of(0)]))),
      ],
      ['an upper-case public key', (c) => (c.publicKey = c.publicKey.toUpperCase())],
      ['a public key that is not a point', (c) => (c.publicKey = '02' + '00'.repeat(31) + '01')],
      ['a public key of 32 bytes', (c) => (c.publicKey = c.publicKey.slice(2))],
      ['a public key that is a number', (c) => (loose(c)['publicKey'] = 2)],
    ];

    it.each(malformed)('refuses a file with %s as not_a_key_file', async (_label, edit) => {
      expect(await codeOf(importKeyFile(edited(edit), PASSPHRASE, ALLOW_WEAK))).toBe('not_a_key_file');
    });

    it('refuses an uncompressed public key as not_a_key_file', async () => {
      const uncompressed = edited((c) => (c.publicKey = '04' + bytesToHex(new Uint8Array(64))));
      expect(await codeOf(importKeyFile(uncompressed, PASSPHRASE, ALLOW_WEAK))).toBe('not_a_key_file');
    });

    it.each([0, 2, 1.5, 100])('refuses version %p as unsupported_version', async (version) => {
      const input = edited((c) => (c.version = version));
      expect(await codeOf(importKeyFile(input, PASSPHRASE, ALLOW_WEAK))).toBe('unsupported_version');
    });

    it('refuses a version 2 file of another shape as unsupported_version, not malformed', async () => {
      const v2 = JSON.stringify({ format: 'mpqcht-key', version: 2, whatever: true });
      expect(await codeOf(importKeyFile(v2, PASSPHRASE, ALLOW_WEAK))).toBe('unsupported_version');
    });

    it('refuses absurd iteration counts before running them', async () => {
      const huge = edited((c) => (c.kdf.iterations = 1e12));
      const zero = edited((c) => (c.kdf.iterations = 0));
      expect(await codeOf(importKeyFile(huge, PASSPHRASE, ALLOW_WEAK))).toBe('weak_kdf');
      expect(await codeOf(importKeyFile(zero, PASSPHRASE, ALLOW_WEAK))).toBe('weak_kdf');
    });
  });
});
