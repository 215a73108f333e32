import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, ok, request, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import { searchIndexReady } from './support/search-ready';

/**
 * docs/operations.md promises that message contents never reach the log. A send whose batch fails
 * in the database is the case that used to break it: TypeORM logged the failed statement with its
 * parameters. Here a trigger makes every insert into `messages` fail, at the most verbose log level.
 */
describe('logs', () => {
  let api: ApiProcess;
  let db: Client;
  let root: TestSocket;

  beforeAll(async () => {
    const rootKey = await newIdentity();
    api = await startApi({
      configToml: defaultConfig([rootKey.publicKey.hex]),
      env: { LOG_LEVEL: 'verbose' },
    });
    // The trigger below is DDL on `messages`: while the api still builds its search indexes
    // (CREATE INDEX CONCURRENTLY, after start) the two wait for each other and one is aborted.
    await searchIndexReady(api);
    db = new Client({ connectionString: api.databaseUrl() });
    await db.connect();
    root = await connect(api, rootKey);
    await ok(root, 'member.join', { displayName: 'Root' });
  });

  afterAll(async () => {
    root.close();
    await db.end();
    await api.dispose();
  });

  it('never holds the content of a send whose batch failed in the database', async () => {
    await db.query(`
      CREATE FUNCTION refuse_messages() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'inserts are refused by the test'; END $$;
      CREATE TRIGGER refuse_messages BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_messages();
    `);
    const secret = `secret-${randomUUID()}`;
    const envelope = await request(root, 'messages.send', {
      channelId: 'lobby',
      clientId: randomUUID(),
      content: `the launch code is ${secret}`,
    });
    expect(envelope.ok ? 'ok' : envelope.error.code).toBe('internal_error');
    // The failure was logged (so the scan below looks at the lines that would hold it)...
    expect(api.output()).toMatch(/inserts are refused by the test/);
    // ...without the content, or any query parameter, anywhere in the log.
    expect(api.output()).not.toContain(secret);
    expect(api.output()).not.toMatch(/PARAMETERS/);

    await db.query('DROP TRIGGER refuse_messages ON messages; DROP FUNCTION refuse_messages()');
    const retried = await request(root, 'messages.send', {
      channelId: 'lobby',
      clientId: randomUUID(),
      content: secret,
    });
    expect(retried.ok).toBe(true);
    expect(api.output()).not.toContain(secret);
  });
});
