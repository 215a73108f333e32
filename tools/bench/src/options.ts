/** Command line: `npm run bench -- [--quick] [--embedded] [--targets=socket.io,ws,mpqcht] [--api=FILE] ...`. */
import * as path from 'node:path';

import { API_MAIN } from '@mpqcht/test-harness';

import { type Part, PARTS } from './plan';

export interface Options {
  readonly quick: boolean;
  readonly embedded: boolean;
  /** Names of the targets to run (socket.io, ws, mpqcht); all by default. */
  readonly targets: readonly string[] | undefined;
  readonly apiMain: string;
  /** Node and V8 flags for the api process (e.g. --optimize-for-size), recorded in the report. */
  readonly apiNodeFlags: readonly string[];
  readonly workers: number | undefined;
  readonly parts: readonly Part[] | undefined;
  /** Only these of the plan's fan-outs (for the saturation searches). */
  readonly fanOuts: readonly number[] | undefined;
}

export const USAGE = `usage: npm run bench -- [options]
  --quick             a short run (under 2 minutes): smaller ramp, fan-out 1 and 100, 100k history
                      (fan-out 100 twice for mpqcht: into the channel, then into a thread of it)
  --embedded          mpqcht on its embedded PostgreSQL (as npm start) instead of DATABASE_URL
  --targets=a,b       only these of socket.io, ws, mpqcht (the table's ratios need socket.io)
  --api=FILE          the api build to run (default dist/apps/api/main.js)
  --api-node-flags=a,b  Node/V8 flags for the api process, e.g. --api-node-flags=--optimize-for-size
  --workers=N         load worker processes (default 2)
  --parts=a,b         only these of ramp (with cold start and idle memory), load, history, search
                      (default ramp,load,history; search, mpqcht only, is run only when named:
                      --targets=mpqcht --parts=search seeds 1M messages (--quick: 100k) and measures
                      search.messages one at a time and 50 in flight; pow, mpqcht only, also only
                      when named: honest logins before and during floods of challenge requests)
  --fan-outs=a,b      only these fan-outs of the plan (quick: 1, 100; full: 1, 100, 1000)
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) must let it create databases.`;

export function parseOptions(args: readonly string[]): Options | string {
  let quick = false;
  let embedded = false;
  let targets: string[] | undefined;
  let apiMain = API_MAIN;
  let apiNodeFlags: string[] = [];
  let workers: number | undefined;
  let parts: Part[] | undefined;
  let fanOuts: number[] | undefined;
  for (const arg of args) {
    const [flag, value] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--quick') quick = true;
    else if (flag === '--embedded') embedded = true;
    else if (flag === '--targets' && value) targets = value.split(',').filter((t) => t.length > 0);
    else if (flag === '--api' && value) apiMain = path.resolve(value);
    else if (flag === '--api-node-flags' && value) {
      apiNodeFlags = value.split(',').filter((f) => f.length > 0);
      if (apiNodeFlags.some((f) => !f.startsWith('--'))) return `not a flag in ${arg}\n${USAGE}`;
    } else if (flag === '--workers' && value && Number(value) >= 1) workers = Math.floor(Number(value));
    else if (flag === '--parts' && value) {
      const wanted = value.split(',');
      parts = PARTS.filter((part) => wanted.includes(part));
      if (parts.length !== wanted.length) return `unknown part in ${arg}\n${USAGE}`;
    } else if (flag === '--fan-outs' && value) {
      fanOuts = value.split(',').map(Number);
      if (fanOuts.some((n) => !Number.isInteger(n) || n < 1)) return `not a fan-out in ${arg}\n${USAGE}`;
    } else return `unknown option ${arg}\n${USAGE}`;
  }
  return { quick, embedded, targets, apiMain, apiNodeFlags, workers, parts, fanOuts };
}
