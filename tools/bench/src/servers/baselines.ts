/**
 * The baselines (src/baselines/*.ts) as processes: transpiled once with esbuild to plain CommonJS
 * in a temporary directory so that the measured process is bare `node` (no TypeScript loader in its
 * RSS); NODE_PATH lets them resolve the workspace's socket.io and ws.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';

import { harnessEnv } from '@mpqcht/test-harness';

import { onCleanup } from '../cleanup';
import { type ServerProcess, spawnServer } from './server-process';

const WORKSPACE = path.resolve(__dirname, '../../../..');
const START_TIMEOUT_MS = 15_000;

export type BaselineName = 'socketio-server' | 'ws-server';

export interface BaselineProcess extends ServerProcess {
  dispose(): Promise<void>;
}

export async function startBaseline(
  name: BaselineName,
  env: Record<string, string> = {},
): Promise<BaselineProcess> {
  const source = fs.readFileSync(path.join(__dirname, '..', 'baselines', `${name}.ts`), 'utf8');
  const { code } = transformSync(source, { loader: 'ts', format: 'cjs', platform: 'node', target: 'node20' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-bench-'));
  const file = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(file, code);
  const server = await spawnServer(
    name,
    process.execPath,
    [file],
    { PATH: harnessEnv().path, NODE_PATH: path.join(WORKSPACE, 'node_modules'), ...env },
    /listening (\d+)/,
    START_TIMEOUT_MS,
  );
  const dispose = onCleanup(async () => {
    await server.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { ...server, dispose };
}
