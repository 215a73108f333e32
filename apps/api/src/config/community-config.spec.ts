import * as path from 'node:path';

import { can, DEFAULT_CHANNEL_FLAGS, resolvePermissions, visibleChannels } from '@mpqcht/permissions';

import { loadCommunityConfig, parseCommunityConfig } from './load-community-config';

const G = '036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296';
const G_UNCOMPRESSED =
  '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';

const base = `
[server]
name = "Test"
root_keys = ["${G_UNCOMPRESSED}"]

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

describe('config.toml validation', () => {
  it('parses a valid file, canonicalises root keys and applies defaults', () => {
    const config = parseCommunityConfig(base, 'config.toml');
    expect([...config.rootKeys]).toEqual([G]);
    expect(config.maxMessageLength).toBe(4000);
    expect(config.channelsById.get('lobby')).toEqual({
      id: 'lobby',
      name: 'lobby',
      groupId: 'general',
      topic: '',
      voice: null,
      threadArchiveAfterMs: 3 * 24 * 60 * 60 * 1000,
    });
  });

  it('names the key path of a channel in an unknown group', () => {
    const text = base + '\n[[channels]]\nid = "x"\nname = "x"\ngroup = "nope"\n';
    expect(() => parseCommunityConfig(text, 'config.toml')).toThrow(
      'config.toml: channels[1].group: unknown group "nope"',
    );
  });

  it('names an unknown key', () => {
    expect(() =>
      parseCommunityConfig(base.replace('name = "Test"', 'name = "Test"\nnmae = 1'), 'config.toml'),
    ).toThrow(/config\.toml: server: unknown key\(s\) "nmae"/);
  });

  it('rejects an invalid root key with its index', () => {
    expect(() =>
      parseCommunityConfig(base.replace(G_UNCOMPRESSED, '02' + 'ff'.repeat(32)), 'config.toml'),
    ).toThrow(/config\.toml: server\.root_keys\[0\]: public key is not a point on the P-256 curve/);
  });

  it('reports a TOML syntax error with line and column', () => {
    expect(() => parseCommunityConfig('[server\nname = 1', 'config.toml')).toThrow(
      /config\.toml: syntax error at line 1/,
    );
  });
});

describe('voice channels', () => {
  const voice = (extra: string) =>
    base + `\n[[channels]]\nid = "hangout"\nname = "Hangout"\ngroup = "general"\nkind = "voice"\n${extra}`;

  it('defaults to 8 participants at 64 kbit/s, and text channels have no voice settings', () => {
    const config = parseCommunityConfig(voice(''), 'config.toml');
    expect(config.channelsById.get('hangout')?.voice).toEqual({ maxParticipants: 8, bitrate: 64_000 });
    expect(config.channelsById.get('lobby')?.voice).toBeNull();
  });

  it('takes max_participants and bitrate within their ranges', () => {
    const config = parseCommunityConfig(voice('max_participants = 4\nbitrate = 32000\n'), 'config.toml');
    expect(config.channelsById.get('hangout')?.voice).toEqual({ maxParticipants: 4, bitrate: 32_000 });
  });

  it.each([
    ['max_participants = 1\n', 'channels[1].max_participants'],
    ['max_participants = 17\n', 'channels[1].max_participants'],
    ['max_participants = 2.5\n', 'channels[1].max_participants'],
    ['bitrate = 5000\n', 'channels[1].bitrate'],
    ['bitrate = 600000\n', 'channels[1].bitrate'],
  ])('refuses %j, naming %s', (extra, where) => {
    expect(() => parseCommunityConfig(voice(extra), 'config.toml')).toThrow(`config.toml: ${where}: `);
  });

  it('refuses an unknown kind, and voice settings on a text channel', () => {
    expect(() =>
      parseCommunityConfig(voice('').replace('kind = "voice"', 'kind = "video"'), 'config.toml'),
    ).toThrow(/config\.toml: channels\[1\]\.kind: /);
    expect(() =>
      parseCommunityConfig(voice('').replace('kind = "voice"', 'max_participants = 4'), 'config.toml'),
    ).toThrow(
      'config.toml: channels[1].max_participants: only a voice channel has max_participants (add kind = "voice")',
    );
  });
});

describe('thread_archive_after', () => {
  const withArchive = (group: string, channel: string) =>
    base
      .replace('name = "General"\n', `name = "General"\n${group}`)
      .replace('group = "general"\n', `group = "general"\n${channel}`) +
    '\n[[channels]]\nid = "other"\nname = "other"\ngroup = "general"\n';

  it('is 3 days unless the channel or its group says otherwise; the channel wins', () => {
    const days3 = 3 * 24 * 60 * 60 * 1000;
    const plain = parseCommunityConfig(withArchive('', ''), 'config.toml');
    expect(plain.channelsById.get('lobby')?.threadArchiveAfterMs).toBe(days3);
    const grouped = parseCommunityConfig(withArchive('thread_archive_after = "12h"\n', ''), 'config.toml');
    expect(grouped.channelsById.get('lobby')?.threadArchiveAfterMs).toBe(12 * 3_600_000);
    expect(grouped.channelsById.get('other')?.threadArchiveAfterMs).toBe(12 * 3_600_000);
    const both = parseCommunityConfig(
      withArchive('thread_archive_after = "12h"\n', 'thread_archive_after = "90s"\n'),
      'config.toml',
    );
    expect(both.channelsById.get('lobby')?.threadArchiveAfterMs).toBe(90_000);
    expect(both.channelsById.get('other')?.threadArchiveAfterMs).toBe(12 * 3_600_000);
    expect(
      parseCommunityConfig(withArchive('', 'thread_archive_after = "7d"\n'), 'config.toml').channelsById.get(
        'lobby',
      )?.threadArchiveAfterMs,
    ).toBe(7 * 86_400_000);
  });

  it.each(['"0s"', '"3"', '"3 days"', '"1.5h"', '"366d"', '3'])('refuses %s, naming the key', (value) => {
    expect(() =>
      parseCommunityConfig(withArchive('', `thread_archive_after = ${value}\n`), 'config.toml'),
    ).toThrow('config.toml: channels[0].thread_archive_after: ');
  });
});

describe('[web] allowed_origins', () => {
  it('defaults to any origin', () => {
    expect(parseCommunityConfig(base, 'config.toml').allowedOrigins).toEqual(['*']);
  });

  it('normalises listed origins and rejects what is not an http(s) URL', () => {
    const listed = parseCommunityConfig(
      `${base}\n[web]\nallowed_origins = ["https://Chat.Example.org/"]\n`,
      'config.toml',
    );
    expect(listed.allowedOrigins).toEqual(['https://chat.example.org']);
    expect(() =>
      parseCommunityConfig(`${base}\n[web]\nallowed_origins = ["ftp://x"]\n`, 'config.toml'),
    ).toThrow(/config\.toml: web\.allowed_origins\[0\]/);
  });
});

describe('permissions in config.toml', () => {
  const roles = `
