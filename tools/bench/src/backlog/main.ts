/**
 * Memory under clients that do not keep up (docs/performance.md, "Stalled and slow clients"):
 *
 * - `stalled`: 200 members stop reading their TCP sockets (and answer heartbeats blindly) while
 *   one member sends 200 messages/s of 4,000 bytes into their channel for 30 s; one reader checks
 *   that deliveries go on;
 * - `overload`: 1,000 reading members in one channel at 100 messages/s of 4,000 bytes for 20 s,
 *   more than the server (and the load generator) can deliver, so readers fall behind.
 *
 * Not part of `npm test`: `npm run bench:backlog -- [--api=FILE] [--scenarios=stalled,overload]
 * [--targets=mpqcht,socket.io] [--label=NAME] [--node-options="--max-semi-space-size=8 ..."]`
 * (V8 flags for every server process, after the memory probe's). Pinned as the benchmark is
 * (run-target.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'prettier';

import { API_MAIN, harnessEnv, tempDir } from '@mpqcht/test-harness';

import { installSignalHandlers, interrupted } from '../cleanup';
import { dropLeftoverDatabases } from '../database';
import { describeBuild, describeMachine } from '../machine';
import { LoadPool } from '../pool';
import { logLine, resetClock } from '../progress';
import { LOAD_CORE, SERVER_CORE } from '../run-target';
import { canPin, pin } from '../system';
import { targetDefinitions } from '../targets';
import { probeNodeOptions } from './memory-probe';
import { runScenario, type ScenarioResult, type ScenarioSettings } from './scenario';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export const SCENARIOS: Record<string, ScenarioSettings> = {
  stalled: {
    name: 'stalled',
    readers: 1,
    stalled: 200,
    rate: 200,
    bytes: 4000,
    seconds: 30,
    settleMs: 5_000,
  },
  overload: {
    name: 'overload',
    readers: 1000,
    stalled: 0,
    rate: 100,
    bytes: 4000,
    seconds: 20,
    settleMs: 5_000,
  },
};

function option(name: string): string | undefined {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

function row(r: ScenarioResult): string {
  const m = r.memory?.afterGc;
  const breakdown = m
    ? `after GC: rss ${m.rss}, heap used ${m.heapUsed} of ${m.heapTotal}, external ${m.external} (array buffers ${m.arrayBuffers})`
    : 'no probe';
  return (
    `${r.target.padEnd(10)} ${r.scenario.name.padEnd(9)} idle ${r.idleRssMb} MB, connected ${r.connectedRssMb}, ` +
    `peak ${r.peakRssMb}, end of sending ${r.endOfSendingRssMb}, after ${r.afterRssMb} MB, 30 s after ${r.lateRssMb} MB; ` +
    `${breakdown}; ` +
    `sent ${r.sent}, delivered ${r.delivered}/${r.expected}, dropped ${r.dropped}, ` +
    `server CPU ${r.serverCpuPercent} %, load ${r.loadCpuPercent} %`
  );
}

async function main(): Promise<void> {
  const known = ['api', 'scenarios', 'targets', 'label', 'node-options'];
  const unknown = process.argv.slice(2).filter((a) => !known.some((k) => a.startsWith(`--${k}=`)));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(' ')}`);
  const apiMain = path.resolve(option('api') ?? API_MAIN);
  const scenarios = (option('scenarios') ?? 'stalled,overload').split(',').map((name) => {
    const settings = SCENARIOS[name];
    if (!settings) throw new Error(`unknown scenario ${name}`);
    return settings;
  });
  const targets = (option('targets') ?? 'mpqcht').split(',');
  const label = option('label') ?? 'run';
  installSignalHandlers();
  const databaseServerUrl = harnessEnv().databaseUrl ?? DEFAULT_DATABASE_URL;
  await dropLeftoverDatabases(databaseServerUrl);
  const pinned = canPin() && pin(process.pid, LOAD_CORE);
  const machine = await describeMachine(
    databaseServerUrl,
    pinned ? `server on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}, PostgreSQL unpinned` : 'no',
  );
  const probeDir = tempDir('mpqcht-backlog-');
  const definitions = targetDefinitions({
    apiMain,
    embedded: false,
    databaseServerUrl,
    serverEnv: { NODE_OPTIONS: [probeNodeOptions(probeDir), option('node-options') ?? ''].join(' ').trim() },
  }).filter((d) => targets.includes(d.name));
  resetClock();
  const pool = LoadPool.start(2, pinned ? LOAD_CORE : undefined);
  const results: ScenarioResult[] = [];
  try {
    for (const settings of scenarios) {
      for (const definition of definitions) {
        if (interrupted()) return;
        results.push(await runScenario(definition, pool, pinned, settings));
      }
    }
  } finally {
    await pool.close();
    fs.rmSync(probeDir, { recursive: true, force: true });
  }
  console.log(`\n${results.map(row).join('\n')}\n`);
  const date = new Date().toISOString().slice(0, 10);
  const file = path.resolve(
    __dirname,
    '..',
    '..',
    'results',
    `${date}-${machine.host}-backlog-${label}.json`,
  );
  const report = {
    date: new Date().toISOString(),
    label,
    api: describeBuild(apiMain),
    nodeOptions: option('node-options') ?? '',
    machine,
    results,
  };
  fs.writeFileSync(file, await format(JSON.stringify(report), { parser: 'json' }));
  logLine(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
