import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { LoginPassFile, passFilePath } from './login-passes';

const SERVER = 'https://chat.example.org';
const KEY = '02' + 'aa'.repeat(32);
const NOW = Date.parse('2030-01-01T00:00:00.000Z');
const LIVE = { pass: 'cd'.repeat(54), expiresAt: '2030-01-31T00:00:00.000Z' };

describe('login pass files', () => {
  let dir: string;
  let keyPath: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mpqcht-cli-passes-'));
    keyPath = path.join(dir, 'me.key');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = (server = SERVER, key = KEY, now = NOW) => new LoginPassFile(keyPath, server, key, () => now);

  it('keeps a pass beside the key file, mode 0600, and loads it for the same server and key', async () => {
    expect(await file().load()).toBeNull();
    await file().save(LIVE);
    expect(passFilePath(keyPath)).toBe(`${keyPath}.passes.json`);
    expect((await stat(passFilePath(keyPath))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(passFilePath(keyPath), 'utf8'))).toEqual({
      [SERVER]: { publicKey: KEY, ...LIVE },
    });
    expect(await file().load()).toBe(LIVE.pass);
    // No temporary file is left beside it.
    expect(await readdir(dir)).toEqual(['me.key.passes.json']);
  });

  it('never shows a pass to another server, for another key, or after it expired', async () => {
    await file().save(LIVE);
    expect(await file('https://other.example').load()).toBeNull();
    expect(await file(SERVER, '03' + 'bb'.repeat(32)).load()).toBeNull();
    expect(await file(SERVER, KEY, Date.parse(LIVE.expiresAt)).load()).toBeNull();
  });

  it('keeps one pass per server, the newest, and drops only the refused server’s', async () => {
    await file().save(LIVE);
    await file('https://other.example').save({ ...LIVE, pass: 'ee'.repeat(54) });
    await file().save({ ...LIVE, pass: 'ff'.repeat(54) });
    expect(await file().load()).toBe('ff'.repeat(54));

    await file().drop();
    expect(await file().load()).toBeNull();
    expect(await file('https://other.example').load()).toBe('ee'.repeat(54));
    await file('https://other.example').drop();
    // Nothing left to keep: no file.
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads a file that is not JSON as no passes, and replaces it on the next save', async () => {
    await writeFile(passFilePath(keyPath), 'not json', { mode: 0o600 });
    expect(await file().load()).toBeNull();
    await file().save(LIVE);
    expect(await file().load()).toBe(LIVE.pass);
  });

  it('does not keep a pass that has already expired', async () => {
    await file().save({ ...LIVE, expiresAt: '2029-12-31T00:00:00.000Z' });
    expect(await readdir(dir)).toEqual([]);
  });
});
