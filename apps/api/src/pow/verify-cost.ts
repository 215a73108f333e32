/**
 * What verifying a proof-of-work costs the server (issue 18: "verify must cost microseconds,
 * ≤ 10 µs"), measured on the api's own `PowChallenges`, not a copy. Not part of the app bundle
 * (nothing imports it) nor of any test: a measurement, run by hand (docs/performance.md):
 *
 *   npx tsx --tsconfig apps/api/tsconfig.app.json apps/api/src/pow/verify-cost.ts [N]
 *
 * It builds `PowChallenges` as Nest would, from the real `ServerSecret` (its database read
 * answered by a stub: one random secret), `AppConfig` (a parsed config.toml with the default
 * `[pow]`) and the in-memory `MemoryRateLimitStore` (the spent-set without Redis), then times N
 * calls each (wall time by performance.now and the process's CPU time by process.cpuUsage around
 * the whole loop, after a warm-up of N/10; the CPU time is what other processes on the machine
 * cannot inflate) of:
 *  - `check` (the store-free checks) on valid proofs at effort 10,000, on proofs whose MAC is
 *    forged, and on genuine challenges with a wrong solution;
 *  - `verify` (check, then the spent-set) on N distinct valid proofs, and on the two kinds of
 *    invalid proof, whose refusal signs a fresh challenge and builds the error;
 *  - that refusal alone (`refusal`).
 */
import { hash, randomBytes } from 'node:crypto';

