import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  pbkdf2Sync,
  verify as nodeVerify,
} from 'node:crypto';

import { deriveIdentity, IDENTITY_SALT_CONTEXT, normalizeUsername } from './derive-identity';
import { bigIntToBytes, hexToBytes } from './hex';
import { IDENTITY_KDF_ITERATIONS } from './kdf';
import { buildLoginBytes } from './login-bytes';
import { P256_ORDER } from './p256';
import { type PublicKey, publicKeyToJwk } from './public-key';
import { signLoginChallenge } from './webcrypto-keys';

const subtle = globalThis.crypto.subtle;
const WEAK = { iterations: 1000, allowWeakForTests: true } as const;
const PASSPHRASE = 'tulip pyramid saddle oyster';

/** The construction documented on deriveIdentity, written again with Node's crypto. */
function nodeReference(user: string, passphrase: string, iterations: number) {
  const salt = Buffer.concat([
    Buffer.from(IDENTITY_SALT_CONTEXT),
    Buffer.from([0]),
    Buffer.from(user, 'utf8'),
  ]);
  const master = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
  const wide = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'mpqcht-signing-key-v1', 48));
  const d = (BigInt('0x' + wide.toString('hex')) % (P256_ORDER - 1n)) + 1n;
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bigIntToBytes(d, 32));
  const vault = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'mpqcht-vault-key-v1', 32));
  return { publicKeyHex: ecdh.getPublicKey('hex', 'compressed'), vault };
}

function nodeVerifies(publicKey: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
  return nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

async function sealWith(
  vaultKey: CryptoKey,
  text: string,
): Promise<{ iv: Uint8Array<ArrayBuffer>; sealed: Uint8Array<ArrayBuffer> }> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv }, vaultKey, new TextEncoder().encode(text)),
  );
  return { iv, sealed };
}

