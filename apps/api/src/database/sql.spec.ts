import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';

import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { Sql, type SqlTransaction } from './sql';

// A real PostgreSQL (the embedded cluster, so no server is needed): what is under test is what
// PostgreSQL keeps after COMMIT and ROLLBACK, which no fake would show.
describe('Sql.transaction', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgres;
  let dataSource: DataSource;
  let sql: Sql;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-sql-'));
    postgres = new EmbeddedPostgres({ dataDir, log: () => undefined });
    // The failing statements below are expected; the api's query logger would print them.
    dataSource = new DataSource({ ...dataSourceOptions(await postgres.start()), logging: false });
    await dataSource.initialize();
    sql = new Sql(dataSource);
    await sql.rows('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await dataSource.destroy();
    await postgres.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  beforeEach(async () => {
    await sql.rows('TRUNCATE notes');
  });

  const bodies = async (): Promise<string[]> =>
    (await sql.rows<{ body: string }>('SELECT body FROM notes ORDER BY id')).map((r) => r.body);

  it('commits every statement when the work resolves, and returns its value', async () => {
    const result = await sql.transaction(async (tx) => {
      await tx.rows('INSERT INTO notes VALUES (1, $1)', ['one']);
      const [row] = await tx.rows<{ id: number }>('INSERT INTO notes VALUES (2, $1) RETURNING id', ['two']);
      return row?.id;
    });
    expect(result).toBe(2);
    expect(await bodies()).toEqual(['one', 'two']);
  });

  it('rolls back every statement when the work throws, and rethrows its error', async () => {
    const failure = new Error('second step failed');
    await expect(
      sql.transaction(async (tx) => {
        await tx.rows('INSERT INTO notes VALUES (1, $1)', ['one']);
        // Visible inside the transaction before it is rolled back.
        expect(await tx.rows('SELECT 1 FROM notes')).toHaveLength(1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await bodies()).toEqual([]);
  });

  it('rolls back when a statement fails, with the database error', async () => {
    await expect(
      sql.transaction(async (tx) => {
        await tx.rows('INSERT INTO notes VALUES (1, $1)', ['one']);
        await tx.rows('INSERT INTO notes VALUES (1, $1)', ['duplicate']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await bodies()).toEqual([]);
  });

  it('refuses a query on a transaction that has ended', async () => {
    let leaked: SqlTransaction | undefined;
    await sql.transaction((tx) => {
      leaked = tx;
      return Promise.resolve();
    });
    await expect(leaked?.rows('INSERT INTO notes VALUES (1, $1)', ['late'])).rejects.toThrow(/ended/);
    expect(await bodies()).toEqual([]);
  });
});
