/**
 * The mpqcht api from its production build (dist/apps/api/main.js), on a throwaway database of the
 * PostgreSQL server at DATABASE_URL, or (embedded) on the embedded PostgreSQL it starts itself in a
 * fresh DATA_DIR when DATABASE_URL is unset, as `npm start` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { embeddedUrl, harnessEnv, tempDir } from '@mpqcht/test-harness';

import { onCleanup } from '../cleanup';
import { nowMs } from '../clock';
import { createBenchDatabase, dropBenchDatabase } from '../database';
import { childPids, sleep } from '../system';
import { type ServerProcess, spawnServer } from './server-process';

const START_TIMEOUT_MS = 90_000;
export const PUBLIC_ORIGIN = 'http://mpqcht.test';

export interface MpqchtOptions {
  readonly apiMain: string;
  /** Node and V8 flags before the api's file (bench --api-node-flags). */
  readonly nodeFlags?: readonly string[];
  /** Unset: the embedded PostgreSQL. */
  readonly databaseServerUrl: string | undefined;
  readonly configToml: string;
  /** More environment for the api (e.g. NODE_OPTIONS for a memory probe). */
  readonly env?: Record<string, string>;
}

export interface MpqchtProcess extends ServerProcess {
  readonly url: string;
  /** A URL to reach the api's database directly (to count and seed messages). */
  readonly databaseUrl: string;
  readonly embedded: boolean;
  /** The embedded postmaster's pid (its children are the backends); undefined on a shared server. */
  postmasterPid(): number | undefined;
  /** Kill (and stop its embedded PostgreSQL), then drop the database / remove DATA_DIR. */
  dispose(): Promise<void>;
}

function postmasterOf(dataDir: string): number | undefined {
  try {
    const pid = Number(
      fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function stopPostmaster(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    return;
  }
  const deadline = nowMs() + 20_000;
  while (nowMs() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(50);
  }
}

export async function startMpqcht(options: MpqchtOptions): Promise<MpqchtProcess> {
  const dir = tempDir('mpqcht-bench-');
  const dataDir = path.join(dir, 'data');
  const configPath = path.join(dir, 'config.toml');
  fs.writeFileSync(configPath, options.configToml);
  const ownDatabase = options.databaseServerUrl
    ? await createBenchDatabase(options.databaseServerUrl)
    : undefined;
  const env: Record<string, string> = {
    PATH: harnessEnv().path,
    HOME: harnessEnv().home,
    CONFIG_PATH: configPath,
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'log',
    ...(ownDatabase ? { DATABASE_URL: ownDatabase } : {}),
    ...options.env,
  };
  let server: ServerProcess;
  try {
    server = await spawnServer(
      'mpqcht',
      process.execPath,
      [...(options.nodeFlags ?? []), options.apiMain],
      env,
      /listening on http:\/\/[^:]+:(\d+)/,
      START_TIMEOUT_MS,
    );
  } catch (error) {
    if (ownDatabase) await dropBenchDatabase(ownDatabase);
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const postmasterPid = () => (ownDatabase ? undefined : postmasterOf(dataDir));
  /** After a SIGKILL the api cannot stop its embedded PostgreSQL: the harness does. */
  const stopEmbedded = async () => {
    const pid = postmasterOf(dataDir);
    if (!ownDatabase && pid !== undefined) await stopPostmaster(pid);
  };
  // Killed, not stopped: a graceful stop of thousands of sockets takes long and measures nothing.
  const dispose = onCleanup(async () => {
    await server.kill();
    await stopEmbedded();
    // BENCH_KEEP_DB=1 keeps the seeded database, to EXPLAIN queries on it afterwards (docs/performance.md).
    if (ownDatabase && !process.env['BENCH_KEEP_DB']) await dropBenchDatabase(ownDatabase);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    ...server,
    url: `http://127.0.0.1:${server.port}`,
    databaseUrl: ownDatabase ?? embeddedUrl(dataDir),
    embedded: !ownDatabase,
    postmasterPid,
    kill: async () => {
      await server.kill();
      await stopEmbedded();
    },
    dispose,
  };
}

/** The embedded cluster's processes: the postmaster and its children. */
export function embeddedPostgresPids(postmaster: number): number[] {
  return [postmaster, ...childPids(postmaster)];
}
