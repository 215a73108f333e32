import { parseCommunityConfig } from './load-community-config';

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