import { meetsEffort, POW_SIGNED_BYTES, type PowProof } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { loadEnv } from '../config/env';
import { parseCommunityConfig } from '../config/load-community-config';
import { type Sql } from '../database/sql';
import { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit-store';
import { PowChallenges } from './pow-challenges';
import { ServerSecret } from './server-secret';

const EFFORT = 10_000;
/** Valid proofs for `verify` must be distinct (a spent one is refused): solved at a low effort. */
const CHEAP_EFFORT = 16;
/** Distinct valid proofs at EFFORT that the `check` loop cycles through. */
const HARD_PROOFS = 64;

const COMMUNITY = `
[server]
name = "verify-cost"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;

/**
 * Not the clients' `searchPow`: that one hashes with @noble/hashes (pure JavaScript, for the
 * browser), which made preparing 2N proofs about 2.5 times slower (20 s instead of 8 s at N =
 * 20,000); node:crypto's hash keeps the measurement quick to run.
 */
function solve(challengeHex: string, effort: number): PowProof {
  const challenge = Buffer.from(challengeHex, 'hex');
  const input = Buffer.alloc(challenge.length + 8);
  challenge.copy(input);
  for (let i = 0; ; i++) {
    input.writeUInt32BE(i, challenge.length + 4);
    if (meetsEffort(hash('sha256', input, 'buffer'), effort)) {
      return { challenge: challengeHex, solution: input.toString('hex', challenge.length) };
    }
  }
}

/** A solution that does not meet the challenge's effort. */
function wrong(challengeHex: string, effort: number): PowProof {
  const challenge = Buffer.from(challengeHex, 'hex');
  for (;;) {
    const solution = randomBytes(8);
    if (!meetsEffort(hash('sha256', Buffer.concat([challenge, solution]), 'buffer'), effort)) {
      return { challenge: challengeHex, solution: solution.toString('hex') };
    }
  }
}

/** The same challenge with its MAC's bytes replaced by random ones. */
function forged(proof: PowProof): PowProof {
  const challenge = Buffer.from(proof.challenge, 'hex');
  randomBytes(challenge.length - POW_SIGNED_BYTES).copy(challenge, POW_SIGNED_BYTES);
  return { challenge: challenge.toString('hex'), solution: proof.solution };
}

/** Wall time (performance.now) and this process's CPU time (process.cpuUsage) since it started, in ms. */
interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function timer(): () => Timing {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
}

function report(name: string, n: number, timing: Timing, outcome: string): void {
  const each = (ms: number) => ((ms * 1000) / n).toFixed(2).padStart(7);
  process.stdout.write(
    `${name.padEnd(52)} ${each(timing.wallMs)} µs wall, ${each(timing.cpuMs)} µs CPU each (${n} calls, ${outcome})\n`,
  );
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200_000);
  const secret = randomBytes(32);
  const sql = { rows: () => Promise.resolve([{ secret }]) } as unknown as Sql;
  const serverSecret = new ServerSecret(sql);
  const keys = await serverSecret.load();
  const config = new AppConfig(
    loadEnv({ PUBLIC_ORIGIN: 'http://verify-cost.test' }),
    parseCommunityConfig(COMMUNITY, 'config.toml'),
  );
  const store = new MemoryRateLimitStore({ sweepIntervalMs: 0, maxEntries: 10 * n });
  const challenges = new PowChallenges(serverSecret, config, store);

  process.stdout.write(`preparing: ${HARD_PROOFS} proofs at effort ${EFFORT}, ${2 * n} at ${CHEAP_EFFORT}\n`);
  const hard: PowProof[] = [];
  for (let i = 0; i < HARD_PROOFS; i++) hard.push(solve((await challenges.issue(EFFORT)).challenge, EFFORT));
  const wrongs = hard.map((p) => wrong(p.challenge, EFFORT));
  const forgeries = hard.map(forged);
  const cheap: PowProof[] = [];
  for (let i = 0; i < 2 * n; i++)
    cheap.push(solve((await challenges.issue(CHEAP_EFFORT)).challenge, CHEAP_EFFORT));

  const timeCheck = (name: string, proofs: readonly PowProof[], required: number) => {
    let outcome = '';
    const run = (count: number) => {
      const codes = new Map<string, number>();
      const now = Date.now();
      const done = timer();
      for (let i = 0; i < count; i++) {
        const proof = proofs[i % proofs.length];
        if (!proof) continue;
        const code = challenges.check(keys, proof, required, now)?.code ?? 'ok';
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      const timing = done();
      outcome = [...codes].map(([code, k]) => `${code} ×${k}`).join(', ');
      return timing;
    };
    run(Math.ceil(n / 10));
    report(name, n, run(n), outcome);
  };
  const timeVerify = async (name: string, proofs: readonly PowProof[], required: number, start = 0) => {
    const codes = new Map<string, number>();
    const done = timer();
    for (let i = 0; i < n; i++) {
      const proof = proofs[(start + i) % proofs.length];
      if (!proof) continue;
      let code = 'ok';
      try {
        await challenges.verify(proof, required);
      } catch (error) {
        code = (error as { code?: string }).code ?? 'threw';
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    report(name, n, done(), [...codes].map(([code, k]) => `${code} ×${k}`).join(', '));
  };

  timeCheck(`check: valid proof (effort ${EFFORT})`, hard, EFFORT);
  timeCheck('check: forged MAC', forgeries, EFFORT);
  timeCheck(`check: wrong solution (effort ${EFFORT})`, wrongs, EFFORT);
  // Warm verify on the first n/10 cheap proofs' worth of work, on proofs the timed run does not use.
  const warm = cheap.slice(n, n + Math.ceil(n / 10));
  for (const proof of warm) await challenges.verify(proof, CHEAP_EFFORT);
  await timeVerify(
    `verify: valid proof, spent-set (effort ${CHEAP_EFFORT})`,
    cheap.slice(0, n),
    CHEAP_EFFORT,
  );
  await timeVerify('verify: replayed valid proof (refused)', cheap.slice(0, 1_000), CHEAP_EFFORT);
  await timeVerify('verify: forged MAC (refused, fresh challenge)', forgeries, EFFORT);
  await timeVerify(`verify: wrong solution (refused, fresh challenge)`, wrongs, EFFORT);
  // What a refusal adds to an invalid proof: a fresh challenge signed, and the error built.
  const done = timer();
  for (let i = 0; i < n; i++) await challenges.refusal('pow_invalid', 'refused', EFFORT);
  report('refusal alone (fresh challenge, ProtocolError)', n, done(), 'built');
  store.onModuleDestroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
