import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { bytesToHex, NONCE_BYTES } from '@mpqcht/identity';
import { CHALLENGE_TTL_MS, type ChallengeDto } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';

export type ConsumeResult =
  | { readonly state: 'fresh'; readonly boundKey: string | null }
  | { readonly state: 'expired' }
  | { readonly state: 'unknown' };

const SWEEP_INTERVAL_MS = 60_000;

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

  async consume(nonce: Uint8Array): Promise<ConsumeResult> {
    const rows = await this.sql.rows<{ fresh: boolean; bound_key: string | null }>(
      'DELETE FROM login_challenges WHERE nonce = $1 RETURNING expires_at > now() AS fresh, bound_key',
      [Buffer.from(nonce)],
    );
    const row = rows[0];
    if (!row) return { state: 'unknown' };
    return row.fresh ? { state: 'fresh', boundKey: row.bound_key } : { state: 'expired' };
  }

  private async sweep(): Promise<void> {
    await this.sql.rows('DELETE FROM login_challenges WHERE expires_at < now()').catch(() => undefined);
  }
}
