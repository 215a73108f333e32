import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import {
  buildLoginBytes,
  hexToBytes,
  parseWirePublicKey,
  publicKeyToJwk,
  signLoginChallenge,
} from '@mpqcht/identity';

import { createKeyFile, KeyFileError, loadKeyFile } from './key-file';

describe('key files', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mpqcht-cli-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a P-256 private JWK with mode 0600 and reads back the same public key', async () => {
    const file = path.join(dir, 'root.key');
    const created = await createKeyFile(file);
    expect(created.hex).toMatch(/^0[23][0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const jwk = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });

    const loaded = await loadKeyFile(file);
    expect(loaded.publicKey.hex).toBe(created.hex);
    expect(loaded.warning).toBeUndefined();
    expect(loaded.privateKey.extractable).toBe(false);
  });

  it('signs, after the round trip, login bytes that verify for the saved public key', async () => {
    const file = path.join(dir, 'k');
    const created = await createKeyFile(file);
    const loaded = await loadKeyFile(file);
    const proof = await signLoginChallenge({
      privateKey: loaded.privateKey,
      publicKey: loaded.publicKey,
      origin: 'https://chat.example.org',
      nonceHex: '11'.repeat(32),
    });
    const wire = parseWirePublicKey(proof.publicKey);
    if (!wire.ok) throw new Error('bad key in proof');
    expect(wire.key.hex).toBe(created.hex);
    const bytes = buildLoginBytes({
      origin: 'https://chat.example.org',
      nonce: hexToBytes('11'.repeat(32)) ?? new Uint8Array(),
      publicKey: wire.key,
    });
    const key = createPublicKey({ key: { ...publicKeyToJwk(wire.key) }, format: 'jwk' });
    const signature = hexToBytes(proof.signature) ?? new Uint8Array();
    expect(verify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('makes a new key each time', async () => {
    const a = await createKeyFile(path.join(dir, 'a'));
    const b = await createKeyFile(path.join(dir, 'b'));
    expect(a.hex).not.toBe(b.hex);
  });

  it('refuses to overwrite an existing file and leaves it untouched', async () => {
    const file = path.join(dir, 'root.key');
    await writeFile(file, 'precious');
    await expect(createKeyFile(file)).rejects.toThrow(`${file} already exists; refusing to overwrite it`);
    expect(await readFile(file, 'utf8')).toBe('precious');
  });

  it('reports a directory that does not exist', async () => {
    await expect(createKeyFile(path.join(dir, 'missing', 'k'))).rejects.toThrow(KeyFileError);
  });

  it('warns when the file is readable by others', async () => {
    const file = path.join(dir, 'k');
    await createKeyFile(file);
    await chmod(file, 0o644);
    expect((await loadKeyFile(file)).warning).toContain('chmod 600');
  });

  it('loads a P-256 private JWK made elsewhere (Node) and derives its public key', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = pair.privateKey.export({ format: 'jwk' });
    const file = path.join(dir, 'node.jwk');
    await writeFile(file, JSON.stringify(jwk), { mode: 0o600 });
    const x = Buffer.from(jwk.x ?? '', 'base64url').toString('hex');
    const y = Buffer.from(jwk.y ?? '', 'base64url').toString('hex');
    const loaded = await loadKeyFile(file);
    expect(loaded.publicKey.point.x).toBe(BigInt('0x' + x));
    expect(loaded.publicKey.point.y).toBe(BigInt('0x' + y));
  });

  describe('refuses files that are not a usable key', () => {
    async function write(content: unknown): Promise<string> {
      const file = path.join(dir, 'bad');
      await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
      return file;
    }

    async function validJwk(): Promise<Record<string, string>> {
      const file = path.join(dir, 'good');
      await createKeyFile(file);
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    }

    it('a missing file', async () => {
      await expect(loadKeyFile(path.join(dir, 'nope'))).rejects.toThrow('no such file or directory');
    });

    it('not JSON, or JSON but not an object', async () => {
      await expect(loadKeyFile(await write('not json'))).rejects.toThrow('is not a key file');
      await expect(loadKeyFile(await write([1, 2]))).rejects.toThrow('is not a key file');
    });

    it('another curve or key type', async () => {
      const jwk = await validJwk();
      await expect(loadKeyFile(await write({ ...jwk, crv: 'P-384' }))).rejects.toThrow('not a P-256 key');
      await expect(loadKeyFile(await write({ ...jwk, kty: 'RSA' }))).rejects.toThrow('not a P-256 key');
    });

    it('a public key only', async () => {
      const publicOnly: Record<string, string | undefined> = await validJwk();
      delete publicOnly['d'];
      await expect(loadKeyFile(await write(publicOnly))).rejects.toThrow('holds no private key');
    });

    it('a public point off the curve', async () => {
      const jwk = await validJwk();
      const y = Buffer.from(jwk['y'] ?? '', 'base64url');
      y[31] = (y[31] ?? 0) ^ 1;
      await expect(loadKeyFile(await write({ ...jwk, y: y.toString('base64url') }))).rejects.toThrow(
        'not on P-256',
      );
    });

    it('a private key that belongs to another public key', async () => {
      const mine = await validJwk();
      await rm(path.join(dir, 'good'));
      const other = await validJwk();
      await expect(loadKeyFile(await write({ ...mine, d: other['d'] }))).rejects.toThrow(
        'WebCrypto refused the key',
      );
    });
  });
});
