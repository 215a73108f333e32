/** The machine a run was measured on, and the api build it ran, for the report. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { withClient } from '@mpqcht/test-harness';

const WORKSPACE = path.resolve(__dirname, '../../..');

export interface Machine {
  readonly host: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly kernel: string;
  readonly node: string;
  /** `SELECT version()` of the PostgreSQL server at DATABASE_URL (embedded: see each result). */
  readonly postgres: string;
  readonly pinning: string;
  readonly loadAverage: readonly number[];
}

export async function describeMachine(databaseUrl: string, pinning: string): Promise<Machine> {
  const postgres = await withClient(databaseUrl, async (client) => {
    const answer = await client.query<{ version: string }>('SELECT version()');
    return answer.rows[0]?.version ?? 'unknown';
  }).catch((error: unknown) => `unreachable (${error instanceof Error ? error.message : String(error)})`);
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres,
    pinning,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

export interface Build {
  /** The api file that ran, its sha-256 (first 16 hex digits) and modification time. */
  readonly apiMain: string;
  readonly sha256: string;
  readonly builtAt: string;
  /**
   * For a build inside this workspace (dist/ is built from the work tree): the commit, and whether
   * apps/api or libs had uncommitted changes. null for a build from elsewhere (--api).
   */
  readonly workspaceCommit: string | null;
  readonly workspaceDirty: boolean | null;
}

function git(args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', args, {
      cwd: WORKSPACE,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

export function describeBuild(apiMain: string): Build {
  const inside = !path.relative(WORKSPACE, apiMain).startsWith('..');
  const status = inside ? git(['status', '--porcelain', '--', 'apps/api', 'libs']) : undefined;
  return {
    apiMain: path.relative(WORKSPACE, apiMain),
    sha256: createHash('sha256').update(fs.readFileSync(apiMain)).digest('hex').slice(0, 16),
    builtAt: fs.statSync(apiMain).mtime.toISOString(),
    workspaceCommit: inside ? (git(['rev-parse', 'HEAD']) ?? null) : null,
    workspaceDirty: status === undefined ? null : status.length > 0,
  };
}