function nodeOpen(key: Buffer, iv: Uint8Array, sealed: Uint8Array): string {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

describe('deriveIdentity at full strength', () => {
  it('uses 600000 iterations by default and matches the documented construction', async () => {
    expect(IDENTITY_KDF_ITERATIONS).toBe(600_000);
    const identity = await deriveIdentity('Alice', PASSPHRASE);
    // A frozen known answer: if this changes, every passphrase user's identity has changed.
    expect(identity.publicKey.hex).toBe('023e1add328f393162b4383669df706871b22c033e2b5242949c02a449d6e8eb31');
    expect(identity.publicKey.hex).toBe(nodeReference('alice', PASSPHRASE, 600_000).publicKeyHex);
  });

  it('refuses fewer iterations without allowWeakForTests', async () => {
    await expect(deriveIdentity('alice', PASSPHRASE, { iterations: 1000 })).rejects.toMatchObject({
      code: 'weak_kdf',
    });
  });
});

describe('deriveIdentity (1000 iterations, test override)', () => {
  it('is deterministic: the same username and passphrase give the same key', async () => {
    const a = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const b = await deriveIdentity('alice', PASSPHRASE, WEAK);
    expect(a.publicKey.hex).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(b.publicKey.hex).toBe(a.publicKey.hex);
  });

  it('matches a frozen known answer and the construction written with Node crypto', async () => {
    const identity = await deriveIdentity('alice', 'correct horse battery staple', WEAK);
    expect(identity.publicKey.hex).toBe('03b3687cb127aa9faeb853a991e0b3be94fb4cda80bc19e3c4f57cb444b968f4fe');
    const reference = nodeReference('alice', 'correct horse battery staple', 1000);
    expect(identity.publicKey.hex).toBe(reference.publicKeyHex);
  });

  it('puts the username in the salt: another username gives another key', async () => {
    const alice = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const bob = await deriveIdentity('bob', PASSPHRASE, WEAK);
    expect(bob.publicKey.hex).not.toBe(alice.publicKey.hex);
  });

  it('gives another key for another passphrase or another iteration count', async () => {
    const base = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const other = await deriveIdentity('alice', PASSPHRASE + '!', WEAK);
    const more = await deriveIdentity('alice', PASSPHRASE, { iterations: 1001, allowWeakForTests: true });
    expect(other.publicKey.hex).not.toBe(base.publicKey.hex);
    expect(more.publicKey.hex).not.toBe(base.publicKey.hex);
  });

  it('normalises the username: NFKC, trimmed, lower-cased', async () => {
    expect(normalizeUsername('  Alice ')).toBe('alice');
    expect(normalizeUsername('ＡＬＩＣＥ')).toBe('alice');
    expect(normalizeUsername('Jose\u0301')).toBe('jos\u00e9');
    const plain = await deriveIdentity('alice', PASSPHRASE, WEAK);
    for (const spelling of ['Alice ', ' ALICE', 'ａｌｉｃｅ', '\talice\n']) {
      const again = await deriveIdentity(spelling, PASSPHRASE, WEAK);
      expect(again.publicKey.hex).toBe(plain.publicKey.hex);
    }
  });

  it('normalises the passphrase with NFKC but does not trim it', async () => {
    const composed = await deriveIdentity('alice', 'caf\u00e9 au lait', WEAK);
    const decomposed = await deriveIdentity('alice', 'cafe\u0301 au lait', WEAK);
    const spaced = await deriveIdentity('alice', 'caf\u00e9 au lait ', WEAK);
    expect(decomposed.publicKey.hex).toBe(composed.publicKey.hex);
    expect(spaced.publicKey.hex).not.toBe(composed.publicKey.hex);
  });

  it('refuses an empty username and an empty passphrase', async () => {
    await expect(deriveIdentity('', PASSPHRASE, WEAK)).rejects.toMatchObject({ code: 'empty_username' });
    await expect(deriveIdentity(' \t ', PASSPHRASE, WEAK)).rejects.toMatchObject({ code: 'empty_username' });
    await expect(deriveIdentity('alice', '', WEAK)).rejects.toMatchObject({ code: 'empty_passphrase' });
  });

  it('makes a signing key whose login signature Node verifies for the derived public key', async () => {
    const { publicKey, signingKey } = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const nonceHex = '5a'.repeat(32);
    const origin = 'https://chat.example.org';
    const proof = await signLoginChallenge({ privateKey: signingKey, publicKey, origin, nonceHex });
    expect(proof.publicKey).toBe(publicKey.hex);
    const nonce = hexToBytes(nonceHex) ?? new Uint8Array();
    const signature = hexToBytes(proof.signature) ?? new Uint8Array();
    expect(nodeVerifies(publicKey, buildLoginBytes({ origin, nonce, publicKey }), signature)).toBe(true);
    expect(
      nodeVerifies(
        publicKey,
        buildLoginBytes({ origin: 'https://evil.example', nonce, publicKey }),
        signature,
      ),
    ).toBe(false);
  });

  it('makes keys that cannot be exported', async () => {
    const { signingKey, vaultKey } = await deriveIdentity('alice', PASSPHRASE, WEAK);
    expect(signingKey.extractable).toBe(false);
    expect(signingKey.type).toBe('private');
    expect(signingKey.usages).toEqual(['sign']);
    expect(vaultKey.extractable).toBe(false);
    expect(vaultKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...vaultKey.usages].sort()).toEqual(['decrypt', 'encrypt']);
    for (const format of ['jwk', 'pkcs8'] as const) {
      await expect(subtle.exportKey(format, signingKey)).rejects.toThrow();
    }
    await expect(subtle.exportKey('raw', vaultKey)).rejects.toThrow();
  });

  it('makes the vault key HKDF(master, "mpqcht-vault-key-v1"), stable across derivations', async () => {
    const first = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const second = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const { iv, sealed } = await sealWith(first.vaultKey, 'notes');
    const opened = await subtle.decrypt({ name: 'AES-GCM', iv }, second.vaultKey, sealed);
    expect(new TextDecoder().decode(opened)).toBe('notes');
    expect(nodeOpen(nodeReference('alice', PASSPHRASE, 1000).vault, iv, sealed)).toBe('notes');
  });

  it('gives bob a different vault key', async () => {
    const alice = await deriveIdentity('alice', PASSPHRASE, WEAK);
    const bob = await deriveIdentity('bob', PASSPHRASE, WEAK);
    const { iv, sealed } = await sealWith(alice.vaultKey, 'notes');
    await expect(subtle.decrypt({ name: 'AES-GCM', iv }, bob.vaultKey, sealed)).rejects.toThrow();
  });
});
