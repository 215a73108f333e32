import { createHmac } from 'node:crypto';
import { Logger } from '@nestjs/common';

import { AppConfig } from '../config/app-config';
import { loadEnv } from '../config/env';
import { parseCommunityConfig } from '../config/load-community-config';
import { IceServers } from './ice-servers';

const SECRET = '5c1e8a0f3b7d42e69a1c0b8d7e6f5a4b3c2d1e0f';
const MEMBER = '02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc';
const NOW = new Date('2026-03-01T12:00:00.250Z');
const COMMUNITY = `
[server]
name = "voice"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

function iceServers(env: Record<string, string>): IceServers {
  return new IceServers(new AppConfig(loadEnv(env), parseCommunityConfig(COMMUNITY, 'config.toml')));
}

/** What Nest's Logger printed while `run` ran. */
function logged(run: () => void): string {
  const lines: string[] = [];
  const spy = jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
    lines.push(String(message));
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('IceServers', () => {
  describe('with TURN', () => {
    const ice = iceServers({
      TURN_SECRET: SECRET,
      TURN_URLS:
        'stun:turn.example.org:3478,turn:turn.example.org:3478?transport=udp,turns:turn.example.org:5349',
      TURN_TTL_SECONDS: '7200',
    });

    it('gives the STUN URLs as they are and the relays with credentials coturn will accept', () => {
      const answer = ice.iceServersFor(MEMBER, NOW);
      const expiry = Math.floor(NOW.getTime() / 1000) + 7200;
      // coturn's check, written out: the HMAC-SHA1 of the username under the shared secret.
      const expected = createHmac('sha1', SECRET).update(`${expiry}:${MEMBER}`).digest('base64');
      expect(answer).toEqual({
        iceServers: [
          { urls: ['stun:turn.example.org:3478'] },
          {
            urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
            username: `${expiry}:${MEMBER}`,
            credential: expected,
          },
        ],
        expiresAt: '2026-03-01T14:00:00.000Z',
      });
      expect(ice.turnEnabled).toBe(true);
    });

    it('makes them fresh for each call and each member', () => {
      const first = ice.iceServersFor(MEMBER, NOW).iceServers[1];
      const later = ice.iceServersFor(MEMBER, new Date(NOW.getTime() + 1000)).iceServers[1];
      const other = ice.iceServersFor(`03${MEMBER.slice(2)}`, NOW).iceServers[1];
      expect(later?.credential).not.toBe(first?.credential);
      expect(other?.credential).not.toBe(first?.credential);
    });

    it('does not hand out the configured URL arrays themselves', () => {
      const answer = ice.iceServersFor(MEMBER, NOW);
      answer.iceServers.forEach((server) => server.urls.push('turn:evil.example'));
      expect(ice.iceServersFor(MEMBER, NOW).iceServers.flatMap((s) => s.urls)).not.toContain(
        'turn:evil.example',
      );
    });

    it('never puts the secret in an answer or the log', () => {
      expect(JSON.stringify(ice.iceServersFor(MEMBER, NOW))).not.toContain(SECRET);
      const log = logged(() => {
        ice.onModuleInit();
      });
      expect(log).toContain('TURN on: turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349');
      expect(log).toContain('2 h');
      expect(log).not.toContain(SECRET);
    });
  });

  describe('without TURN', () => {
    it('gives the STUN URLs only, with no credentials and no expiry', () => {
      const ice = iceServers({ TURN_URLS: 'stun:stun.example.org:3478' });
      expect(ice.turnEnabled).toBe(false);
      expect(ice.iceServersFor(MEMBER, NOW)).toEqual({
        iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
        expiresAt: null,
      });
      expect(
        logged(() => {
          ice.onModuleInit();
        }),
      ).toContain('TURN off');
    });

    it('gives no servers at all when nothing is configured (host candidates only)', () => {
      const ice = iceServers({});
      expect(ice.turnEnabled).toBe(false);
      expect(ice.iceServersFor(MEMBER, NOW)).toEqual({ iceServers: [], expiresAt: null });
    });
  });
});
