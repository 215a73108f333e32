import type { DataSourceOptions } from 'typeorm';

import { CreateInitialSchema1764032400000 } from './migrations/1764032400000-create-initial-schema';
import { AddMessageMentions1764040000000 } from './migrations/1764040000000-add-message-mentions';
import { AddBansAndAuditLog1764050000000 } from './migrations/1764050000000-add-bans-and-audit-log';
import { AddInvites1764060000000 } from './migrations/1764060000000-add-invites';
import { AddMessageRevisions1764070000000 } from './migrations/1764070000000-add-message-revisions';
import { CountBatchSequencesInMemory1764080000000 } from './migrations/1764080000000-count-batch-sequences-in-memory';
import { AddThreads1764090000000 } from './migrations/1764090000000-add-threads';
import { AddMessageSearch1764100000000 } from './migrations/1764100000000-add-message-search';
import { AddSearchWordPairs1764110000000 } from './migrations/1764110000000-add-search-word-pairs';
import { UnloggedLoginChallenges1764120000000 } from './migrations/1764120000000-unlogged-login-challenges';
import { PowSecretAndBoundChallenges1764130000000 } from './migrations/1764130000000-pow-secret-and-bound-challenges';
import { QueryLogger } from './query-logger';

/** Listed explicitly (no glob) so the bundled api carries them; order is the order they run in. */
export const MIGRATIONS = [
  CreateInitialSchema1764032400000,
  AddMessageMentions1764040000000,
  AddBansAndAuditLog1764050000000,
  AddInvites1764060000000,
  AddMessageRevisions1764070000000,
  CountBatchSequencesInMemory1764080000000,
  AddThreads1764090000000,
  AddMessageSearch1764100000000,
  AddSearchWordPairs1764110000000,
  UnloggedLoginChallenges1764120000000,
  PowSecretAndBoundChallenges1764130000000,
];

/**
 * The connection and the migrations only, no entities: TypeORM gives the pool, the migrations and
 * transactions, and every query is hand-written SQL through `Sql`, so the schema is described in one
 * place: the migrations.
 * `onPoolError`: errors of idle pooled connections (TypeORM logs them as warnings otherwise).
 */
export function dataSourceOptions(url: string, onPoolError?: (error: unknown) => void): DataSourceOptions {
  return {
    type: 'postgres',
    ...(onPoolError ? { poolErrorHandler: onPoolError } : {}),
    url,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    // Errors and warnings, through a logger that never prints query parameters.
    logging: ['error', 'warn'],
    logger: new QueryLogger(),
    extra: { max: 10, application_name: 'mpqcht-api' },
  };
}
