/**
 * mpqcht benchmark harness (docs/performance.md, DESIGN.md section 9). Starts each server in turn
 * (bare Socket.IO, bare ws, the mpqcht api from dist/ on a throwaway PostgreSQL database or its
 * embedded PostgreSQL), puts the same load on each from worker processes pinned to another core,
 * and prints and saves the figures with their ratio to bare Socket.IO.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'prettier';

import { harnessEnv } from '@mpqcht/test-harness';

import { installSignalHandlers, interrupted } from './cleanup';
import { dropLeftoverDatabases } from './database';
import { describeBuild, describeMachine } from './machine';
import { parseOptions, USAGE } from './options';
import { DEFAULT_PARTS, fullPlan, type Part, quickPlan } from './plan';
import { LoadPool } from './pool';
import { logLine, resetClock } from './progress';
import { table } from './report';
import { LOAD_CORE, runTarget, SERVER_CORE, type TargetResult } from './run-target';
import { canPin, pin } from './system';
import { targetDefinitions } from './targets';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function sameParts(a: readonly Part[], b: readonly Part[]): boolean {
  return a.length === b.length && a.every((part) => b.includes(part));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    console.error(options);
    process.exitCode = 2;
    return;
  }
  if (!fs.existsSync(options.apiMain)) {
    console.error(`bench: ${options.apiMain} is missing: run \`npx nx run api:build\` first`);
    process.exitCode = 2;
    return;
  }
  const base = options.quick ? quickPlan() : fullPlan();
  const wanted = options.fanOuts;
  const plan = {
    ...base,
    workers: options.workers ?? base.workers,
    parts: options.parts ?? base.parts,
    fanOuts: wanted ? base.fanOuts.filter((f) => wanted.includes(f.fanOut)) : base.fanOuts,
  };
  const missing = wanted?.filter((n) => !plan.fanOuts.some((f) => f.fanOut === n)) ?? [];
  if (missing.length > 0) {
    console.error(`bench: fan-out ${missing.join(', ')} is not in the ${plan.mode} plan`);
    process.exitCode = 2;
    return;
  }
  installSignalHandlers();
  const databaseServerUrl = harnessEnv().databaseUrl ?? DEFAULT_DATABASE_URL;
  if (!options.embedded) {
    const dropped = await dropLeftoverDatabases(databaseServerUrl);
    if (dropped.length > 0)
      console.log(`dropped the databases of an earlier, interrupted run: ${dropped.join(', ')}`);
  }
  const pinned = canPin() && pin(process.pid, LOAD_CORE);
  const machine = await describeMachine(
    databaseServerUrl,
    pinned ? `server on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}, PostgreSQL unpinned` : 'no',
  );
  console.log(`machine: ${JSON.stringify(machine)}`);
  resetClock();
  const started = performance.now();
  const definitions = targetDefinitions({
    apiMain: options.apiMain,
    apiNodeFlags: options.apiNodeFlags,
    embedded: options.embedded,
    databaseServerUrl,
  }).filter((d) => !options.targets || options.targets.includes(d.kind) || options.targets.includes(d.name));

  // Forked after pinning, the workers start on the load core too.
  const pool = LoadPool.start(plan.workers, pinned ? LOAD_CORE : undefined);
  const results: TargetResult[] = [];
  const failures: { target: string; error: string }[] = [];
  try {
    for (const definition of definitions) {
      if (interrupted()) break;
      try {
        results.push(await runTarget(definition, plan, pool, pinned));
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        logLine(`${definition.name}: FAILED: ${message}`);
        failures.push({ target: definition.name, error: message });
      }
    }
  } finally {
    await pool.close();
  }

  if (interrupted()) return;
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${table(results)}\n`);
  const date = new Date().toISOString().slice(0, 10);
  // A run of other parts than the default ones is named after them, so it cannot overwrite a full run.
  const partsSuffix = sameParts(plan.parts, DEFAULT_PARTS) ? '' : `-${plan.parts.join('-')}`;
  const suffix = `${options.quick ? '-quick' : ''}${options.embedded ? '-embedded' : ''}${partsSuffix}`;
  const file = path.resolve(__dirname, '..', 'results', `${date}-${machine.host}${suffix}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    mode: plan.mode,
    embedded: options.embedded,
    durationSeconds: Math.round(seconds),
    api: { ...describeBuild(options.apiMain), nodeFlags: options.apiNodeFlags },
    machine,
    plan,
    failures,
    results,
  };
  // Formatted as the workspace's `prettier --check .` wants it (results are committed).
  fs.writeFileSync(file, await format(JSON.stringify(report), { parser: 'json' }));
  console.log(`${seconds.toFixed(0)} s; written ${path.relative(process.cwd(), file)}`);
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  console.error(USAGE);
  process.exitCode = 1;
});
