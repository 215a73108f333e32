/**
 * The load generator: worker processes (worker/worker.ts, bundled once with esbuild into plain
 * CommonJS so they run on bare `node`), each holding a share of the connections, driven over IPC.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

import { harnessEnv } from '@mpqcht/test-harness';

import { onCleanup } from './cleanup';
import type { CommandName, Commands, Request, Response } from './ipc';
import { pin } from './system';

const WORKSPACE = path.resolve(__dirname, '../../..');
/** Resolved at run time from the workspace's node_modules, not bundled. */
const EXTERNAL = ['ws', 'socket.io-client', 'hdr-histogram-js', 'bufferutil', 'utf-8-validate'];

function bundleWorker(): { file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-bench-worker-'));
  const file = path.join(dir, 'worker.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, 'worker', 'worker.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    tsconfig: path.join(__dirname, '..', 'tsconfig.json'),
    logLevel: 'warning',
  });
  return { file, dir };
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export class LoadPool {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  readonly close: () => Promise<void>;

  private constructor(
    private readonly children: readonly ChildProcess[],
    private readonly dir: string,
  ) {
    this.close = onCleanup(() => {
      for (const child of this.children) {
        if (child.connected) child.disconnect();
      }
      fs.rmSync(this.dir, { recursive: true, force: true });
      return Promise.resolve();
    });
    for (const child of children) {
      child.on('error', () => undefined); // a send after the channel closed: its request rejects
      child.on('message', (response: Response) => {
        const waiting = this.pending.get(response.id);
        this.pending.delete(response.id);
        if (!waiting) return;
        if (response.ok) waiting.resolve(response.result);
        else waiting.reject(new Error(`worker: ${response.error}`));
      });
      child.once('exit', (code) => {
        for (const waiting of this.pending.values()) waiting.reject(new Error(`a worker exited (${code})`));
        this.pending.clear();
      });
    }
  }

  /** Forks `count` workers, each pinned to `core` when pinning is on. */
  static start(count: number, core: number | undefined): LoadPool {
    const { file, dir } = bundleWorker();
    const children = Array.from({ length: count }, () => {
      const child = fork(file, [], {
        env: { PATH: harnessEnv().path, NODE_PATH: path.join(WORKSPACE, 'node_modules') },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: [], // not the coordinator's tsx loader: the bundle is plain CommonJS
      });
      if (core !== undefined && child.pid) pin(child.pid, core);
      return child;
    });
    return new LoadPool(children, dir);
  }

  get size(): number {
    return this.children.length;
  }

  get pids(): number[] {
    return this.children.flatMap((child) => (child.pid ? [child.pid] : []));
  }

  request<C extends CommandName>(
    worker: number,
    command: C,
    args: Commands[C]['args'],
  ): Promise<Commands[C]['result']> {
    const child = this.children[worker];
    if (!child?.connected) return Promise.reject(new Error(`worker ${worker} is gone`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (result) => resolve(result as Commands[C]['result']), reject });
      const request: Request<C> = { id, command, args };
      child.send(request, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  /** The same command to every worker (or per-worker arguments), in parallel. */
  all<C extends CommandName>(
    command: C,
    args: Commands[C]['args'] | ((worker: number) => Commands[C]['args']),
  ): Promise<Commands[C]['result'][]> {
    return Promise.all(
      this.children.map((_, worker) =>
        this.request(worker, command, typeof args === 'function' ? args(worker) : args),
      ),
    );
  }
}

/** `total` split over `parts` as evenly as possible (the first ones get the remainder). */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
