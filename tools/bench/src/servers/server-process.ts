/**
 * A server under test as a child process: spawned with every core allowed (the coordinator itself
 * is pinned to the load core and children inherit that), timed from spawn to its "listening" line.
 */
import { type ChildProcess, spawn } from 'node:child_process';

import { nowMs } from '../clock';
import { allCores, canPin } from '../system';

const OUTPUT_KEPT = 200_000;
const STOP_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** Shared monotonic clock (clock.ts): when the process was spawned and when it said it listens. */
  readonly spawnedAtMs: number;
  readonly listeningAtMs: number;
  /** The end of what it printed. */
  output(): string;
  /** SIGTERM, then SIGKILL after a while; resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, no shutdown. */
  kill(): Promise<void>;
}

export async function spawnServer(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  listening: RegExp,
  timeoutMs: number,
): Promise<ServerProcess> {
  const argv = canPin() ? ['taskset', '-c', allCores(), command, ...args] : [command, ...args];
  const spawnedAtMs = nowMs();
  const child = spawn(argv[0] ?? command, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > OUTPUT_KEPT * 2) output = output.slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${output.slice(-4000)}`));
    }, timeoutMs);
    const onData = () => {
      const match = listening.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening:\n${output.slice(-4000)}`));
    });
  });
  const listeningAtMs = nowMs();
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid ?? 0,
    port,
    spawnedAtMs,
    listeningAtMs,
    output: () => output,
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (alive()) child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
    kill: async () => {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
}
