import * as fs from 'node:fs';
import * as path from 'node:path';

import { defaultConfig, harnessEnv, startApi, withClient } from '@mpqcht/test-harness';

import { dumpSchema } from './support/schema-dump';
import { searchIndexReady } from './support/search-ready';

/**
 * The message rules (seq, rev and id allocation, de-duplication by client id) are plpgsql bodies
 * spread over migrations; the snapshot shows in one file what they add up to, and this test fails
 * when a migration changes the schema without the snapshot (reviewed in the same diff) changing too.
 */
const SNAPSHOT = path.resolve(__dirname, '../../api/src/database/schema.snapshot.sql');

describe('the migrated schema', () => {
  it('is apps/api/src/database/schema.snapshot.sql (regenerate: UPDATE_SCHEMA_SNAPSHOT=1 npx jest src/schema.spec.ts)', async () => {
    // A fresh database (or a fresh embedded cluster) that the api migrates as it starts.
    const api = await startApi({ configToml: defaultConfig() });
    try {
      // The search indexes are built after start, outside the migrations; the schema includes them.
      await searchIndexReady(api);
      const schema = await withClient(api.databaseUrl(), dumpSchema);
      if (harnessEnv().updateSchemaSnapshot) fs.writeFileSync(SNAPSHOT, schema);
      expect(schema).toBe(fs.readFileSync(SNAPSHOT, 'utf8'));
    } finally {
      await api.dispose();
    }
  });
});
