import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';

import {
  meetsEffort,
  POW_ALGORITHM,
  POW_SIGNED_BYTES,
  POW_SOLUTION_BYTES,
  type PowChallengeDto,
  type PowProof,
  readPowChallenge,
  writePowSignedPart,
} from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../rate-limit/rate-limit-store';
import { rateLimited, STORE_DOWN_RETRY_MS } from '../rate-limit/rate-limited';
import { ServerSecret, type SigningKeys } from './server-secret';

const MAC_BYTES = 16;

export type PowRefusal = 'pow_required' | 'pow_invalid' | 'pow_expired' | 'pow_replayed';

/**
 * Stateless proof-of-work challenges (docs/protocol.md, "Proof of work"): the server keeps nothing
 * per challenge it hands out; it signs the challenge's effort and expiry, and remembers a challenge
 * only once it is spent, until it expires. Verifying costs one HMAC and one SHA-256 of a few dozen
 * bytes, and a proof that is not genuine stops at the HMAC.
 */
@Injectable()
export class PowChallenges {
  constructor(
    private readonly secret: ServerSecret,
    private readonly config: AppConfig,
    @Inject(RATE_LIMIT_STORE) private readonly spent: RateLimitStore,
  ) {}

  async issue(effort: number): Promise<PowChallengeDto> {
    return this.sign(await this.secret.load(), effort);
  }

  /** A refusal that carries a fresh challenge at `effort`, so the client need not ask again. */
  async refusal(code: PowRefusal, message: string, effort: number): Promise<ProtocolError> {
    return new ProtocolError(code, message, { pow: await this.issue(effort) });
  }

  /**
   * Accepts `proof` if the server signed its challenge, it has not expired, its effort is at least
   * `required`, its solution meets that effort and it was not spent before; then spends it.
   * Otherwise throws a `pow_*` refusal with a fresh challenge at `required`.
   */
  async verify(proof: PowProof, required: number): Promise<void> {
    const keys = this.secret.keys ?? (await this.secret.load());
    const problem = this.check(keys, proof, required, Date.now());
    if (problem) throw await this.refusal(problem.code, problem.message, required);
    const challenge = Buffer.from(proof.challenge, 'hex');
    const expiresAtMs = challenge.readUInt32BE(5) * 1000;
    const key = `pow:${challenge.toString('hex', 9, 25)}`;
    let spent;
    try {
      spent = await this.spent.spend(key, expiresAtMs - Date.now());
    } catch {
      throw rateLimited(STORE_DOWN_RETRY_MS, 'the proof-of-work spent-set is unavailable');
    }
    if (spent === 'full') throw rateLimited(STORE_DOWN_RETRY_MS, 'too many proofs-of-work at once');
    if (spent === 'again') {
      throw await this.refusal('pow_replayed', 'this proof-of-work was already used', required);
    }
  }

  /** The checks that need no store, in the order that costs an attacker's junk the least. */
  check(
    keys: SigningKeys,
    proof: PowProof,
    required: number,
    now: number,
  ): { code: PowRefusal; message: string } | null {
    const challenge = Buffer.from(proof.challenge, 'hex');
    const fields = readPowChallenge(challenge);
    if (!fields) return { code: 'pow_invalid', message: 'the challenge is not one of this server’s' };
    const mac = createHmac('sha256', keys.powChallenge)
      .update(challenge.subarray(0, POW_SIGNED_BYTES))
      .digest()
      .subarray(0, MAC_BYTES);
    if (!timingSafeEqual(mac, fields.mac))
      return { code: 'pow_invalid', message: 'the challenge is not one of this server’s' };
    if (fields.expiresAt * 1000 <= now)
      return { code: 'pow_expired', message: 'the proof-of-work challenge has expired' };
    if (fields.effort < required) {
      return {
        code: 'pow_required',
        message: `the difficulty rose to ${required} since this challenge was issued; solve the new one`,
      };
    }
    const solution = Buffer.from(proof.solution, 'hex');
    if (solution.length !== POW_SOLUTION_BYTES)
      return { code: 'pow_invalid', message: `the solution must be ${POW_SOLUTION_BYTES} bytes` };
    const digest = hash('sha256', Buffer.concat([challenge, solution]), 'buffer');
    if (!meetsEffort(digest, fields.effort))
      return { code: 'pow_invalid', message: 'the solution does not meet the challenge’s effort' };
    return null;
  }

  private sign(keys: SigningKeys, effort: number): PowChallengeDto {
    const ttl = this.config.current.pow.challengeTtlMs;
    const expiresAt = Math.floor((Date.now() + ttl) / 1000);
    const signed = writePowSignedPart(effort, expiresAt, randomBytes(16));
    const mac = createHmac('sha256', keys.powChallenge).update(signed).digest().subarray(0, MAC_BYTES);
    return {
      algorithm: POW_ALGORITHM,
      effort,
      challenge: Buffer.concat([signed, mac]).toString('hex'),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }
}
