import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { defaultConfig, embeddedUrl, tempDir } from './api-process';
import { startCoturn } from './coturn';
import { freePort } from './free-port';

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('test harness', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('freePort gives a loopback port that a server can then listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
    const server = await listen(port);
    try {
      expect((server.address() as net.AddressInfo).port).toBe(port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('tempDir makes a fresh directory the embedded PostgreSQL user can enter', () => {
    const a = tempDir('mpqcht-harness-');
    const b = tempDir('mpqcht-harness-');
    dirs.push(a, b);
    expect(a).not.toBe(b);
    expect(path.basename(a).startsWith('mpqcht-harness-')).toBe(true);
    expect(fs.statSync(a).mode & 0o777).toBe(0o755);
  });

  it('defaultConfig lists the root keys and appends extra TOML', () => {
    const toml = defaultConfig(
      ['02' + 'ab'.repeat(32), '03' + 'cd'.repeat(32)],
      '\n[[channels]]\nid = "extra"\n',
    );
    expect(toml).toContain(`root_keys = ["02${'ab'.repeat(32)}", "03${'cd'.repeat(32)}"]`);
    expect(toml).toContain('id = "lobby"');
    expect(toml.trimEnd().endsWith('id = "extra"')).toBe(true);
    expect(defaultConfig()).toContain('root_keys = []');
  });

  it('embeddedUrl reads the port from postmaster.pid and the password file', () => {
    const dataDir = tempDir('mpqcht-harness-');
    dirs.push(dataDir);
    fs.mkdirSync(path.join(dataDir, 'postgres'));
    const pid = ['4242', path.join(dataDir, 'postgres'), '1700000000', '54329', '', '127.0.0.1', ''];
    fs.writeFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), pid.join('\n'));
    fs.writeFileSync(path.join(dataDir, 'postgres.password'), 's3cret\n');
    expect(embeddedUrl(dataDir)).toBe('postgres://postgres:s3cret@127.0.0.1:54329/postgres');
  });

  it('startCoturn runs turnserver on loopback with the secret in a private file, and stop() cleans up', async () => {
    const secret = 'harness0secret0not0on0the0command0line';
    const coturn = await startCoturn({ secret });
    const pid = coturn.child.pid ?? 0;
    try {
      expect(coturn.turnUrl).toBe(`turn:127.0.0.1:${coturn.port}?transport=udp`);
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(secret);
      expect(fs.statSync(coturn.dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(coturn.dir, 'turnserver.conf')).mode & 0o777).toBe(0o600);
      // Its log goes to the file (so `log()` has it), and it runs with the shared deny list.
      expect(coturn.log()).toContain('Black listing: 127.0.0.0-127.255.255.255');
      expect(coturn.log()).toContain('White listing: 127.0.0.1');
    } finally {
      await coturn.stop();
    }
    expect(coturn.child.exitCode !== null || coturn.child.signalCode !== null).toBe(true);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect(fs.existsSync(coturn.dir)).toBe(false);
  });
});