[[roles]]
id = "moderator"
name = "Moderator"
color = "#e67e22"
position = 20
permissions = ["moderate", "kick", "ban"]
limits = { max_message_length = 8000, slowmode_ms = 0, burst = 60, rate_per_second = 2.5 }

[[roles]]
id = "muted"
name = "Muted"
`;

  const parse = (text: string) => parseCommunityConfig(text, 'config.toml');
  const fails = (text: string) => () => parse(text);

  it('fills in the defaults: view and write for everyone, [limits] for the numbers, no overrides', () => {
    const config = parse(base);
    expect(config.permissions).toEqual({
      defaults: {
        permissions: {
          view: true,
          write: true,
          moderate: false,
          manage: false,
          create_threads: true,
          manage_threads: false,
          connect: true,
          speak: true,
          video: true,
          screen_share: true,
          mute_members: false,
          move_members: false,
        },
        limits: { maxMessageLength: 4000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
      },
      roles: [],
      groups: [{ id: 'general', overrides: [] }],
      channels: [{ id: 'lobby', group: 'general', overrides: [] }],
    });
  });

  it('normalises every new key into the permission model', () => {
    const config = parse(`
[server]
name = "Test"
default_permissions = { write = false, manage = false }

[limits]
max_message_length = 2000
slowmode_ms = 1500
burst = 12
rate_per_second = 0.5
${roles}
[[groups]]
id = "news"
name = "News"
default_permissions = { view = true, slowmode_ms = 60000 }

