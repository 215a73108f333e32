import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

import { harnessEnv } from './harness-env';

/**
 * Test databases. With DATABASE_URL set (CI: the machine's PostgreSQL), every api process gets a
 * fresh database on that server, dropped afterwards. Without it, the api runs its own embedded
 * PostgreSQL in a temporary DATA_DIR, as a newcomer's `npm start` does.
 */
export function serverUrl(): string | undefined {
  return harnessEnv().databaseUrl;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(baseUrl: string): Promise<string> {
  const name = `mpqcht_e2e_${randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
