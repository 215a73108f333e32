/**
 * Direct access to mpqcht's database under test: count what was persisted, find the backends
 * serving it (for their PSS and CPU), seed a long channel for history pages (and, through `query`,
 * the search corpus: search/seed.ts).
 */
import { randomBytes } from 'node:crypto';
import { Client, type QueryResultRow } from 'pg';

/** Databases the harness creates are named so; a leftover one (of a killed run) can be told apart. */
const PREFIX = 'mpqcht_bench_';

async function withAdmin<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server of `serverUrl`; returns its URL. */
export async function createBenchDatabase(serverUrl: string): Promise<string> {
  const name = `${PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropBenchDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith(PREFIX)) throw new Error(`not a bench database: ${name}`);
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops the bench databases of earlier runs that nobody is connected to; returns their names. */
export async function dropLeftoverDatabases(serverUrl: string): Promise<string[]> {
  return withAdmin(serverUrl, async (client) => {
    const result = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
       WHERE datname LIKE '${PREFIX}%'
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    );
    const names = result.rows.map((row) => row.datname);
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name}`);
    return names;
  });
}

export class BenchDb {
  private constructor(private readonly client: Client) {}

  static async connect(url: string): Promise<BenchDb> {
    const client = new Client({ connectionString: url });
    // The server under test may go away (a killed api takes its embedded PostgreSQL along).
    client.on('error', () => undefined);
    await client.connect();
    return new BenchDb(client);
  }

  async version(): Promise<string> {
    const result = await this.client.query<{ version: string }>('SELECT version()');
    return result.rows[0]?.version ?? 'unknown';
  }

  async countMessages(channelId: string): Promise<number> {
    const result = await this.client.query<{ n: string }>(
      'SELECT count(*) AS n FROM messages WHERE channel_id = $1',
      [channelId],
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  /** The backends connected to this database, other than this client's own. */
  async backendPids(): Promise<number[]> {
    const result = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return result.rows.map((row) => row.pid);
  }

  private async hasColumn(table: string, column: string): Promise<boolean> {
    const result = await this.client.query(
      'SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2',
      [table, column],
    );
    return result.rowCount === 1;
  }

  /**
   * `count` messages in `channelId`, written as the api writes them (apps/api/src/database/
   * migrations): seq 1..count, ids from mpqcht_uuid7(ms, seq) one millisecond apart so that id
   * order is seq order, and the channel's sequence row moved past them; `rev` = seq where the
   * schema has change numbers. One INSERT ... SELECT generate_series, then VACUUM ANALYZE.
   */
  async seedMessages(channelId: string, count: number, author: string, bytes: number): Promise<void> {
    const rev = await this.hasColumn('messages', 'rev');
    const lastRev = await this.hasColumn('channel_sequences', 'last_rev');
    const firstMs = Date.now() - count - 60_000;
    const filler = 'x'.repeat(Math.max(1, bytes - 24));
    await this.client.query(
      `INSERT INTO messages (id, channel_id, seq, ${rev ? 'rev, ' : ''}author_key, client_id, content, created_at)
       SELECT mpqcht_uuid7($3::bigint + g, g), $1, g, ${rev ? 'g, ' : ''}$4, gen_random_uuid(),
              'history ' || g || ' ' || $5, to_timestamp(($3::bigint + g) / 1000.0)
       FROM generate_series(1, $2::bigint) AS g`,
      [channelId, count, firstMs, author, filler],
    );
    await this.client.query(
      `INSERT INTO channel_sequences (channel_id, last_seq, ${lastRev ? 'last_rev, ' : ''}last_ms)
       VALUES ($1, $2, ${lastRev ? '$2, ' : ''}$3)
       ON CONFLICT (channel_id) DO UPDATE SET last_seq = EXCLUDED.last_seq,
         ${lastRev ? 'last_rev = EXCLUDED.last_rev, ' : ''}last_ms = EXCLUDED.last_ms`,
      [channelId, count, firstMs + count],
    );
    await this.client.query('VACUUM ANALYZE messages');
  }

  /** A statement of the search part's own (search/seed.ts, search/relation-sizes.ts). */
  async query<R extends QueryResultRow>(text: string, values: readonly unknown[] = []): Promise<R[]> {
    const result = await this.client.query<R>(text, [...values]);
    return result.rows;
  }

  /** The ids of `count` random messages of the channel with at least `older` messages before them. */
  async randomCursors(channelId: string, count: number, total: number, older: number): Promise<string[]> {
    const seqs = Array.from({ length: count }, () => older + 1 + Math.floor(Math.random() * (total - older)));
    const result = await this.client.query<{ id: string; seq: string }>(
      'SELECT id::text AS id, seq FROM messages WHERE channel_id = $1 AND seq = ANY($2::bigint[])',
      [channelId, seqs],
    );
    const bySeq = new Map(result.rows.map((row) => [Number(row.seq), row.id]));
    return seqs.flatMap((seq) => {
      const id = bySeq.get(seq);
      return id ? [id] : [];
    });
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