[[groups.overrides]]
role = "muted"
deny = ["view"]

[[channels]]
id = "announcements"
name = "announcements"
group = "news"
default_permissions = { max_message_length = 10000 }

[[channels.overrides]]
role = "moderator"
allow = ["write", "manage"]
limits = { slowmode_ms = 0 }

[[channels.overrides]]
role = "muted"
allow = ["view"]
deny = ["write"]
`);
    expect(config.permissions).toEqual({
      defaults: {
        permissions: { ...DEFAULT_CHANNEL_FLAGS, write: false },
        limits: { maxMessageLength: 2000, slowmodeMs: 1500, burst: 12, ratePerSecond: 0.5 },
      },
      roles: [
        {
          id: 'moderator',
          name: 'Moderator',
          color: '#e67e22',
          position: 20,
          permissions: ['moderate', 'kick', 'ban'],
          limits: { max_message_length: 8000, slowmode_ms: 0, burst: 60, rate_per_second: 2.5 },
        },
        { id: 'muted', name: 'Muted', position: 0, permissions: [] },
      ],
      groups: [
        {
          id: 'news',
          default_permissions: { view: true, slowmode_ms: 60000 },
          overrides: [{ role: 'muted', allow: [], deny: ['view'] }],
        },
      ],
      channels: [
        {
          id: 'announcements',
          group: 'news',
          default_permissions: { max_message_length: 10000 },
          overrides: [
            { role: 'moderator', allow: ['write', 'manage'], deny: [], limits: { slowmode_ms: 0 } },
            { role: 'muted', allow: ['view'], deny: ['write'] },
          ],
        },
      ],
    });
    // The existing fields keep their shapes; roles gain their position.
    expect(config.maxMessageLength).toBe(2000);
    expect(config.groups).toEqual([{ id: 'news', name: 'News' }]);
    expect(config.channelsById.get('announcements')).toEqual({
      id: 'announcements',
      name: 'announcements',
      groupId: 'news',
      topic: '',
      voice: null,
      threadArchiveAfterMs: 3 * 24 * 60 * 60 * 1000,
    });
    expect(config.roles.map((r) => [r.id, r.position, r.color])).toEqual([
      ['moderator', 20, '#e67e22'],
      ['muted', 0, undefined],
    ]);
  });

  it('gives a model that @mpqcht/permissions resolves', () => {
    const config = parse(`${base}${roles}
[[channels]]
id = "news"
name = "news"
group = "general"
default_permissions = { write = false }

[[channels.overrides]]
role = "moderator"
allow = ["write"]
`);
    const plain = { isRoot: false, roles: [] };
    const moderator = { isRoot: false, roles: ['moderator'] };
    expect(resolvePermissions(config.permissions, plain, 'news')?.flags).toEqual({
      ...DEFAULT_CHANNEL_FLAGS,
      write: false,
      create_threads: false,
    });
    expect(resolvePermissions(config.permissions, moderator, 'news')?.flags).toEqual({
      ...DEFAULT_CHANNEL_FLAGS,
      moderate: true,
    });
    expect(resolvePermissions(config.permissions, moderator, 'lobby')?.limits).toEqual({
      maxMessageLength: 8000,
      slowmodeMs: 0,
      burst: 60,
      ratePerSecond: 2.5,
    });
  });

  describe('names the key path of every mistake', () => {
    const channel = (extra: string) => `${base}${roles}
