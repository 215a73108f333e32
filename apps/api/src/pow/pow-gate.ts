import { Inject, Injectable } from '@nestjs/common';

import { type ChallengeRequest } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../rate-limit/rate-limit-store';
import { LoginPasses } from './login-passes';
import { PowChallenges } from './pow-challenges';
import { PowDifficulty } from './pow-difficulty';

/** Who may have a challenge: the holder of a pass (the nonce is then bound to that key), or anyone. */
export interface ChallengeAdmission {
  readonly boundKey: string | null;
}

/**
 * The proof-of-work gate in front of challenge issuance. A valid login pass goes through without a
 * proof and is not counted, within its key's own budget (the per-address limits, `[limits]
 * challenge_burst` and `challenges_per_minute`, per key): a pass outlives a ban, and one key must
 * not get nonces without limit. Every other request is counted for the difficulty, and needs a
 * proof at the current effort once that is above 0. An invalid or expired pass, or one over its
 * budget, counts as none.
 */
@Injectable()
export class PowGate {
  constructor(
    private readonly passes: LoginPasses,
    private readonly difficulty: PowDifficulty,
    private readonly challenges: PowChallenges,
    private readonly config: AppConfig,
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
  ) {}

  async admit(request: ChallengeRequest): Promise<ChallengeAdmission> {
    if (request?.pass !== undefined) {
      const holder = await this.passes.holder(request.pass);
      if (holder && (await this.withinBudget(holder))) return { boundKey: holder };
    }
    this.difficulty.record();
    const required = this.difficulty.required;
    if (required === 0) return { boundKey: null };
    if (!request?.pow) {
      throw await this.challenges.refusal(
        'pow_required',
        `this server asks for proof-of-work (effort ${required}) while it is flooded; solve details.pow and send it as pow`,
        required,
      );
    }
    await this.challenges.verify(request.pow, required);
    return { boundKey: null };
  }

  /** Whether `key`'s pass may skip the proof once more; a store that cannot say means no. */
  private async withinBudget(key: string): Promise<boolean> {
    const limits = this.config.current.ipLimits;
    try {
      const decision = await this.store.take(`pass:${key}`, {
        capacity: limits.challengeBurst,
        refillPerSecond: limits.challengesPerMinute / 60,
        cost: 1,
      });
      return decision.allowed;
    } catch {
      return false;
    }
  }
}
