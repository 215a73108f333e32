import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import { BlockList } from 'node:net';
import * as path from 'node:path';

import type { Envelope, HealthDto } from '@mpqcht/protocol';
import {
  type ApiProcess,
  COTURN_CONFIG,
  type CoturnProcess,
  defaultConfig,
  runApi,
  startApi,
  startCoturn,
  tempDir,
} from '@mpqcht/test-harness';
import { turnCredentials } from '@mpqcht/turn';

import { connect, ok } from './support/client';
import { newIdentity } from './support/identity';

/**
 * TURN for voice (issue 15): the credentials the api makes (`turnCredentials`, the function its
 * `IceServers` calls) against a real coturn, Debian's `turnserver`, run with the repository's
 * coturn/turnserver.conf, the file docker-compose.yml deploys; and `/api/health` of a real api
 * with and without TURN. `.ci/run` installs coturn.
 */

const SECRET = 'e2e0turn0secret0b7c6d5e4f3a2b1c0d9e8f7a6';
const MEMBER = '02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc';
const root = path.join(__dirname, '../../..');

/** coturn's `key=value` and flag lines, comments left out. */
function coturnSettings(text: string): { key: string; value: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? { key: line, value: '' } : { key: line.slice(0, at), value: line.slice(at + 1) };
    });
}

