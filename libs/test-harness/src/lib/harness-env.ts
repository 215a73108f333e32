/**
 * The one place the test harness reads its environment. It is test infrastructure, not the api:
 * the api reads its own configuration only through `apps/api/src/config/env.ts`, and the harness
 * passes every variable an api process gets explicitly (`runApi`), nothing inherited.
 */
export interface HarnessEnv {
  /** A PostgreSQL server on which each api process gets a fresh database; unset: embedded. */
  readonly databaseUrl: string | undefined;
  /** Passed on to spawned api processes so they find binaries (the embedded PostgreSQL's `initdb`). */
  readonly path: string;
  readonly home: string;
  /** UPDATE_SCHEMA_SNAPSHOT=1: the schema test writes the migrated schema instead of comparing. */
  readonly updateSchemaSnapshot: boolean;
}

export function harnessEnv(): HarnessEnv {
  const { DATABASE_URL, PATH, HOME, UPDATE_SCHEMA_SNAPSHOT } = process.env;
  return {
    databaseUrl: DATABASE_URL && DATABASE_URL.length > 0 ? DATABASE_URL : undefined,
    path: PATH ?? '',
    home: HOME ?? '/',
    updateSchemaSnapshot: UPDATE_SCHEMA_SNAPSHOT === '1',
  };
}
