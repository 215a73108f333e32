/**
 * The coordinator's handle on the flood process (flooder.ts): bundled with esbuild like the load
 * workers, forked, pinned to the load core and given the lowest priority (nice 19) so that the
 * honest clients' worker on the same core is never queued behind it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';

import { harnessEnv } from '@mpqcht/test-harness';

import { onCleanup } from '../cleanup';
import { pin } from '../system';
import type { FloodRequest, FloodResponse, FloodStart, FloodStats } from './flood-kinds';

const WORKSPACE = path.resolve(__dirname, '../../../..');
export const FLOOD_NICE = 19;

type Command = FloodRequest['command'];

export class FloodProcess {
  private nextId = 0;
  private readonly pending = new Map<number, (response: FloodResponse) => void>();
  readonly close: () => Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    dir: string,
  ) {
    this.close = onCleanup(() => {
      if (child.connected) child.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    });
    child.on('error', () => undefined);
    child.on('message', (response: FloodResponse) => {
      const waiting = this.pending.get(response.id);
      this.pending.delete(response.id);
      waiting?.(response);
    });
    child.once('exit', (code) => {
      for (const waiting of this.pending.values())
        waiting({ id: -1, error: `the flood process exited (${code})` });
      this.pending.clear();
    });
  }

  static start(core: number | undefined): FloodProcess {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-bench-flood-'));
    const file = path.join(dir, 'flooder.cjs');
    buildSync({
      entryPoints: [path.join(__dirname, 'flooder.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: path.join(__dirname, '..', '..', 'tsconfig.json'),
      logLevel: 'warning',
    });
    const child = fork(file, [], {
      env: { PATH: harnessEnv().path, NODE_PATH: path.join(WORKSPACE, 'node_modules') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    if (child.pid) {
      if (core !== undefined) pin(child.pid, core);
      os.setPriority(child.pid, FLOOD_NICE);
    }
    return new FloodProcess(child, dir);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private request(command: Command, args?: FloodStart): Promise<FloodStats | undefined> {
    if (!this.child.connected) return Promise.reject(new Error('the flood process is gone'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (response) => {
        if (response.error !== undefined) reject(new Error(`flood: ${response.error}`));
        else resolve(response.stats);
      });
      const message: FloodRequest =
        command === 'start' && args
          ? { id, command, args }
          : { id, command: command === 'stop' ? 'stop' : 'stats' };
      this.child.send(message);
    });
  }

  async begin(start: FloodStart): Promise<void> {
    await this.request('start', start);
  }

  /** Cumulative since `begin`. */
  async stats(): Promise<FloodStats | undefined> {
    return this.request('stats');
  }

  /** Stops it (the requests in flight are answered first) and says what it did in all. */
  async end(): Promise<FloodStats | undefined> {
    return this.request('stop');
  }
}
