import { createHash, createSecretKey, randomBytes } from 'node:crypto';

import { meetsEffort, powHash, type PowProof } from '@mpqcht/protocol';
import { searchPow } from '@mpqcht/protocol-client';

import { AppConfig } from '../config/app-config';
import { loadEnv } from '../config/env';
import { parseCommunityConfig } from '../config/load-community-config';
import type { Sql } from '../database/sql';
import { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit-store';
import { LoginPasses } from './login-passes';
import { PowChallenges } from './pow-challenges';
import { PowDifficulty } from './pow-difficulty';
import { PowGate } from './pow-gate';
import { ServerSecret, type SigningKeys } from './server-secret';

function config(pow = ''): AppConfig {
  const toml = `[server]\nname = "pow"\n${pow ? `\n[pow]\n${pow}\n` : ''}`;
  return new AppConfig(
    loadEnv({ DATABASE_URL: 'postgres://unused' }),
    parseCommunityConfig(toml, 'config.toml'),
  );
}

/** A ServerSecret whose keys are already there: no database. */
function secretWith(keys: SigningKeys): ServerSecret {
  const secret = new ServerSecret(null as unknown as Sql);
  jest.spyOn(secret, 'keys', 'get').mockReturnValue(keys);
  jest.spyOn(secret, 'load').mockResolvedValue(keys);
  return secret;
}

function randomKeys(): SigningKeys {
  return { powChallenge: createSecretKey(randomBytes(32)), loginPass: createSecretKey(randomBytes(32)) };
}

/** A solution that misses `effort`, found with node:crypto and the bare rule R × effort > 2³² − 1. */
function missing(challenge: string, effort: number): string {
  for (let i = 0; ; i++) {
    const solution = Buffer.alloc(8);
    solution.writeUInt32BE(i, 4);
    const r = createHash('sha256')
      .update(Buffer.from(challenge, 'hex'))
      .update(solution)
      .digest()
      .readUInt32BE(0);
    if (r * effort > 0xffff_ffff) return solution.toString('hex');
  }
}

function solve(challenge: string, effort: number): PowProof {
  const bytes = Buffer.from(challenge, 'hex');
  for (let start = 0; ; start += 10_000) {
    const solution = searchPow(bytes, effort, 7, start, 10_000);
    if (solution) return { challenge, solution: Buffer.from(solution).toString('hex') };
  }
}

describe('PowDifficulty', () => {
  const settings =
    'raise_above = 5\nlower_below = 2\ncalm_seconds = 3\ninitial_effort = 100\nmax_effort = 1000';

  function burst(difficulty: PowDifficulty, n: number): void {
    for (let i = 0; i < n; i++) difficulty.record();
  }

  it('stays at 0 while calm, starts at initial_effort after a busy second and doubles up to max_effort', () => {
    const difficulty = new PowDifficulty(config(settings));
    burst(difficulty, 5);
    difficulty.tick(1000);
    expect(difficulty.required).toBe(0); // 5 is not above 5
    const efforts = [2000, 3000, 4000, 5000, 6000].map((now) => {
      burst(difficulty, 6);
      difficulty.tick(now);
      return difficulty.required;
    });
    expect(efforts).toEqual([100, 200, 400, 800, 1000]);
  });

  it('halves after calm_seconds below lower_below, and drops to 0 below initial_effort', () => {
    const difficulty = new PowDifficulty(config(settings));
    for (const now of [1000, 2000, 3000]) {
      burst(difficulty, 10);
      difficulty.tick(now);
    }
    expect(difficulty.required).toBe(400);
    // The 5 s average still holds the flood for a while: no lowering until it is below 2 a second.
    const seen: number[] = [];
    for (let now = 4000; now <= 20_000; now += 1000) {
      difficulty.tick(now);
      seen.push(difficulty.required);
    }
    expect(seen.slice(0, 4)).toEqual([400, 400, 400, 400]);
    expect(seen).toContain(200);
    expect(seen).toContain(100);
    expect(seen.at(-1)).toBe(0);
    // Halving waits calm_seconds each time: never two changes in consecutive seconds.
    const changes = seen.map((e, i) => (i > 0 && e !== seen[i - 1] ? i : -1)).filter((i) => i >= 0);
    for (let i = 1; i < changes.length; i++) expect((changes[i] ?? 0) - (changes[i - 1] ?? 0)).toBe(3);
  });

  it('asks nothing when [pow] enabled = false, whatever the rate', () => {
    const difficulty = new PowDifficulty(config(`${settings}\nenabled = false`));
    burst(difficulty, 1000);
    difficulty.tick(1000);
    expect(difficulty.required).toBe(0);
  });
});

describe('PowChallenges', () => {
  const keys = randomKeys();
  const now = Date.now();

  function challenges(): PowChallenges {
    return new PowChallenges(secretWith(keys), config(), new MemoryRateLimitStore({ sweepIntervalMs: 0 }));
  }

  it('issues a 41-byte challenge at the effort asked, which its solution meets', async () => {
    const dto = await challenges().issue(300);
    expect(dto.challenge).toMatch(/^01[0-9a-f]{80}$/);
    expect(dto.effort).toBe(300);
    expect(Buffer.from(dto.challenge, 'hex').readUInt32BE(1)).toBe(300);
    const proof = solve(dto.challenge, 300);
    expect(
      meetsEffort(powHash(Buffer.from(proof.challenge, 'hex'), Buffer.from(proof.solution, 'hex')), 300),
    ).toBe(true);
    expect(challenges().check(keys, proof, 300, now)).toBeNull();
  });

  it('refuses a forged MAC, another server’s challenge, a wrong solution, an expired or easier challenge', async () => {
    const pow = challenges();
    const dto = await pow.issue(300);
    const proof = solve(dto.challenge, 300);
    const forged = {
      ...proof,
      challenge: dto.challenge.slice(0, -2) + (dto.challenge.endsWith('00') ? '01' : '00'),
    };
    expect(pow.check(keys, forged, 300, now)?.code).toBe('pow_invalid');
    expect(pow.check(randomKeys(), proof, 300, now)?.code).toBe('pow_invalid');
    expect(pow.check(keys, { ...proof, solution: missing(dto.challenge, 300) }, 300, now)?.code).toBe(
      'pow_invalid',
    );
    expect(pow.check(keys, { ...proof, solution: '00' }, 300, now)?.code).toBe('pow_invalid');
    expect(pow.check(keys, proof, 300, Date.parse(dto.expiresAt) + 1)?.code).toBe('pow_expired');
    expect(pow.check(keys, proof, 301, now)?.code).toBe('pow_required');
  });

  it('spends a proof once: the second use is pow_replayed, with a fresh challenge', async () => {
    const pow = challenges();
    const proof = solve((await pow.issue(50)).challenge, 50);
    await expect(pow.verify(proof, 50)).resolves.toBeUndefined();
    await expect(pow.verify(proof, 50)).rejects.toMatchObject({
      code: 'pow_replayed',
      details: { pow: { effort: 50, algorithm: 'sha256-u32-v1' } },
    });
  });
});

describe('LoginPasses', () => {
  const keys = randomKeys();
  const key = '02' + 'ab'.repeat(32);

  it('says whose a pass is, until it expires; a changed byte or another server’s pass is none', async () => {
    const passes = new LoginPasses(secretWith(keys));
    const { pass, expiresAt } = await passes.issue(key);
    expect(pass).toHaveLength(108);
    await expect(passes.holder(pass)).resolves.toBe(key);
    await expect(passes.holder(pass, Date.parse(expiresAt))).resolves.toBeNull();
    const flipped = pass.slice(0, 10) + (pass[10] === '0' ? '1' : '0') + pass.slice(11);
    await expect(passes.holder(flipped)).resolves.toBeNull();
    await expect(new LoginPasses(secretWith(randomKeys())).holder(pass)).resolves.toBeNull();
    await expect(passes.holder(pass.slice(0, -2))).resolves.toBeNull();
  });
});

describe('PowGate', () => {
  /** The tests' `[pow]`: `raise()` lifts the effort to 64, and nothing lowers it during a test. */
  const RAISES_AT_ONCE = 'raise_above = 1\nlower_below = 0\ninitial_effort = 64';

  const keys = randomKeys();
  const member = '03' + 'cd'.repeat(32);

  function gate(pow: string) {
    const app = config(pow);
    const secret = secretWith(keys);
    const store = new MemoryRateLimitStore({ sweepIntervalMs: 0 });
    const difficulty = new PowDifficulty(app);
    const challenges = new PowChallenges(secret, app, store);
    const passes = new LoginPasses(secret);
    const recorded = jest.spyOn(difficulty, 'record');
    const raise = () => {
      for (let i = 0; i < 10; i++) difficulty.record();
      difficulty.tick(Date.now());
      recorded.mockClear();
    };
    return {
      gate: new PowGate(passes, difficulty, challenges, app, store),
      passes,
      recorded,
      raise,
      challenges,
    };
  }

  it('lets a valid pass through without a proof and without counting it, bound to its key', async () => {
    const { gate: g, passes, recorded, raise } = gate(RAISES_AT_ONCE);
    raise();
    const { pass } = await passes.issue(member);
    await expect(g.admit({ pass })).resolves.toEqual({ boundKey: member });
    expect(recorded).not.toHaveBeenCalled();
  });

  it('counts a request without a pass, and asks it for a proof once the effort is up', async () => {
    const { gate: g, recorded, raise } = gate(RAISES_AT_ONCE);
    await expect(g.admit(undefined)).resolves.toEqual({ boundKey: null });
    expect(recorded).toHaveBeenCalledTimes(1);
    raise();
    await expect(g.admit(undefined)).rejects.toMatchObject({
      code: 'pow_required',
      details: { pow: { effort: 64 } },
    });
    await expect(g.admit({ pass: 'ab'.repeat(54) })).rejects.toMatchObject({ code: 'pow_required' });
    expect(recorded).toHaveBeenCalledTimes(2);
  });

  it('treats a pass over its key’s budget (challenge_burst) as none: counted, and a proof asked', async () => {
    const { gate: g, passes, recorded, raise } = gate(RAISES_AT_ONCE);
    // The default challenge_burst is 10 (refilled at 30 a minute): spend it.
    raise();
    const { pass } = await passes.issue(member);
    for (let i = 0; i < 10; i++) await expect(g.admit({ pass })).resolves.toEqual({ boundKey: member });
    expect(recorded).not.toHaveBeenCalled();
    await expect(g.admit({ pass })).rejects.toMatchObject({ code: 'pow_required' });
    expect(recorded).toHaveBeenCalledTimes(1);
  });

  it('accepts a proof at the current effort once, then refuses it as replayed', async () => {
    const { gate: g, raise, challenges } = gate(RAISES_AT_ONCE);
    raise();
    const proof = solve((await challenges.issue(64)).challenge, 64);
    await expect(g.admit({ pow: proof })).resolves.toEqual({ boundKey: null });
    await expect(g.admit({ pow: proof })).rejects.toMatchObject({ code: 'pow_replayed' });
  });
});
