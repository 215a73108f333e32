import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { createDatabase, dropDatabase, serverUrl } from './database';
import { harnessEnv } from './harness-env';

const WORKSPACE = path.resolve(__dirname, '../../../..');
export const API_MAIN = path.join(WORKSPACE, 'dist/apps/api/main.js');
const START_TIMEOUT_MS = 45_000;

export interface ApiOptions {
  /** config.toml text; the default has one group and two channels and no root key. */
  readonly configToml: string;
  /** PUBLIC_ORIGIN; `http://127.0.0.1:<port>` with a fixed `port`, `http://mpqcht.test` otherwise. */
  readonly publicOrigin?: string;
  /** Listen on this port (see `freePort`), e.g. to restart a server at the same address; 0 otherwise. */
  readonly port?: number;
  /** Reuse a DATA_DIR (restart tests); a fresh temporary one otherwise. */
  readonly dataDir?: string;
  /** Reuse a database (restart tests with DATABASE_URL set); a fresh one otherwise. */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
}

export interface ApiProcess {
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  /** The config.toml the process runs with (live reload tests rewrite it). */
  readonly configPath: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** A URL with which the test can reach the api's database directly. */
  databaseUrl(): string;
  /** SIGTERM and wait for the exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<void>;
  /** Stop and remove the temporary data (and the test database). */
  dispose(): Promise<void>;
}

/**
 * Suites log in far faster than a community does, from one address: proof-of-work would rise in
 * the middle of unrelated tests. It stays off unless a suite brings its own `[pow]` (pow.spec.ts).
 */
const SUITE_POW = `
[pow]
raise_above = 1000000
`;

export function defaultConfig(rootKeys: readonly string[] = [], extra = ''): string {
  return `
[server]
name = "e2e"
root_keys = [${rootKeys.map((k) => `"${k}"`).join(', ')}]

[limits]
max_message_length = 500
# Generous rate limits: every test connects from 127.0.0.1 (rate-limits.spec.ts tests them).
burst = 10000
rate_per_second = 10000
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000
# Suites hold many sockets of one key open at once (rate-limits.spec.ts tests the cap).
connections_per_key = 1000

[[roles]]
id = "helper"
name = "Helper"
permissions = ["manage_members"]

[[roles]]
id = "plain"
name = "Plain"

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"

[[channels]]
id = "random"
name = "random"
group = "general"
${extra.includes('[pow]') ? '' : SUITE_POW}${extra}`;
}

export function tempDir(prefix = 'mpqcht-e2e-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // As root, the embedded PostgreSQL runs as the `postgres` user and must reach DATA_DIR inside.
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Runs the built api (`dist/apps/api/main.js`) with the given config until it is stopped. */
export function runApi(configPath: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [API_MAIN], {
    env: {
      PATH: harnessEnv().path,
      HOME: harnessEnv().home,
      CONFIG_PATH: configPath,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function startApi(options: ApiOptions): Promise<ApiProcess> {
  const dir = tempDir();
  const dataDir = options.dataDir ?? path.join(dir, 'data');
  const configPath = path.join(dir, 'config.toml');
  fs.writeFileSync(configPath, options.configToml);
  const base = serverUrl();
  const ownDatabase = base && !options.databaseUrl ? await createDatabase(base) : undefined;
  const databaseUrl = options.databaseUrl ?? ownDatabase;
  const origin =
    options.publicOrigin ?? (options.port ? `http://127.0.0.1:${options.port}` : 'http://mpqcht.test');
  const child = runApi(configPath, {
    PORT: String(options.port ?? 0),
    HOST: '127.0.0.1',
    PUBLIC_ORIGIN: origin,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'log',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.env,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`api did not start in time:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`api exited with ${code} before listening:\n${output}`));
    });
  });

  const api: ApiProcess = {
    url: `http://127.0.0.1:${port}`,
    origin,
    dataDir,
    configPath,
    child,
    output: () => output,
    databaseUrl: () => databaseUrl ?? embeddedUrl(dataDir),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    dispose: async () => {
      await api.stop();
      if (ownDatabase) await dropDatabase(ownDatabase);
      // `dir` holds config.toml and, unless the caller brought its own, DATA_DIR.
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return api;
}

/** The embedded cluster's URL, read the way an operator would: port from postmaster.pid, password file. */
export function embeddedUrl(dataDir: string): string {
  const pid = fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n');
  const password = fs.readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
  return `postgres://postgres:${password}@127.0.0.1:${pid[3]}/postgres`;
}
