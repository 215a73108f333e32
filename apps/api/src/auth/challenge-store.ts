import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { bytesToHex, NONCE_BYTES } from '@mpqcht/identity';
import { CHALLENGE_TTL_MS, type ChallengeDto } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { standingColumns, type StandingRow } from '../members/standing';

export type ConsumeResult =
  | {
      readonly state: 'fresh';
      readonly boundKey: string | null;
      /** The claimed key's standing row, read in the same statement (undefined: no key given). */
      readonly standing: StandingRow | undefined;
    }
  | { readonly state: 'expired' }
  | { readonly state: 'unknown' };

const SWEEP_INTERVAL_MS = 60_000;

interface ConsumedRow {
  readonly fresh: boolean;
  readonly bound_key: string | null;
}

/**
 * Login nonces, kept in PostgreSQL so that every api process of a community shares them. A nonce is
 * consumed by `DELETE ... RETURNING`, which succeeds for exactly one attempt even when several race.
 */
@Injectable()
export class ChallengeStore implements OnModuleInit, OnModuleDestroy {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** A new nonce; one issued to a login pass (`boundKey`) logs in that key only. */
  async issue(boundKey: string | null = null): Promise<ChallengeDto> {
    const nonce = randomBytes(NONCE_BYTES);
    const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
    await this.sql.rows('INSERT INTO login_challenges (nonce, expires_at, bound_key) VALUES ($1, $2, $3)', [
      nonce,
      expiresAt,
      boundKey,
    ]);
    return {
      nonce: bytesToHex(nonce),
      expiresAt: expiresAt.toISOString(),
      origin: this.config.env.publicOrigin,
    };
  }

  /**
   * Consumes `nonce`; with the login's claimed `publicKey` (canonical hex), the same statement
   * reads that key's standing (members/standing.ts), saving the login a round trip.
   */
  async consume(nonce: Uint8Array, publicKey: string | null): Promise<ConsumeResult> {
    const consumed =
      'DELETE FROM login_challenges WHERE nonce = $1 RETURNING expires_at > now() AS fresh, bound_key';
    if (publicKey === null) {
      const [row] = await this.sql.rows<ConsumedRow>(consumed, [Buffer.from(nonce)]);
      return stateOf(row, undefined);
    }
    const [row] = await this.sql.rows<ConsumedRow & StandingRow>(
      `WITH consumed AS (${consumed})
       SELECT consumed.fresh, consumed.bound_key, ${standingColumns('$2')}
       FROM consumed LEFT JOIN members ON members.public_key = $2`,
      [Buffer.from(nonce), publicKey],
    );
    return stateOf(row, row);
  }

  private async sweep(): Promise<void> {
    await this.sql.rows('DELETE FROM login_challenges WHERE expires_at < now()').catch(() => undefined);
  }
}

function stateOf(row: ConsumedRow | undefined, standing: StandingRow | undefined): ConsumeResult {
  if (!row) return { state: 'unknown' };
  if (!row.fresh) return { state: 'expired' };
  return { state: 'fresh', boundKey: row.bound_key, standing };
}
