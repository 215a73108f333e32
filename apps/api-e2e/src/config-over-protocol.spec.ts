import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type AuditEntryDto, CONFIG_FILE_ACTOR } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { collectPushes, connect, fails, nextPush, ok, request, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import { pushMatching } from './support/push-matching';

const configurerRole = `
[[roles]]
id = "configurer"
name = "Configurer"
permissions = ["manage_config"]
`;

const newsChannel = `
[[channels]]
id = "news"
name = "news"
group = "general"
`;

/** A fourth channel in a group nobody declared: refused with the key path, as at start-up. */
const badChannel = `
[[channels]]
id = "broken"
name = "broken"
group = "nowhere"
`;

function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('config.toml over the protocol (config.get, config.replace)', () => {
  let api: ApiProcess;
  let root: TestSocket;
  let configurer: TestSocket;
  let member: TestSocket;
  let rootKey: string;
  let configurerKey: string;
  let initial: string;

  beforeAll(async () => {
    const rootId = await newIdentity();
    rootKey = rootId.publicKey.hex;
    initial = defaultConfig([rootId.publicKey.hex], configurerRole);
    api = await startApi({ configToml: initial });
    root = await connect(api, rootId);
    await ok(root, 'member.join', { displayName: 'Root' });
    const configurerId = await newIdentity();
    const memberId = await newIdentity();
    configurerKey = configurerId.publicKey.hex;
    await ok(root, 'members.authorize', { publicKey: configurerKey, roles: ['configurer'] });
    await ok(root, 'members.authorize', { publicKey: memberId.publicKey.hex, roles: ['plain'] });
    configurer = await connect(api, configurerId);
    await ok(configurer, 'member.join', { displayName: 'Configurer' });
    member = await connect(api, memberId);
    await ok(member, 'member.join', { displayName: 'Member' });
  });

  afterAll(async () => {
    for (const socket of [root, configurer, member]) socket.close();
    await api.dispose();
  });

  const backup = () => `${api.configPath}.bak`;
  const onDisk = () => fs.readFileSync(api.configPath);

  async function auditEntries(): Promise<readonly AuditEntryDto[]> {
    return (await ok(root, 'audit.list', {})).entries;
  }

  it('lets a root read the config text and its sha-256', async () => {
    const config = await ok(root, 'config.get', {});
    expect(config.text).toBe(initial);
    expect(config.hash).toBe(sha256(onDisk()));
  });

  it('refuses both events to a member without manage_config, changing nothing', async () => {
    const before = onDisk();
    const auditBefore = await auditEntries();
    const get = await request(member, 'config.get', {});
    expect(get).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const replace = await request(member, 'config.replace', {
      text: initial + newsChannel,
      expectedHash: sha256(before),
    });
    expect(replace).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(onDisk().equals(before)).toBe(true);
    expect(fs.existsSync(backup())).toBe(false);
    expect(await auditEntries()).toEqual(auditBefore);
    expect((await ok(member, 'channels.list', {})).channels.map((c) => c.id)).toEqual(['lobby', 'random']);
  });

  it('applies a valid replacement at once: file, backup, live channels and one audit entry', async () => {
    const { hash } = await ok(configurer, 'config.get', {});
    const next = initial + newsChannel;
    const changes = collectPushes(member, 'channels.changed');
    const changed = pushMatching(member, 'channels.changed', (list) =>
      list.channels.some((c) => c.id === 'news'),
    );

    const replaced = await ok(configurer, 'config.replace', { text: next, expectedHash: hash });

    expect(replaced.hash).toBe(sha256(next));
    expect((await changed).channels.map((c) => c.id)).toEqual(['lobby', 'random', 'news']);
    expect(onDisk().toString('utf8')).toBe(next);
    expect(fs.readFileSync(backup(), 'utf8')).toBe(initial);
    // No temporary file is left beside config.toml.
    expect(fs.readdirSync(path.dirname(api.configPath)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await ok(root, 'config.get', {})).toEqual({ text: next, hash: replaced.hash });
    // The member can use the new channel on the same socket.
    const sent = await ok(member, 'messages.send', {
      channelId: 'news',
      clientId: crypto.randomUUID(),
      content: 'hello news',
    });
    expect(sent.channelId).toBe('news');

    // The watcher sees its own write: it must neither apply it a second time nor audit it as an edit.
    await sleep(1_500);
    expect(changes).toHaveLength(1);
    const entries = await auditEntries();
    expect(entries.filter((e) => e.action === 'config.reloaded')).toEqual([]);
    const replacedEntries = entries.filter((e) => e.action === 'config.replaced');
    expect(replacedEntries).toHaveLength(1);
    expect(replacedEntries[0]).toMatchObject({
      actor: configurerKey,
      target: 'config.toml',
      details: {
        oldHash: hash,
        newHash: replaced.hash,
        channelsAdded: ['news'],
        channelsRemoved: [],
        rolesAdded: [],
        rolesRemoved: [],
      },
    });
  });

  it('refuses an invalid replacement with every error at its key path, leaving the file as it was', async () => {
    const { text, hash } = await ok(configurer, 'config.get', {});
    const before = onDisk();
    const backupBefore = fs.readFileSync(backup());
    const changes = collectPushes(member, 'channels.changed');

    const refused = await request(configurer, 'config.replace', {
      text: text.replace('name = "e2e"', 'name = ""') + badChannel,
      expectedHash: hash,
    });

    expect(refused).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const errors = refused.ok ? [] : (refused.error.details?.['errors'] as string[]);
    expect(errors).toEqual([
      expect.stringMatching(/^config\.toml: server\.name: /),
      'config.toml: channels[3].group: unknown group "nowhere" (declare it under [[groups]])',
    ]);
    expect(onDisk().equals(before)).toBe(true);
    expect(fs.readFileSync(backup()).equals(backupBefore)).toBe(true);
    expect((await ok(member, 'channels.list', {})).channels.map((c) => c.id)).toEqual([
      'lobby',
      'random',
      'news',
    ]);

    const syntax = await request(configurer, 'config.replace', { text: '[server\n', expectedHash: hash });
    expect(syntax).toMatchObject({
      ok: false,
      error: {
        code: 'validation_failed',
        details: { errors: [expect.stringMatching(/^config\.toml: syntax error at line 1, column \d+: /)] },
      },
    });
    expect(onDisk().equals(before)).toBe(true);
    expect(changes).toEqual([]);

    const rejected = (await auditEntries()).filter((e) => e.action === 'config.rejected');
    expect(rejected.map((e) => ({ actor: e.actor, errors: e.details['errors'] }))).toEqual([
      { actor: configurerKey, errors: syntax.ok ? [] : syntax.error.details?.['errors'] },
      { actor: configurerKey, errors },
    ]);
  });

  it('refuses a replacement based on a stale hash with conflict, and audits an external edit as file', async () => {
    const { text: read, hash: stale } = await ok(root, 'config.get', {});
    // Someone edits config.toml on disk meanwhile: the watcher applies it (renamed server).
    const external = read.replace('name = "e2e"', 'name = "edited on disk"');
    const updated = pushMatching(member, 'server.updated', (info) => info.name === 'edited on disk', 10_000);
    fs.writeFileSync(`${api.configPath}.editor-tmp`, external);
    fs.renameSync(`${api.configPath}.editor-tmp`, api.configPath);
    await updated;

    const conflict = await request(root, 'config.replace', {
      text: read.replace('name = "e2e"', 'name = "lost update"'),
      expectedHash: stale,
    });
    expect(conflict).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { hash: sha256(external) } },
    });
    expect(onDisk().toString('utf8')).toBe(external);

    let reloaded: AuditEntryDto | undefined;
    for (let tries = 0; tries < 50 && !reloaded; tries++) {
      reloaded = (await auditEntries()).find((e) => e.action === 'config.reloaded');
      if (!reloaded) await sleep(100);
    }
    expect(reloaded).toMatchObject({
      actor: CONFIG_FILE_ACTOR,
      target: 'config.toml',
      details: { oldHash: stale, newHash: sha256(external), serverRenamed: true, channelsAdded: [] },
    });

    // With the current hash, a root's replacement goes through (roots hold manage_config).
    const changed = nextPush(member, 'channels.changed', 10_000);
    const removed = await ok(root, 'config.replace', {
      text: external.replace(newsChannel, ''),
      expectedHash: sha256(external),
    });
    expect((await changed).channels.map((c) => c.id)).toEqual(['lobby', 'random']);
    expect(removed.hash).toBe(sha256(onDisk()));
    expect(fs.readFileSync(backup(), 'utf8')).toBe(external);
    expect(await fails(member, 'messages.history', { channelId: 'news' })).toBe('not_found');
    const latest = (await auditEntries()).find((e) => e.action === 'config.replaced');
    expect(latest).toMatchObject({
      actor: rootKey,
      details: { oldHash: sha256(external), newHash: removed.hash, channelsRemoved: ['news'] },
    });
  });
});
