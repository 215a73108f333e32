import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { firstValueFrom, isObservable, type Observable, of } from 'rxjs';

import type { RequestEvent } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import type { Actor } from '../policy/channel-policy';
import { recordDecision } from '../policy/request-decision';
import { actor, ROOT, samplePolicy } from '../policy/testing/sample-community';
import { type SocketSession, subjectOf } from '../realtime/socket-session';
import {
  ChallengeRateLimitInterceptor,
  InvitePreviewRateLimitInterceptor,
} from './ip-rate-limit.interceptors';
import { LoginRateLimiter } from './login-rate-limiter';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { type RateLimitStore, RateLimitStoreUnavailable } from './rate-limit-store';
import { SlowmodeInterceptor } from './slowmode.interceptor';

const TOML = `
[server]
name = "limits"

[limits]
burst = 2
rate_per_second = 1
challenges_per_minute = 60
challenge_burst = 2
failed_logins_per_minute = 2

[[roles]]
id = "fast"
name = "Fast"
limits = { burst = 4 }

[[roles]]
id = "staff"
name = "Staff"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"

[[channels]]
id = "slow"
name = "slow"
group = "general"
default_permissions = { slowmode_ms = 1000 }
overrides = [{ role = "staff", limits = { slowmode_ms = 0 } }]
`;

function setup(store?: RateLimitStore) {
  const clock = { now: 1_000_000 };
  const memory = new MemoryRateLimitStore({ now: () => clock.now, sweepIntervalMs: 0 });
  const { config } = samplePolicy(TOML);
  const used = store ?? memory;
  return {
    clock,
    config,
    slowmode: new SlowmodeInterceptor(used),
    challenge: new ChallengeRateLimitInterceptor(used, config),
    invitePreview: new InvitePreviewRateLimitInterceptor(used, config),
    login: new LoginRateLimiter(used, config),
  };
}

function sessionOf(who: Actor): SocketSession {
  return {
    publicKey: who.publicKey,
    isRoot: who.isRoot,
    member: { publicKey: who.publicKey, displayName: who.publicKey, roles: who.roles, joinedAt: new Date(0) },
  };
}

const { policy } = samplePolicy(TOML);

/** A request as slowmode sees it: after the AccessGuard, which recorded its channel decision. */
function ws(session: SocketSession, event: RequestEvent, data: { channelId?: string } = {}, id = 'socket-1') {
  const context = new ExecutionContextHost([{ id, data: { session } }, data, () => undefined, event]);
  context.setType('ws');
  const { channelId } = data;
  if (channelId !== undefined) {
    const permissions = policy.requireChannel(subjectOf(session), channelId, 'write');
    recordDecision(context, { streamId: channelId, channelId, thread: null, permissions });
  }
  return context;
}

class Handler {
  calls = 0;
  handle = (): Observable<unknown> => {
    this.calls++;
    return of('handled');
  };
}

type Outcome = 'handled' | { code: string; retryAfterMs: unknown };

async function run(
  interceptor: { intercept(c: ExecutionContextHost, n: Handler): unknown },
  context: ExecutionContextHost,
  handler = new Handler(),
): Promise<Outcome> {
  try {
    const result = await Promise.resolve(interceptor.intercept(context, handler));
    if (!isObservable(result)) throw new Error('not an observable');
    return (await firstValueFrom(result)) as 'handled';
  } catch (error) {
    if (error instanceof ProtocolError)
      return { code: error.code, retryAfterMs: error.details?.['retryAfterMs'] };
    throw error;
  }
}

const limited = (retryAfterMs: number) => ({ code: 'rate_limited', retryAfterMs });

describe('SlowmodeInterceptor', () => {
  it('allows one message per slowmode_ms per member and channel', async () => {
    const { slowmode, clock } = setup();
    const alice = sessionOf(actor('alice'));
    const bob = sessionOf(actor('bob'));
    const send = (s: SocketSession, channelId: string) => ws(s, 'messages.send', { channelId });
    expect(await run(slowmode, send(alice, 'slow'))).toBe('handled');
    clock.now += 400;
    const handler = new Handler();
    expect(await run(slowmode, send(alice, 'slow'), handler)).toEqual(limited(600));
    expect(handler.calls).toBe(0);
    expect(await run(slowmode, send(bob, 'slow'))).toBe('handled');
    expect(await run(slowmode, send(alice, 'lobby'))).toBe('handled');
    expect(await run(slowmode, send(alice, 'lobby'))).toBe('handled');
    clock.now += 600;
    expect(await run(slowmode, send(alice, 'slow'))).toBe('handled');
  });

  it('does not apply to roots, to roles that skip it, or to other events', async () => {
    const { slowmode } = setup();
    for (const who of [ROOT, actor('s', 'staff')]) {
      const session = sessionOf(who);
      expect(await run(slowmode, ws(session, 'messages.send', { channelId: 'slow' }))).toBe('handled');
      expect(await run(slowmode, ws(session, 'messages.send', { channelId: 'slow' }))).toBe('handled');
    }
    const plain = sessionOf(actor('plain'));
    await run(slowmode, ws(plain, 'messages.send', { channelId: 'slow' }));
    expect(await run(slowmode, ws(plain, 'messages.edit', { channelId: 'slow' }))).toBe('handled');
  });
});

