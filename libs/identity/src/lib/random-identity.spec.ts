import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  pbkdf2Sync,
  verify as nodeVerify,
} from 'node:crypto';

import { IdentityError } from './identity-error';
import { VAULT_KEY_INFO } from './identity-keys';
import { importKeyFile, KEY_FILE_AAD_CONTEXT, type KeyFileV1 } from './key-file';
import { parseWirePublicKey, publicKeyToJwk } from './public-key';
import { generateRandomIdentity } from './random-identity';

const subtle = globalThis.crypto.subtle;
const WEAK = { iterations: 1000, allowWeakForTests: true } as const;
const PASSPHRASE = 'purple elephant dances quietly';

/** d out of an exported file, read with Node's crypto. */
function nodeReadScalar(text: string, passphrase: string): Buffer {
  const file = JSON.parse(text) as KeyFileV1;
  const key = pbkdf2Sync(
    passphrase,
    Buffer.from(file.kdf.salt, 'base64url'),
    file.kdf.iterations,
    32,
    'sha256',
  );
  const sealed = Buffer.from(file.ciphertext, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.cipher.iv, 'base64url'));
  decipher.setAAD(Buffer.concat([Buffer.from(KEY_FILE_AAD_CONTEXT), Buffer.from(file.publicKey, 'hex')]));
  decipher.setAuthTag(sealed.subarray(32));
  return Buffer.concat([decipher.update(sealed.subarray(0, 32)), decipher.final()]);
}

describe('generateRandomIdentity', () => {
  it('makes a new valid key each time', async () => {
    const a = await generateRandomIdentity();
    const b = await generateRandomIdentity();
    expect(parseWirePublicKey(a.publicKey.hex).ok).toBe(true);
    expect(a.publicKey.hex).not.toBe(b.publicKey.hex);
  });

  it('makes non-extractable keys; the signing key signs what Node verifies', async () => {
    const identity = await generateRandomIdentity();
    expect(identity.signingKey.extractable).toBe(false);
    expect(identity.signingKey.usages).toEqual(['sign']);
    expect(identity.vaultKey.extractable).toBe(false);
    expect(identity.vaultKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    await expect(subtle.exportKey('jwk', identity.signingKey)).rejects.toThrow();
    await expect(subtle.exportKey('raw', identity.vaultKey)).rejects.toThrow();

    const message = new TextEncoder().encode('hello');
    const signature = new Uint8Array(
      await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, identity.signingKey, message),
    );
    const key = createPublicKey({ key: { ...publicKeyToJwk(identity.publicKey) }, format: 'jwk' });
    expect(nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('derives the vault key from d with HKDF, as importKeyFile does', async () => {
    const identity = await generateRandomIdentity();
    const d = nodeReadScalar(await identity.exportFile(PASSPHRASE, WEAK), PASSPHRASE);
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(d);
    expect(ecdh.getPublicKey('hex', 'compressed')).toBe(identity.publicKey.hex);

    const iv = new Uint8Array(12).fill(9);
    const sealed = new Uint8Array(
      await subtle.encrypt({ name: 'AES-GCM', iv }, identity.vaultKey, new TextEncoder().encode('notes')),
    );
    const vault = Buffer.from(hkdfSync('sha256', d, new Uint8Array(0), VAULT_KEY_INFO, 32));
    const decipher = createDecipheriv('aes-256-gcm', vault, iv);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const opened = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
    expect(opened.toString('utf8')).toBe('notes');
  });

  it('exports with a fresh salt and iv each time; both files open', async () => {
    const identity = await generateRandomIdentity();
    const first = JSON.parse(await identity.exportFile(PASSPHRASE, WEAK)) as KeyFileV1;
    const second = JSON.parse(await identity.exportFile(PASSPHRASE, WEAK)) as KeyFileV1;
    expect(second.kdf.salt).not.toBe(first.kdf.salt);
    expect(second.cipher.iv).not.toBe(first.cipher.iv);
    expect(second.ciphertext).not.toBe(first.ciphertext);
    for (const file of [first, second]) {
      const imported = await importKeyFile(JSON.stringify(file), PASSPHRASE, { allowWeakForTests: true });
      expect(imported.publicKey.hex).toBe(identity.publicKey.hex);
    }
  });

  it('refuses to export after discardExportable(), and keeps signing', async () => {
    const identity = await generateRandomIdentity();
    identity.discardExportable();
    identity.discardExportable();
    const error = await identity.exportFile(PASSPHRASE, WEAK).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityError);
    expect(error).toMatchObject({ code: 'export_discarded' });
    const signature = await subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      identity.signingKey,
      new Uint8Array([1, 2, 3]),
    );
    expect(signature.byteLength).toBe(64);
  });

  it('finishes an export already under way when discarded meanwhile', async () => {
    const identity = await generateRandomIdentity();
    const pending = identity.exportFile(PASSPHRASE, WEAK);
    identity.discardExportable();
    const imported = await importKeyFile(await pending, PASSPHRASE, { allowWeakForTests: true });
    expect(imported.publicKey.hex).toBe(identity.publicKey.hex);
  });

  it('refuses weak iterations without the test flag and an empty passphrase', async () => {
    const identity = await generateRandomIdentity();
    await expect(identity.exportFile(PASSPHRASE, { iterations: 1000 })).rejects.toMatchObject({
      code: 'weak_kdf',
    });
    await expect(identity.exportFile('', WEAK)).rejects.toMatchObject({ code: 'empty_passphrase' });
  });
});