[[channels]]
id = "second"
name = "second"
group = "general"
${extra}`;

    it('an override naming an unknown role, in a channel or a group', () => {
      expect(fails(channel('[[channels.overrides]]\nrole = "x"\nallow = ["write"]\n'))).toThrow(
        'config.toml: channels[1].overrides[0].role: unknown role "x"',
      );
      const group = base.replace(
        'name = "General"',
        'name = "General"\n\n[[groups.overrides]]\nrole = "muted"\n\n[[groups.overrides]]\nrole = "ghost"\ndeny = ["view"]\n',
      );
      expect(fails(`${group}${roles}`)).toThrow(
        'config.toml: groups[0].overrides[1].role: unknown role "ghost"',
      );
    });

    it('two overrides for the same role at one level', () => {
      expect(
        fails(
          channel(
            '[[channels.overrides]]\nrole = "muted"\ndeny = ["write"]\n\n[[channels.overrides]]\nrole = "muted"\nallow = ["view"]\n',
          ),
        ),
      ).toThrow('config.toml: channels[1].overrides[1].role: a second override for role "muted"');
    });

    it('a flag both allowed and denied by one override', () => {
      expect(
        fails(
          channel(
            '[[channels.overrides]]\nrole = "muted"\nallow = ["view", "write"]\ndeny = ["write", "manage"]\n',
          ),
        ),
      ).toThrow('config.toml: channels[1].overrides[0].deny: "write" both allowed and denied');
    });

    it('an unknown flag in allow or deny', () => {
      expect(fails(channel('[[channels.overrides]]\nrole = "muted"\ndeny = ["shout"]\n'))).toThrow(
        /config\.toml: channels\[1\]\.overrides\[0\]\.deny\[0\]: .*"view"/,
      );
    });

    it('an unknown key in an override, including connection-wide limits', () => {
      expect(fails(channel('[[channels.overrides]]\nrole = "muted"\nalow = ["view"]\n'))).toThrow(
        'config.toml: channels[1].overrides[0]: unknown key(s) "alow"',
      );
      expect(fails(channel('[[channels.overrides]]\nrole = "muted"\nlimits = { burst = 5 }\n'))).toThrow(
        'config.toml: channels[1].overrides[0].limits: unknown key(s) "burst"',
      );
    });

    it('default_permissions with an unknown key, a non-boolean flag or a per-connection limit', () => {
      expect(fails(channel('default_permissions = { veiw = true }'))).toThrow(
        'config.toml: channels[1].default_permissions: unknown key(s) "veiw"',
      );
      expect(fails(channel('default_permissions = { write = "no" }'))).toThrow(
        /config\.toml: channels\[1\]\.default_permissions\.write: .*boolean/,
      );
      expect(fails(channel('default_permissions = { rate_per_second = 1 }'))).toThrow(
        'config.toml: channels[1].default_permissions: unknown key(s) "rate_per_second"',
      );
    });

    it('[server] default_permissions with a limit (limits belong in [limits])', () => {
      expect(
        fails(
          base.replace(
            'name = "Test"',
            'name = "Test"\ndefault_permissions = { view = true, slowmode_ms = 5 }',
          ),
        ),
      ).toThrow('config.toml: server.default_permissions: unknown key(s) "slowmode_ms"');
    });

    it.each([
      ['limits.slowmode_ms', '[limits]\nslowmode_ms = -1'],
      ['limits.slowmode_ms', '[limits]\nslowmode_ms = 21600001'],
      ['limits.slowmode_ms', '[limits]\nslowmode_ms = 1.5'],
      ['limits.burst', '[limits]\nburst = 0'],
      ['limits.rate_per_second', '[limits]\nrate_per_second = 0'],
      ['limits.rate_per_second', '[limits]\nrate_per_second = 10001'],
      ['limits.max_message_length', '[limits]\nmax_message_length = 16001'],
    ])('%s out of range (%#)', (key, extra) => {
      expect(fails(`${base}\n${extra}\n`)).toThrow(`config.toml: ${key}: `);
    });

    it.each([
      ['position', 'position = -1'],
      ['position', 'position = 1.5'],
      ['permissions[0]', 'permissions = ["fly"]'],
      ['limits.burst', 'limits = { burst = 1.5 }'],
      ['limits.max_message_length', 'limits = { max_message_length = 0 }'],
      ['limits', 'limits = { slowmode = 1 }'],
    ])('[[roles]] %s invalid (%#)', (key, extra) => {
      expect(fails(`${base}\n[[roles]]\nid = "r"\nname = "R"\n${extra}\n`)).toThrow(
        `config.toml: roles[0].${key}: `,
      );
    });

    it('channel limits out of range in default_permissions and overrides', () => {
      expect(fails(channel('default_permissions = { max_message_length = 20000 }'))).toThrow(
        /config\.toml: channels\[1\]\.default_permissions\.max_message_length: /,
      );
      expect(
        fails(channel('[[channels.overrides]]\nrole = "muted"\nlimits = { slowmode_ms = -5 }\n')),
      ).toThrow(/config\.toml: channels\[1\]\.overrides\[0\]\.limits\.slowmode_ms: /);
    });

    it('several override mistakes at once, one line each', () => {
      const text = channel(
        '[[channels.overrides]]\nrole = "x"\n\n[[channels.overrides]]\nrole = "muted"\nallow = ["view"]\ndeny = ["view"]\n',
      );
      expect(fails(text)).toThrow(
        [
          'config.toml: channels[1].overrides[0].role: unknown role "x" (declare it under [[roles]])',
          'config.toml: channels[1].overrides[1].deny: "view" both allowed and denied (deny wins; say one)',
        ].join('\n'),
      );
    });
  });

  it('reports an unknown role together with mistakes elsewhere in the file', () => {
    const text = `${base.replace('name = "lobby"', 'name = "lobby"\nnmae = 1')}\n[[channels.overrides]]\nrole = "x"\n`;
    expect(fails(text)).toThrow(
      'config.toml: channels[0]: unknown key(s) "nmae"\nconfig.toml: channels[0].overrides[0].role: unknown role "x"',
    );
  });

  it('accepts the server permissions kick and ban', () => {
    const config = parse(`${base}\n[[roles]]\nid = "r"\nname = "R"\npermissions = ["kick", "ban"]\n`);
    expect(config.roles[0]?.permissions).toEqual(['kick', 'ban']);
  });
});

describe('the sample config.toml at the repository root', () => {
  const config = loadCommunityConfig(path.join(__dirname, '../../../../config.toml'));
  const plain = { isRoot: false, roles: [] };
  const moderator = { isRoot: false, roles: ['moderator'] };

  it('makes announcements read-only except for moderators and roots', () => {
    expect(can(config.permissions, plain, 'announcements', 'view')).toBe(true);
    expect(can(config.permissions, plain, 'announcements', 'write')).toBe(false);
    expect(can(config.permissions, moderator, 'announcements', 'write')).toBe(true);
    expect(can(config.permissions, { isRoot: true, roles: [] }, 'announcements', 'write')).toBe(true);
  });

  it('lets everyone see and write in the other channels', () => {
    for (const channel of config.channels.filter((c) => c.id !== 'announcements')) {
      expect(can(config.permissions, plain, channel.id, 'write')).toBe(true);
    }
    expect(visibleChannels(config.permissions, plain)).toEqual(config.channels.map((c) => c.id));
  });
});
