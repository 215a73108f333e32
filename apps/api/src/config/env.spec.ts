import * as path from 'node:path';

import { EnvError, loadEnv } from './env';

/** The error loadEnv throws for this environment (fails the test if it does not throw). */
function envError(source: Record<string, string | undefined>): EnvError {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('loadEnv accepted the environment');
}

/** The variable names an EnvError reports, one per `  NAME: problem` line. */
function named(error: EnvError): string[] {
  return [...error.message.matchAll(/^ {2}([A-Z_]+): /gm)].map((m) => m[1] ?? '');
}

describe('loadEnv', () => {
  it('applies the defaults to an empty environment', () => {
    expect(loadEnv({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicOrigin: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: path.resolve('data'),
      configPath: path.resolve('config.toml'),
      logLevel: 'log',
      redisUrl: undefined,
      redisKeyPrefix: 'mpqcht:rl:',
      socketBacklogBytes: 4194304,
      stunUrls: [],
      turn: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      loadEnv({
        PORT: '8080',
        HOST: '0.0.0.0',
        PUBLIC_ORIGIN: 'https://chat.example.org',
        DATABASE_URL: 'postgres://mpqcht:secret@db.internal:5432/mpqcht',
        DATA_DIR: '/var/lib/mpqcht',
        CONFIG_PATH: '/etc/mpqcht/config.toml',
        LOG_LEVEL: 'debug',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        REDIS_KEY_PREFIX: 'chat1:',
        SOCKET_BACKLOG_BYTES: '1048576',
        TURN_SECRET: 'a'.repeat(64),
        TURN_URLS: 'stun:turn.example.org,turn:turn.example.org:3478?transport=udp',
        TURN_TTL_SECONDS: '3600',
      }),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      publicOrigin: 'https://chat.example.org',
      databaseUrl: 'postgres://mpqcht:secret@db.internal:5432/mpqcht',
      dataDir: '/var/lib/mpqcht',
      configPath: '/etc/mpqcht/config.toml',
      logLevel: 'debug',
      redisUrl: 'redis://127.0.0.1:6379/2',
      redisKeyPrefix: 'chat1:',
      socketBacklogBytes: 1048576,
      stunUrls: ['stun:turn.example.org'],
      turn: {
        urls: ['turn:turn.example.org:3478?transport=udp'],
        secret: 'a'.repeat(64),
        ttlSeconds: 3600,
      },
    });
  });

  it('refuses a REDIS_URL that is not redis:// and a bad key prefix', () => {
    expect(named(envError({ REDIS_URL: 'http://127.0.0.1:6379' }))).toEqual(['REDIS_URL']);
    expect(named(envError({ REDIS_KEY_PREFIX: 'has space' }))).toEqual(['REDIS_KEY_PREFIX']);
  });

  it.each(['65535', '1e', '-1', '1048576.5'])('names SOCKET_BACKLOG_BYTES=%s', (value) => {
    expect(named(envError({ SOCKET_BACKLOG_BYTES: value }))).toEqual(['SOCKET_BACKLOG_BYTES']);
  });

  it('ignores variables it does not own', () => {
    expect(loadEnv({ PATH: '/usr/bin', PGPORT: 'not a port', NODE_ENV: 'production' })).toEqual(loadEnv({}));
  });

  it('derives the default PUBLIC_ORIGIN from PORT', () => {
    expect(loadEnv({ PORT: '8080' }).publicOrigin).toBe('http://localhost:8080');
    expect(loadEnv({ PORT: '8080', PUBLIC_ORIGIN: 'https://chat.example.org' }).publicOrigin).toBe(
      'https://chat.example.org',
    );
  });

  it('accepts port 0 (any free port) and origins with a non-default port', () => {
    expect(loadEnv({ PORT: '0' }).port).toBe(0);
    expect(loadEnv({ PORT: '65535' }).port).toBe(65535);
    expect(loadEnv({ PUBLIC_ORIGIN: 'http://localhost:4200' }).publicOrigin).toBe('http://localhost:4200');
  });

  it('accepts both postgres URL schemes', () => {
    expect(loadEnv({ DATABASE_URL: 'postgresql://u@h/d' }).databaseUrl).toBe('postgresql://u@h/d');
    expect(loadEnv({ DATABASE_URL: 'postgres://u@h/d' }).databaseUrl).toBe('postgres://u@h/d');
  });

  it.each(['error', 'warn', 'log', 'debug', 'verbose'] as const)('accepts LOG_LEVEL=%s', (level) => {
    expect(loadEnv({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each(['abc', '-1', '65536', '80.5'])('names PORT=%s', (value) => {
    const error = envError({ PORT: value });
    expect(named(error)).toEqual(['PORT']);
  });

  it.each([
    ['a path', 'https://chat.example.org/app'],
    ['a trailing slash', 'https://chat.example.org/'],
    ['a query', 'https://chat.example.org?x=1'],
    ['another scheme', 'ftp://chat.example.org'],
    ['no scheme', 'chat.example.org'],
    ['user info', 'https://user@chat.example.org'],
  ])('names PUBLIC_ORIGIN with %s', (_what, value) => {
    const error = envError({ PUBLIC_ORIGIN: value });
    expect(named(error)).toEqual(['PUBLIC_ORIGIN']);
    expect(error.message).toContain('must be an origin');
  });

  it.each([
    ['an upper-case host', 'https://Chat.Example.org', 'https://chat.example.org'],
    ['an upper-case scheme', 'HTTPS://chat.example.org', 'https://chat.example.org'],
    ['the default https port', 'https://chat.example.org:443', 'https://chat.example.org'],
    ['the default http port', 'http://localhost:80', 'http://localhost'],
    ['an international name not in punycode', 'https://bücher.example', 'https://xn--bcher-kva.example'],
    ['a trailing slash', 'https://chat.example.org/', 'https://chat.example.org'],
  ])('refuses PUBLIC_ORIGIN with %s and names the form to write', (_what, value, canonical) => {
    const error = envError({ PUBLIC_ORIGIN: value });
    expect(named(error)).toEqual(['PUBLIC_ORIGIN']);
    expect(error.message).toContain(`must be an origin`);
    expect(error.message).toContain(`(write it as ${canonical})`);
  });

  it.each([
    'https://xn--bcher-kva.example',
    'https://chat.example.org:8443',
    'http://[::1]:3000',
    'http://127.0.0.1',
  ])('keeps PUBLIC_ORIGIN=%s byte for byte (already in its canonical form)', (value) => {
    expect(loadEnv({ PUBLIC_ORIGIN: value }).publicOrigin).toBe(value);
  });

  it.each([
    ['another scheme', 'mysql://u@h/d'],
    ['not a URL', 'host=localhost dbname=mpqcht'],
  ])('names DATABASE_URL with %s', (_what, value) => {
    const error = envError({ DATABASE_URL: value });
    expect(named(error)).toEqual(['DATABASE_URL']);
    expect(error.message).toContain('must be a postgres:// URL');
  });

  it('names LOG_LEVEL outside the known levels', () => {
    expect(named(envError({ LOG_LEVEL: 'loud' }))).toEqual(['LOG_LEVEL']);
    expect(named(envError({ LOG_LEVEL: 'LOG' }))).toEqual(['LOG_LEVEL']);
  });

  it('names every bad variable at once', () => {
    const error = envError({ PORT: 'abc', PUBLIC_ORIGIN: 'https://x.org/', LOG_LEVEL: 'loud', HOST: 'ok' });
    expect(error.message).toMatch(/^Invalid environment:\n/);
    expect(named(error).sort()).toEqual(['LOG_LEVEL', 'PORT', 'PUBLIC_ORIGIN']);
  });

  it('resolves relative DATA_DIR and CONFIG_PATH against the working directory', () => {
    const env = loadEnv({ DATA_DIR: 'var/data', CONFIG_PATH: './conf/../config.toml' });
    expect(env.dataDir).toBe(path.join(process.cwd(), 'var', 'data'));
    expect(env.configPath).toBe(path.join(process.cwd(), 'config.toml'));
    expect(path.isAbsolute(env.dataDir)).toBe(true);
    expect(path.isAbsolute(env.configPath)).toBe(true);
  });

  it('keeps absolute DATA_DIR and CONFIG_PATH, normalised', () => {
    const env = loadEnv({ DATA_DIR: '/srv/mpqcht/data/', CONFIG_PATH: '/etc/mpqcht//config.toml' });
    expect(env.dataDir).toBe('/srv/mpqcht/data');
    expect(env.configPath).toBe('/etc/mpqcht/config.toml');
  });

  it('treats empty and undefined variables as unset', () => {
    const empty = {
      PORT: '',
      HOST: '',
      PUBLIC_ORIGIN: '',
      DATABASE_URL: '',
      DATA_DIR: '',
      CONFIG_PATH: '',
      LOG_LEVEL: '',
    };
    expect(loadEnv(empty)).toEqual(loadEnv({}));
    // An empty DATABASE_URL (as `DATABASE_URL=` in a .env file) means: run the embedded database.
    expect(loadEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadEnv({ PORT: undefined, DATA_DIR: undefined })).toEqual(loadEnv({}));
    // The default origin follows PORT even when PUBLIC_ORIGIN is present but empty.
    expect(loadEnv({ PORT: '4000', PUBLIC_ORIGIN: '' }).publicOrigin).toBe('http://localhost:4000');
  });

  describe('TURN', () => {
    const SECRET = '3f9c0a3b6d1e4f2a8b7c6d5e4f3a2b1c';

    it('splits TURN_URLS into stun: URLs for everyone and turn:/turns: URLs with the secret', () => {
      const env = loadEnv({
        TURN_SECRET: SECRET,
        TURN_URLS:
          ' turn:turn.example.org:3478?transport=udp , stun:turn.example.org:3478,turns:turn.example.org:5349?transport=tcp,turn:[2001:db8::1]',
      });
      expect(env.stunUrls).toEqual(['stun:turn.example.org:3478']);
      expect(env.turn).toEqual({
        urls: [
          'turn:turn.example.org:3478?transport=udp',
          'turns:turn.example.org:5349?transport=tcp',
          'turn:[2001:db8::1]',
        ],
        secret: SECRET,
        ttlSeconds: 21600,
      });
    });

    it('runs without TURN, and with STUN only, with no secret', () => {
      expect(loadEnv({}).turn).toBeUndefined();
      const stunOnly = loadEnv({ TURN_URLS: 'stun:203.0.113.7:3478' });
      expect(stunOnly.turn).toBeUndefined();
      expect(stunOnly.stunUrls).toEqual(['stun:203.0.113.7:3478']);
    });

    it('names TURN_SECRET when TURN_URLS lists a relay but no secret is set', () => {
      const error = envError({ TURN_URLS: 'stun:a.example,turns:a.example:5349' });
      expect(named(error)).toEqual(['TURN_SECRET']);
      expect(error.message).toContain('required when TURN_URLS lists a turn: or turns: URL');
    });

    it.each([
      ['unset', {}],
      ['only STUN', { TURN_URLS: 'stun:a.example' }],
    ])('names TURN_URLS when TURN_SECRET is set and TURN_URLS has %s', (_what, urls) => {
      const error = envError({ TURN_SECRET: SECRET, ...urls });
      expect(named(error)).toEqual(['TURN_URLS']);
      expect(error.message).toContain('must list a turn: or turns: URL when TURN_SECRET is set');
    });

    it.each([
      ['another scheme', 'http://turn.example.org:3478', 'is not a stun:, turn: or turns: URL'],
      [
        'stuns:, which browsers do not speak',
        'stuns:turn.example.org',
        'is not a stun:, turn: or turns: URL',
      ],
      ['a path', 'turn:turn.example.org:3478/x', 'is not a stun:, turn: or turns: URL'],
      ['slashes', 'turn://turn.example.org', 'is not a host name or an IP address'],
      ['user info', 'turn:user@turn.example.org', 'is not a host name or an IP address'],
      ['a port out of range', 'turn:turn.example.org:65536', 'port 65536 is not 1-65535'],
      ['port 0', 'turn:turn.example.org:0', 'port 0 is not 1-65535'],
      ['an unknown transport', 'turn:turn.example.org?transport=sctp', 'is not a stun:, turn: or turns: URL'],
      ['a transport on stun:', 'stun:turn.example.org?transport=udp', '?transport is for turn: URLs only'],
      ['a bad IPv6 literal', 'turn:[2001:db8::zz]:3478', 'is not a host name or an IP address'],
      ['a host ending in a dot-dash', 'turn:turn-.example.org', 'is not a host name or an IP address'],
      ['an empty entry', 'turn:turn.example.org,,stun:turn.example.org', 'an empty entry'],
    ])('names TURN_URLS with %s', (_what, value, problem) => {
      const error = envError({ TURN_SECRET: SECRET, TURN_URLS: value });
      expect(named(error)).toContain('TURN_URLS');
      expect(error.message).toContain(problem);
    });

    it('names every bad URL of TURN_URLS', () => {
      const error = envError({ TURN_SECRET: SECRET, TURN_URLS: 'turn:ok.example,ftp:a,turn:b:99999' });
      expect(error.message).toContain('"ftp:a"');
      expect(error.message).toContain('"turn:b:99999"');
      expect(error.message).not.toContain('"turn:ok.example"');
    });

    it.each([
      ['too short', 'abcdef0123456'],
      ['with a space', 'abcdef0123456789 abcdef'],
      ['with a dollar sign (compose would interpolate it)', 'abcdef0123456789$abcdef'],
      ['with a hash (coturn’s config comment)', 'abcdef0123456789#abcdef'],
    ])('names TURN_SECRET %s, without repeating it', (_what, secret) => {
      const error = envError({ TURN_SECRET: secret, TURN_URLS: 'turn:turn.example.org' });
      expect(named(error)).toEqual(['TURN_SECRET']);
      expect(error.message).toContain('openssl rand -hex 32');
      expect(error.message).not.toContain(secret);
    });

    it('never repeats the secret in an error about another variable', () => {
      const error = envError({ TURN_SECRET: SECRET, TURN_URLS: 'turn:x.example', TURN_TTL_SECONDS: '5' });
      expect(named(error)).toEqual(['TURN_TTL_SECONDS']);
      expect(error.message).not.toContain(SECRET);
    });

    it.each(['599', '86401', '3600.5', 'six hours'])('names TURN_TTL_SECONDS=%s', (value) => {
      expect(named(envError({ TURN_TTL_SECONDS: value }))).toEqual(['TURN_TTL_SECONDS']);
    });

    it('reads TURN_TTL_SECONDS at both ends of its range', () => {
      const base = { TURN_SECRET: SECRET, TURN_URLS: 'turn:x.example' };
      expect(loadEnv({ ...base, TURN_TTL_SECONDS: '600' }).turn?.ttlSeconds).toBe(600);
      expect(loadEnv({ ...base, TURN_TTL_SECONDS: '86400' }).turn?.ttlSeconds).toBe(86400);
    });
  });
});
