import { turnCredentials } from './turn-credentials';

const KEY = '02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc';

describe('turnCredentials', () => {
  it('matches coturn’s formula on a vector computed outside Node', () => {
    // 2026-01-01T00:00:00Z + 6 h = 1767247200. The credential was computed with OpenSSL:
    //   printf '%s' '1767247200:02a1633c...51b5dc' \
    //     | openssl dgst -sha1 -hmac 'north-wind-shared-secret' -binary | base64
    expect(
      turnCredentials({
        secret: 'north-wind-shared-secret',
        memberId: KEY,
        ttlSeconds: 6 * 3600,
        now: new Date('2026-01-01T00:00:00Z'),
      }),
    ).toEqual({
      username: `1767247200:${KEY}`,
      credential: 'UQg0E67h6l3kDWTALkovcKw3dLA=',
      expiresAt: new Date('2026-01-01T06:00:00Z'),
    });
  });

  it('counts the expiry from the whole second of now', () => {
    const { username, expiresAt } = turnCredentials({
      secret: 's',
      memberId: 'm',
      ttlSeconds: 60,
      now: new Date('2026-01-01T00:00:00.999Z'),
    });
    expect(username).toBe('1767225660:m');
    expect(expiresAt.toISOString()).toBe('2026-01-01T00:01:00.000Z');
  });

  it('gives different credentials for another secret, member or time', () => {
    const base = { secret: 'a-secret', memberId: 'm', ttlSeconds: 3600, now: new Date(0) };
    const credential = turnCredentials(base).credential;
    expect(turnCredentials({ ...base, secret: 'b-secret' }).credential).not.toBe(credential);
    expect(turnCredentials({ ...base, memberId: 'n' }).credential).not.toBe(credential);
    expect(turnCredentials({ ...base, now: new Date(1000) }).credential).not.toBe(credential);
  });

  it.each([
    ['an empty secret', { secret: '' }],
    ['an empty member id', { memberId: '' }],
    ['a member id with coturn’s separator', { memberId: 'a:b' }],
    ['a zero TTL', { ttlSeconds: 0 }],
    ['a fractional TTL', { ttlSeconds: 1.5 }],
    ['an invalid date', { now: new Date(Number.NaN) }],
  ])('refuses %s', (_what, change) => {
    const input = { secret: 's', memberId: 'm', ttlSeconds: 60, now: new Date(0), ...change };
    expect(() => turnCredentials(input)).toThrow(RangeError);
  });
});
