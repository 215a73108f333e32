import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import type { MessageDto } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi, tempDir } from '@mpqcht/test-harness';

import { connect, nextPush, ok, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';

const run = promisify(execFile);
const WORKSPACE = path.resolve(__dirname, '../../..');

/** Runs the admin CLI the way the README tells an operator to (`npm run -s cli -- ...`). */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('npm', ['run', '-s', 'cli', '--', ...args], { cwd: WORKSPACE, timeout: 30_000 });
}

describe('the README flow with the admin CLI against a real server', () => {
  const dir = tempDir('mpqcht-cli-e2e-');
  const rootKey = path.join(dir, 'root.key');
  let api: ApiProcess;
  let listener: TestSocket | undefined;

  afterAll(async () => {
    listener?.close();
    await api.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a root key, logs in with it, joins and sends a message that another client receives', async () => {
    const keygen = await cli('keygen', '--out', rootKey);
    const publicKey = keygen.stdout.split('\n')[0] ?? '';
    expect(publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(fs.statSync(rootKey).mode & 0o777).toBe(0o600);

    api = await startApi({ configToml: defaultConfig([publicKey]) });
    // The api is reached at 127.0.0.1:<port> but its public origin is another name, as behind a
    // proxy: --origin tells the CLI which origin to sign for.
    const server = api.url;
    const joined = await cli(
      'join',
      '--server',
      server,
      '--key',
      rootKey,
      '--name',
      'Operator',
      '--origin',
      api.origin,
    );
    expect(joined.stdout).toContain('Operator');

    const friend = await newIdentity();
    await cli(
      'authorize',
      '--server',
      server,
      '--key',
      rootKey,
      '--member',
      friend.publicKey.hex,
      '--origin',
      api.origin,
    );
    listener = await connect(api, friend);
    await ok(listener, 'member.join', { displayName: 'Friend' });

    const received = nextPush(listener, 'message.created', 20_000);
    const sent = await cli(
      'send',
      '--server',
      server,
      '--key',
      rootKey,
      '--channel',
      'lobby',
      'hello from the cli',
      '--origin',
      api.origin,
    );
    const message = await received;
    expect(message).toMatchObject({ channelId: 'lobby', author: publicKey, content: 'hello from the cli' });
    expect((JSON.parse(sent.stdout) as MessageDto).id).toBe(message.id);
  });

  it('solves a proof-of-work in a worker thread when the server asks for one, says so on stderr, and keeps its login pass', async () => {
    // Every second with a challenge request raises the effort, straight to 200000, and it never falls.
    const pow = `
[pow]
raise_above = 0
lower_below = 0
calm_seconds = 3600
initial_effort = 200000
max_effort = 200000
`;
    const keygen = await cli('keygen', '--out', path.join(dir, 'pow.key'));
    const publicKey = keygen.stdout.split('\n')[0] ?? '';
    const flooded = await startApi({ configToml: defaultConfig([publicKey], pow) });
    try {
      for (let effort = 0; effort === 0;) {
        await fetch(`${flooded.url}/api/auth/challenge`, { method: 'POST' });
        await new Promise((resolve) => setTimeout(resolve, 200));
        effort = ((await (await fetch(`${flooded.url}/api/auth/pow`)).json()) as { data: { effort: number } })
          .data.effort;
      }
      const plain = await fetch(`${flooded.url}/api/auth/challenge`, { method: 'POST' });
      expect(plain.status).toBe(403);
      const joined = await cli(
        'join',
        '--server',
        flooded.url,
        '--key',
        path.join(dir, 'pow.key'),
        '--name',
        'Patient',
        '--origin',
        flooded.origin,
      );
      expect(joined.stdout).toContain('Patient');
      expect(joined.stderr).toContain('solving proof-of-work (effort 200000)');

      // The login pass of that session is kept beside the key file, and the next command shows it
      // instead of solving, though the server still asks everyone else for proof.
      const passFile = `${path.join(dir, 'pow.key')}.passes.json`;
      expect(fs.statSync(passFile).mode & 0o777).toBe(0o600);
      const kept = JSON.parse(fs.readFileSync(passFile, 'utf8')) as Record<string, { publicKey: string }>;
      expect(Object.keys(kept)).toEqual([flooded.url]);
      expect(kept[flooded.url]?.publicKey).toBe(publicKey);
      const again = await cli(
        'login',
        '--server',
        flooded.url,
        '--key',
        path.join(dir, 'pow.key'),
        '--origin',
        flooded.origin,
      );
      expect(JSON.parse(again.stdout)).toMatchObject({ publicKey, member: { displayName: 'Patient' } });
      expect(again.stderr).not.toContain('solving proof-of-work');
      expect((await fetch(`${flooded.url}/api/auth/challenge`, { method: 'POST' })).status).toBe(403);

      // A pass the server refuses (this one it never signed) costs a proof, and is dropped: the key
      // is no member, so no session brings a new one.
      const stranger = path.join(dir, 'stranger.key');
      const strangerKey = (await cli('keygen', '--out', stranger)).stdout.split('\n')[0] ?? '';
      const forged = { publicKey: strangerKey, pass: 'ab'.repeat(54), expiresAt: '2099-01-01T00:00:00.000Z' };
      fs.writeFileSync(`${stranger}.passes.json`, JSON.stringify({ [flooded.url]: forged }), { mode: 0o600 });
      const refused = await cli(
        'login',
        '--server',
        flooded.url,
        '--key',
        stranger,
        '--origin',
        flooded.origin,
      ).then(
        () => ({ stderr: 'logged in' }),
        (error: unknown) => error as { stderr: string },
      );
      expect(refused.stderr).toContain('solving proof-of-work (effort 200000)');
      expect(refused.stderr).toContain('not_a_member');
      expect(fs.existsSync(`${stranger}.passes.json`)).toBe(false);
    } finally {
      await flooded.dispose();
    }
  });
});
