import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

import { Sql } from '../database/sql';

/** The keys the api signs with, each derived from the community's one secret with its own label. */
export interface SigningKeys {
  /** Proof-of-work challenges (`mpqcht-pow-challenge-v1`). */
  readonly powChallenge: KeyObject;
  /** Login passes (`mpqcht-login-pass-v1`). */
  readonly loginPass: KeyObject;
}

const SECRET_NAME = 'signing';

function derive(secret: Buffer, label: string): KeyObject {
  return createSecretKey(createHmac('sha256', secret).update(label).digest());
}

/**
 * The community's signing secret, in `server_secrets`: 32 random bytes made by the first process
 * that needs them, read by every other (so a challenge one process signs verifies at another).
 * Read once per process, on first use; a database that cannot be reached then fails that request
 * like any other (`database_unavailable`), and the next one tries again.
 */
@Injectable()
export class ServerSecret {
  private loaded: SigningKeys | undefined;
  private loading: Promise<SigningKeys> | undefined;

  constructor(private readonly sql: Sql) {}

  /** The keys, once loaded: the hot path reads them without a promise. */
  get keys(): SigningKeys | undefined {
    return this.loaded;
  }

  load(): Promise<SigningKeys> {
    if (this.loaded) return Promise.resolve(this.loaded);
    this.loading ??= this.read().then(
      (keys) => (this.loaded = keys),
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private async read(): Promise<SigningKeys> {
    const rows = await this.sql.rows<{ secret: Buffer }>(
      `WITH made AS (
         INSERT INTO server_secrets (name, secret) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING RETURNING secret
       )
       SELECT secret FROM made UNION ALL SELECT secret FROM server_secrets WHERE name = $1`,
      [SECRET_NAME, randomBytes(32)],
    );
    // Another process may have inserted it after this statement's snapshot was taken: read again.
    const secret =
      rows[0]?.secret ??
      (
        await this.sql.rows<{ secret: Buffer }>('SELECT secret FROM server_secrets WHERE name = $1', [
          SECRET_NAME,
        ])
      )[0]?.secret;
    if (!secret) throw new Error('server_secrets: no signing secret after insert');
    return {
      powChallenge: derive(secret, 'mpqcht-pow-challenge-v1'),
      loginPass: derive(secret, 'mpqcht-login-pass-v1'),
    };
  }
}
