import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { backupPath, configHash, summariseChange, writeFileAtomically } from './config-file';
import { parseCommunityConfig } from './load-community-config';

const base = `
[server]
name = "one"

[[roles]]
id = "old"
name = "Old"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

describe('config file helpers', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-config-file-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('hashes bytes as lowercase sha-256 hex, the same for a string and its UTF-8 bytes', () => {
    expect(configHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(configHash('name = "é"')).toBe(configHash(Buffer.from('name = "é"', 'utf8')));
  });

  it('replaces a file atomically, keeps its mode, and leaves no temporary file behind', () => {
    const file = path.join(dir, 'config.toml');
    fs.writeFileSync(file, 'old', { mode: 0o600 });
    writeFileAtomically(file, 'new é');
    expect(fs.readFileSync(file, 'utf8')).toBe('new é');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['config.toml']);
  });

  it('creates a missing file and cleans up its temporary file when the rename fails', () => {
    const file = path.join(dir, 'config.toml.bak');
    writeFileAtomically(file, Buffer.from('backup'));
    expect(fs.readFileSync(file, 'utf8')).toBe('backup');
    // A directory cannot be renamed over by a file: the write fails and leaves the directory alone.
    const blocked = path.join(dir, 'blocked');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'inside'), 'x');
    expect(() => writeFileAtomically(blocked, 'text')).toThrow();
    expect(fs.readdirSync(dir).sort()).toEqual(['blocked', 'config.toml.bak']);
  });

  it('keeps the backup beside the file', () => {
    expect(backupPath('/etc/mpqcht/config.toml')).toBe('/etc/mpqcht/config.toml.bak');
  });

  it('summarises added and removed channels and roles and a renamed server', () => {
    const before = parseCommunityConfig(base, 'config.toml');
    const after = parseCommunityConfig(
      base
        .replace('name = "one"', 'name = "two"')
        .replace('id = "old"\nname = "Old"', 'id = "new"\nname = "New"')
        .replace('id = "lobby"\nname = "lobby"', 'id = "news"\nname = "news"'),
      'config.toml',
    );
    expect(summariseChange(before, after)).toEqual({
      channelsAdded: ['news'],
      channelsRemoved: ['lobby'],
      rolesAdded: ['new'],
      rolesRemoved: ['old'],
      serverRenamed: true,
    });
    expect(summariseChange(before, before)).toEqual({
      channelsAdded: [],
      channelsRemoved: [],
      rolesAdded: [],
      rolesRemoved: [],
      serverRenamed: false,
    });
  });
});
