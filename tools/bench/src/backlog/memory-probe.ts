/**
 * A probe `--require`d into a server process (through NODE_OPTIONS) that prints its
 * `process.memoryUsage()` on SIGUSR2, before and after a full garbage collection: whether the RSS
 * is live heap, garbage V8 has not collected, or memory outside the heap (Buffers, the allocator).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { sleep } from '../system';

const PROBE = `
const v8 = require('node:v8');
const vm = require('node:vm');
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  gc();
  const after = process.memoryUsage();
  process.stdout.write('MEMORY-PROBE ' + JSON.stringify({ before, after }) + '\\n');
});
`;

export interface MemoryUsageMb {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface MemoryProbe {
  readonly beforeGc: MemoryUsageMb;
  readonly afterGc: MemoryUsageMb;
}

/** Writes the probe into `dir`; returns the NODE_OPTIONS that load it. */
export function probeNodeOptions(dir: string): string {
  const file = path.join(dir, 'memory-probe.cjs');
  fs.writeFileSync(file, PROBE);
  return `--require ${file}`;
}

function mb(usage: Record<string, number>): MemoryUsageMb {
  const of = (key: string) => Math.round(((usage[key] ?? 0) / 1024 / 1024) * 10) / 10;
  return {
    rss: of('rss'),
    heapTotal: of('heapTotal'),
    heapUsed: of('heapUsed'),
    external: of('external'),
    arrayBuffers: of('arrayBuffers'),
  };
}

/** Signals the process and reads the probe's next line from its output. */
export async function readMemory(pid: number, output: () => string): Promise<MemoryProbe | null> {
  const seen = output().split('MEMORY-PROBE ').length;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await sleep(50);
    const parts = output().split('MEMORY-PROBE ');
    const line = parts.length > seen ? parts[seen]?.split('\n')[0] : undefined;
    if (line) {
      const parsed = JSON.parse(line) as { before: Record<string, number>; after: Record<string, number> };
      return { beforeGc: mb(parsed.before), afterGc: mb(parsed.after) };
    }
  }
  return null;
}