describe('SlowmodeInterceptor with the store unreachable', () => {
  it('refuses sends in a slowed channel (fails closed)', async () => {
    const down: RateLimitStore = {
      take: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      slowmode: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      spend: () => Promise.reject(new RateLimitStoreUnavailable('down')),
    };
    const { slowmode } = setup(down);
    const handler = new Handler();
    const send = ws(sessionOf(actor('plain')), 'messages.send', { channelId: 'slow' });
    expect(await run(slowmode, send, handler)).toEqual(limited(1000));
    expect(handler.calls).toBe(0);
  });
});

describe('ChallengeRateLimitInterceptor', () => {
  function http(ip: string, headers: Record<string, string>) {
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
    const context = new ExecutionContextHost([{ socket: { remoteAddress: ip }, headers: {} }, response]);
    context.setType('http');
    return context;
  }

  it('limits challenges per IP (burst, then per minute) and sets Retry-After', async () => {
    const { challenge, clock } = setup();
    const headers: Record<string, string> = {};
    expect(await run(challenge, http('10.0.0.1', headers))).toBe('handled');
    expect(await run(challenge, http('10.0.0.1', headers))).toBe('handled');
    expect(await run(challenge, http('10.0.0.1', headers))).toEqual(limited(1000));
    expect(headers['Retry-After']).toBe('1');
    expect(await run(challenge, http('10.0.0.2', {}))).toBe('handled');
    clock.now += 1000;
    expect(await run(challenge, http('10.0.0.1', {}))).toBe('handled');
  });

  it('limits invite previews per IP in a bucket of their own, with the challenge limits', async () => {
    const { challenge, invitePreview } = setup();
    const headers: Record<string, string> = {};
    expect(await run(invitePreview, http('10.0.0.3', headers))).toBe('handled');
    expect(await run(invitePreview, http('10.0.0.3', headers))).toBe('handled');
    expect(await run(invitePreview, http('10.0.0.3', headers))).toEqual(limited(1000));
    expect(headers['Retry-After']).toBe('1');
    // Previews do not use up the address's challenges (logging in after reading an invite works).
    expect(await run(challenge, http('10.0.0.3', {}))).toBe('handled');
  });
});

describe('LoginRateLimiter', () => {
  const fail = () => Promise.reject(new ProtocolError('signature_invalid', 'no'));

  it('refuses an IP once its failures are used up, before running the attempt', async () => {
    const { login, clock } = setup();
    await expect(login.guard('1.1.1.1', fail)).rejects.toMatchObject({ code: 'signature_invalid' });
    await expect(login.guard('1.1.1.1', fail)).rejects.toMatchObject({ code: 'signature_invalid' });
    const attempt = jest.fn(() => Promise.resolve('session'));
    await expect(login.guard('1.1.1.1', attempt)).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterMs: 30_000 },
    });
    expect(attempt).not.toHaveBeenCalled();
    await expect(login.guard('2.2.2.2', attempt)).resolves.toBe('session');
    clock.now += 30_000;
    await expect(login.guard('1.1.1.1', attempt)).resolves.toBe('session');
  });

  it('does not count successes or server errors', async () => {
    const { login } = setup();
    for (let i = 0; i < 5; i++) await login.guard('3.3.3.3', () => Promise.resolve('ok'));
    for (let i = 0; i < 5; i++) {
      await expect(
        login.guard('3.3.3.3', () => Promise.reject(new ProtocolError('internal_error', 'x'))),
      ).rejects.toMatchObject({ code: 'internal_error' });
    }
    await expect(login.guard('3.3.3.3', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('fails closed when the store is unreachable', async () => {
    const down: RateLimitStore = {
      take: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      slowmode: () => Promise.reject(new RateLimitStoreUnavailable('down')),
      spend: () => Promise.reject(new RateLimitStoreUnavailable('down')),
    };
    const { login } = setup(down);
    await expect(login.guard('1.1.1.1', () => Promise.resolve('ok'))).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterMs: 1000 },
    });
  });
});
