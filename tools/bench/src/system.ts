import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformSync } from 'esbuild';

const WORKSPACE = path.resolve(__dirname, '../../..');

/** Resident set size of a process in MB, from /proc/<pid>/status (VmRSS); NaN if unreadable. */
export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

let tasksetAvailable: boolean | undefined;

/** Pins every thread of `pid` to `core` with taskset; false when taskset or the core is missing. */
export function pin(pid: number, core: number): boolean {
  if (os.cpus().length < 2) return false;
  if (tasksetAvailable === false) return false;
  try {
    execFileSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });
    tasksetAvailable = true;
    return true;
  } catch {
    tasksetAvailable = false;
    return false;
  }
}

export interface BaselineProcess {
  readonly child: ChildProcess;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts a baseline server from src/baselines. The TypeScript source is transpiled once to plain
 * CommonJS in a temporary directory so that the measured process is bare `node` (no tsx loader in
 * its RSS); NODE_PATH lets it resolve the workspace's socket.io and ws.
 */
export async function startBaseline(name: 'socketio-server' | 'ws-server'): Promise<BaselineProcess> {
  const source = fs.readFileSync(path.join(__dirname, 'baselines', `${name}.ts`), 'utf8');
  const { code } = transformSync(source, { loader: 'ts', format: 'cjs', platform: 'node', target: 'node20' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-bench-'));
  const file = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(file, code);
  const child = spawn(process.execPath, [file], {
    env: { PATH: process.env['PATH'] ?? '', NODE_PATH: path.join(WORKSPACE, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening:\n${output}`));
    });
  });
  return {
    child,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