describe('coturn/turnserver.conf, the deployed configuration', () => {
  const settings = coturnSettings(fs.readFileSync(COTURN_CONFIG, 'utf8'));
  const keys = settings.map((s) => s.key);
  // One list per family, as coturn matches them: Node's BlockList would also match an IPv4 address
  // against the IPv4-mapped IPv6 range, which coturn does not.
  const denied = { ipv4: new BlockList(), ipv6: new BlockList() };
  for (const { value } of settings.filter((s) => s.key === 'denied-peer-ip')) {
    const [start = '', end] = value.split('-');
    const family = start.includes(':') ? 'ipv6' : 'ipv4';
    if (end === undefined) denied[family].addAddress(start, family);
    else denied[family].addRange(start, end, family);
  }
  const isDenied = (address: string) => {
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    return denied[family].check(address, family);
  };

  // Each range coturn's advisories name, by its first and last address (every entry is one range).
  it.each([
    ['0.0.0.0/8 (0.0.0.0 reaches loopback)', '0.0.0.0', '0.255.255.255'],
    ['127.0.0.0/8', '127.0.0.0', '127.255.255.255'],
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['172.16.0.0/12', '172.16.0.0', '172.31.255.255'],
    ['192.168.0.0/16', '192.168.0.0', '192.168.255.255'],
    ['100.64.0.0/10 (carrier-grade NAT)', '100.64.0.0', '100.127.255.255'],
    ['169.254.0.0/16 (link-local, cloud metadata)', '169.254.0.0', '169.254.255.255'],
    ['224.0.0.0/4 (multicast)', '224.0.0.0', '239.255.255.255'],
    ['::1', '::1', '::1'],
    ['::', '::', '::'],
    ['fc00::/7', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fe80::/10', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['ff00::/8 (multicast)', 'ff00::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', '::ffff:127.0.0.1'],
  ])('denies relaying to %s', (_range, first, last) => {
    expect(isDenied(first)).toBe(true);
    expect(isDenied(last)).toBe(true);
  });

  it('still relays to public addresses', () => {
    for (const address of ['1.1.1.1', '93.184.216.34', '2606:4700::1111'])
      expect(isDenied(address)).toBe(false);
  });

  it.each([
    'use-auth-secret',
    'fingerprint',
    'stale-nonce',
    'no-multicast-peers',
    'no-dynamic-ip-list',
    'no-tcp-relay',
    'user-quota',
    'total-quota',
    'no-cli',
    'no-tlsv1',
    'no-tlsv1_1',
  ])('sets %s', (key) => {
    expect(keys).toContain(key);
  });

  it.each([
    // Per deployment, from .env: never in git.
    'static-auth-secret',
    'realm',
    // Test-only exceptions (startCoturn adds them) and ways around the REST credentials.
    'allow-loopback-peers',
    'allowed-peer-ip',
    'server-relay',
    'no-auth',
    'lt-cred-mech',
    'cli-password',
  ])('leaves %s out', (key) => {
    expect(keys).not.toContain(key);
  });

  it('is the file docker-compose.yml gives its coturn service, with the secret from .env', () => {
    const compose = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('./coturn/turnserver.conf:/etc/coturn/turnserver.conf:ro');
    expect(compose).toMatch(/TURN_SECRET: \$\{TURN_SECRET:\?/);
  });
});

describe('a real coturn, given credentials made by turnCredentials', () => {
  let coturn: CoturnProcess;

  beforeAll(async () => {
    coturn = await startCoturn({ secret: SECRET });
  });

  afterAll(async () => {
    await coturn.stop();
  });

  const fresh = () => turnCredentials({ secret: SECRET, memberId: MEMBER, ttlSeconds: 600, now: new Date() });

  it('accepts fresh ones: two clients allocate relays and exchange messages through them', async () => {
    const result = await coturn.relay(fresh());
    expect(result.exitCode).toBe(0);
    expect(result.sent).toBeGreaterThan(0);
    expect(result.received).toBe(result.sent);
  });

  it('refuses expired ones', async () => {
    const expired = turnCredentials({
      secret: SECRET,
      memberId: MEMBER,
      ttlSeconds: 600,
      now: new Date(Date.now() - 3600_000),
    });
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    const result = await coturn.relay(expired);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Cannot complete Allocation');
    expect(result.received).toBe(0);
  });

  it('refuses ones made with another secret', async () => {
    const forged = turnCredentials({
      secret: 'not0the0shared0secret0at0all',
      memberId: MEMBER,
      ttlSeconds: 600,
      now: new Date(),
    });
    const result = await coturn.relay(forged);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Cannot complete Allocation');
  });

  it('refuses a username whose expiry was pushed back (the HMAC covers it)', async () => {
    const { username, credential } = fresh();
    const [expiry = '', member = ''] = username.split(':');
    const result = await coturn.relay({ username: `${Number(expiry) + 86400}:${member}`, credential });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('Cannot complete Allocation');
  });

  it('will not relay into a denied range: 127.0.0.2 is refused (only 127.0.0.1 is the test’s exception)', async () => {
    const result = await coturn.relay(fresh(), '127.0.0.2');
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('403 (Forbidden IP)');
  });
});

describe('/api/health and TURN', () => {
  const apis: ApiProcess[] = [];

  afterAll(async () => {
    for (const api of apis) await api.dispose();
  });

  async function health(api: ApiProcess): Promise<{ status: number; body: Envelope<HealthDto> }> {
    const response = await fetch(`${api.url}/api/health`);
    return { status: response.status, body: (await response.json()) as Envelope<HealthDto> };
  }

  it('says turn "off" without TURN settings', async () => {
    const api = await startApi({ configToml: defaultConfig() });
    apis.push(api);
    expect(await health(api)).toMatchObject({ status: 200, body: { ok: true, data: { turn: 'off' } } });
  });

  it('says turn "on" with them, and tells neither the secret nor the relays', async () => {
    const urls = 'stun:turn.mpqcht.test:3478,turn:turn.mpqcht.test:3478?transport=udp';
    const api = await startApi({
      configToml: defaultConfig(),
      env: { TURN_SECRET: SECRET, TURN_URLS: urls },
    });
    apis.push(api);
    const { status, body } = await health(api);
    expect({ status, body }).toMatchObject({ status: 200, body: { ok: true, data: { turn: 'on' } } });
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(JSON.stringify(body)).not.toContain('turn.mpqcht.test');
    expect(api.output()).not.toContain(SECRET);
  });

  it.each([
    ['a relay URL without a secret', { TURN_URLS: 'turn:turn.mpqcht.test' }, 'TURN_SECRET: required'],
    ['a secret without a relay URL', { TURN_SECRET: SECRET }, 'TURN_URLS: must list a turn:'],
    [
      'a malformed URL',
      { TURN_SECRET: SECRET, TURN_URLS: 'turn:turn.mpqcht.test:99999' },
      'port 99999 is not 1-65535',
    ],
  ])('refuses to start with %s, naming the variable and not the secret', async (_what, env, message) => {
    const dir = tempDir();
    try {
      const child = runApi(path.join(dir, 'config.toml'), { PORT: '0', DATA_DIR: dir, ...env });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output).toContain('mpqcht: cannot start.');
      expect(output).toContain(message);
      expect(output).not.toContain(SECRET);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('voice.join hands out TURN credentials that the real coturn accepts', () => {
  let coturn: CoturnProcess;
  let api: ApiProcess;

  beforeAll(async () => {
    coturn = await startCoturn({ secret: SECRET });
    const root = await newIdentity();
    api = await startApi({
      configToml: defaultConfig(
        [root.publicKey.hex],
        '\n[[channels]]\nid = "hangout"\nname = "Hangout"\ngroup = "general"\nkind = "voice"\n',
      ),
      env: { TURN_SECRET: SECRET, TURN_URLS: `stun:127.0.0.1:${coturn.port},${coturn.turnUrl}` },
    });
    rootKey = root;
  });

  let rootKey: Awaited<ReturnType<typeof newIdentity>>;

  afterAll(async () => {
    await api.dispose();
    await coturn.stop();
  });

  it('in coturn’s REST form for the joining member, fresh at each join, and they relay', async () => {
    const socket = await connect(api, rootKey);
    try {
      await ok(socket, 'member.join', { displayName: 'Root' });
      const before = Math.floor(Date.now() / 1000);
      const joined = await ok(socket, 'voice.join', { channelId: 'hangout' });
      const [stun, turn] = joined.ice.iceServers;
      expect(stun).toEqual({ urls: [`stun:127.0.0.1:${coturn.port}`] });
      expect(turn?.urls).toEqual([coturn.turnUrl]);
      const [expiry = '', member = ''] = (turn?.username ?? '').split(':');
      expect(member).toBe(rootKey.publicKey.hex);
      // Six hours by default (TURN_TTL_SECONDS), from the join.
      expect(Number(expiry) - before).toBeGreaterThanOrEqual(6 * 3600);
      expect(Number(expiry) - before).toBeLessThanOrEqual(6 * 3600 + 5);
      expect(new Date(joined.ice.expiresAt ?? '').getTime()).toBe(Number(expiry) * 1000);
      // coturn's formula, recomputed here: base64(HMAC-SHA1(secret, username)).
      expect(turn?.credential).toBe(
        createHmac('sha1', SECRET)
          .update(turn?.username ?? '')
          .digest('base64'),
      );

      const result = await coturn.relay({
        username: turn?.username ?? '',
        credential: turn?.credential ?? '',
      });
      expect(result.exitCode).toBe(0);
      expect(result.received).toBe(result.sent);
      expect(result.sent).toBeGreaterThan(0);
      expect(api.output()).not.toContain(SECRET);
    } finally {
      socket.close();
    }
  });
});
