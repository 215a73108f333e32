import * as fs from 'node:fs';

import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, connectRefused, nextPush, ok, type TestSocket } from './support/client';
import { loginProof, newIdentity } from './support/identity';

const extraChannel = `
[[channels]]
id = "news"
name = "news"
group = "general"
`;

/** Writes like an editor that saves to a temporary file and renames it over the original. */
function save(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

describe('live config.toml', () => {
  let api: ApiProcess;
  let socket: TestSocket;
  let rootKey: string;

  beforeAll(async () => {
    const root = await newIdentity();
    rootKey = root.publicKey.hex;
    api = await startApi({ configToml: defaultConfig([rootKey]) });
    const member = await newIdentity();
    const rootSocket = await connect(api, root);
    await ok(rootSocket, 'member.join', { displayName: 'Root' });
    await ok(rootSocket, 'members.authorize', { publicKey: member.publicKey.hex, roles: [] });
    rootSocket.close();
    socket = await connect(api, member);
    await ok(socket, 'member.join', { displayName: 'Member' });
  });

  afterAll(async () => {
    socket.close();
    await api.dispose();
  });

  it('applies a valid change without a restart: a new channel reaches live sockets', async () => {
    expect((await ok(socket, 'channels.list', {})).channels.map((c) => c.id)).toEqual(['lobby', 'random']);
    const changed = nextPush(socket, 'channels.changed', 10_000);
    const updated = nextPush(socket, 'server.updated', 10_000);
    save(
      api.configPath,
      defaultConfig([rootKey]).replace('name = "e2e"', 'name = "e2e renamed"') + extraChannel,
    );

    expect((await changed).channels.map((c) => c.id)).toEqual(['lobby', 'random', 'news']);
    expect((await updated).name).toBe('e2e renamed');
    // The same socket can use the new channel at once.
    const sent = await ok(socket, 'messages.send', {
      channelId: 'news',
      clientId: crypto.randomUUID(),
      content: 'hi',
    });
    expect(sent.channelId).toBe('news');
  });

  it('keeps the running config when the new file is invalid, and says so in the log', async () => {
    save(api.configPath, '[server\nname = "broken"');
    const deadline = Date.now() + 10_000;
    while (!api.output().includes('config.toml changed but is invalid') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(api.output()).toContain('config.toml changed but is invalid');
    expect(api.output()).toMatch(/syntax error at line 1/);
    // Still serving, with the last valid config.
    expect((await ok(socket, 'channels.list', {})).channels.map((c) => c.id)).toEqual([
      'lobby',
      'random',
      'news',
    ]);
    const info = (await (await fetch(`${api.url}/api/server`)).json()) as { data: { name: string } };
    expect(info.data.name).toBe('e2e renamed');
  });

  it('admits a key added to root_keys at its next login, as root, without a restart (README)', async () => {
    const newcomer = await newIdentity();
    const refused = await connectRefused(api, await loginProof(newcomer, api.url, api.origin));
    expect(refused.data?.code).toBe('not_a_member');

    save(
      api.configPath,
      defaultConfig([rootKey, newcomer.publicKey.hex]).replace('name = "e2e"', 'name = "e2e renamed"') +
        extraChannel,
    );
    // The watcher picks the file up within moments; until then the key is still refused.
    const deadline = Date.now() + 10_000;
    let admitted: TestSocket | undefined;
    while (!admitted) {
      try {
        admitted = await connect(api, newcomer);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    try {
      const session = await ok(admitted, 'session.get', {});
      expect(session.isRoot).toBe(true);
      expect(session.permissions).toContain('manage_config');
    } finally {
      admitted.close();
    }
  });
});
