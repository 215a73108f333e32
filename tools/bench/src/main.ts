/**
 * mpqcht benchmark harness, first cut (see docs/performance.md). Starts each server in turn (bare
 * Socket.IO, bare ws, the mpqcht api from dist/ on a throwaway PostgreSQL database), puts the same
 * open-loop load on each, and prints and saves the figures with their ratio to bare Socket.IO.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withClient } from '@mpqcht/test-harness';
import { percentiles, type Percentiles } from './stats';
import { pin, rssMb, sleep } from './system';
import {
  messageId,
  mpqchtTarget,
  socketIoTarget,
  wsTarget,
  type MpqchtTarget,
  type Receiver,
  type Target,
} from './targets';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const MESSAGE_BYTES = 200;
const DRAIN_MS = 3_000;
const LOGIN_CONCURRENCY = 10;

interface PhasePlan {
  readonly fanOut: number;
  readonly rate: number;
  readonly seconds: number;
}

/** --quick: fan-out 1 and 100 at one fixed rate each, a few seconds per phase. */
const QUICK_PLAN: readonly PhasePlan[] = [
  { fanOut: 1, rate: 500, seconds: 8 },
  { fanOut: 100, rate: 100, seconds: 8 },
];

interface PhaseResult {
  readonly fanOut: number;
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  readonly acked: number;
  readonly delivered: number;
  readonly expectedDeliveries: number;
  readonly deliveredPerSecond: number;
  readonly errors: number;
  readonly sendToAckMs: Percentiles | null;
  readonly sendToReceiveMs: Percentiles;
  /** CPU time (user + system) the load generator used during the phase, in ms and % of one core. */
  readonly loadCpuMs: number;
  readonly loadCpuPercent: number;
  readonly serverRssAfterMb: number;
}

interface ServerResult {
  readonly server: string;
  readonly idleRssMb: number;
  readonly rssAfterLoadMb: number;
  readonly connectPerSecond: number;
  readonly connectP99Ms: number;
  readonly phases: PhaseResult[];
}

function progress(line: string): void {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K${line}`);
  else console.log(line);
}

function content(): string {
  const words = 'lorem ipsum dolor sit amet consectetur ';
  return words.repeat(Math.ceil(MESSAGE_BYTES / words.length)).slice(0, MESSAGE_BYTES);
}

/** Opens `count` connections, `LOGIN_CONCURRENCY` at a time; returns them and the rate and p99. */
async function connectReceivers(
  target: Target,
  count: number,
  onMessage: (id: string) => void,
): Promise<{ receivers: Receiver[]; perSecond: number; timesMs: number[] }> {
  const receivers: Receiver[] = [];
  const timesMs: number[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const t0 = performance.now();
      receivers.push(await target.connectReceiver(onMessage));
      timesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOGIN_CONCURRENCY, count) }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { receivers, perSecond: count / seconds, timesMs };
}

async function runTarget(target: Target, plan: readonly PhasePlan[]): Promise<ServerResult> {
  await sleep(1_000);
  const idleRssMb = rssMb(target.pid);
  const sender = await target.connectSender();
  const sendTimes = new Map<string, number>();
  let receiveLatencies: number[] = [];
  let delivered = 0;
  const onMessage = (id: string) => {
    const sentAt = sendTimes.get(id);
    if (sentAt === undefined) return;
    delivered += 1;
    receiveLatencies.push(performance.now() - sentAt);
  };
  const receivers: Receiver[] = [];
  const connectTimes: number[] = [];
  let connectSeconds = 0;
  const phases: PhaseResult[] = [];

  for (const phase of plan) {
    if (receivers.length < phase.fanOut) {
      const more = phase.fanOut - receivers.length;
      const opened = await connectReceivers(target, more, onMessage);
      receivers.push(...opened.receivers);
      connectTimes.push(...opened.timesMs);
      connectSeconds += more / opened.perSecond;
    }
    sendTimes.clear();
    receiveLatencies = [];
    delivered = 0;
    const ackLatencies: number[] = [];
    let acked = 0;
    let ackFailures = 0;
    const total = Math.round(phase.rate * phase.seconds);
    const body = content();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    // Open loop: each message has its scheduled time start + i/rate, and latency counts from that
    // time, so a slow server cannot slow the offered load down (no coordinated omission).
    await new Promise<void>((resolve) => {
      const report = setInterval(() => {
        progress(
          `${target.name}: fan-out ${phase.fanOut} at ${phase.rate} msg/s: sent ${sent}/${total}, delivered ${delivered}`,
        );
      }, 1_000);
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) * phase.rate) / 1000) + 1);
        while (sent < due) {
          const scheduled = started + (sent * 1000) / phase.rate;
          const id = messageId();
          sendTimes.set(id, scheduled);
          sender.send(id, body, (ok) => {
            if (ok) {
              acked += 1;
              ackLatencies.push(performance.now() - scheduled);
            } else ackFailures += 1;
          });
          sent += 1;
        }
        if (sent >= total) {
          clearInterval(timer);
          clearInterval(report);
          resolve();
        }
      }, 1);
    });
    const expected = total * phase.fanOut;
    const drainUntil = performance.now() + DRAIN_MS;
    while (
      performance.now() < drainUntil &&
      (delivered < expected || (sender.acks && acked + ackFailures < total))
    ) {
      await sleep(20);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const elapsedMs = performance.now() - started;
    const loadCpuMs = (cpu.user + cpu.system) / 1000;
    const missingAcks = sender.acks ? total - acked - ackFailures : 0;
    phases.push({
      fanOut: phase.fanOut,
      rate: phase.rate,
      seconds: phase.seconds,
      sent: total,
      acked,
      delivered,
      expectedDeliveries: expected,
      deliveredPerSecond: delivered / phase.seconds,
      errors: ackFailures + missingAcks + Math.max(0, expected - delivered),
      sendToAckMs: sender.acks ? percentiles(ackLatencies) : null,
      sendToReceiveMs: percentiles(receiveLatencies),
      loadCpuMs,
      loadCpuPercent: (100 * loadCpuMs) / elapsedMs,
      serverRssAfterMb: rssMb(target.pid),
    });
    progress(`${target.name}: fan-out ${phase.fanOut} done: ${delivered}/${expected} delivered\n`);
  }
  const rssAfterLoadMb = rssMb(target.pid);
  for (const receiver of receivers) receiver.close();
  sender.close();
  const connectP99Ms = percentiles(connectTimes).p99;
  const handshakes = (target as Partial<MpqchtTarget>).handshakeMs;
  return {
    server: target.name,
    idleRssMb,
    rssAfterLoadMb,
    connectPerSecond: connectTimes.length / connectSeconds,
    // For mpqcht: the handshake alone (challenge, signature, Socket.IO connect), not member.join.
    connectP99Ms: handshakes ? percentiles(handshakes).p99 : connectP99Ms,
    phases,
  };
}

interface Row {
  readonly metric: string;
  readonly value: (result: ServerResult) => number | null;
  readonly unit: string;
}

function rows(plan: readonly PhasePlan[]): Row[] {
  const list: Row[] = [
    { metric: 'idle RSS after start', unit: 'MB', value: (r) => r.idleRssMb },
    { metric: 'RSS after load', unit: 'MB', value: (r) => r.rssAfterLoadMb },
    { metric: 'connects/s (mpqcht: authorize+login+join)', unit: '/s', value: (r) => r.connectPerSecond },
    { metric: 'connect p99 (mpqcht: login handshake)', unit: 'ms', value: (r) => r.connectP99Ms },
  ];
  plan.forEach((phase, i) => {
    const at = `fan-out ${phase.fanOut} @ ${phase.rate}/s`;
    const get = (r: ServerResult) => r.phases[i];
    list.push(
      { metric: `${at} delivered/s`, unit: '/s', value: (r) => get(r)?.deliveredPerSecond ?? null },
      { metric: `${at} errors`, unit: '', value: (r) => get(r)?.errors ?? null },
      { metric: `${at} send→ack p50`, unit: 'ms', value: (r) => get(r)?.sendToAckMs?.p50 ?? null },
      { metric: `${at} send→ack p99`, unit: 'ms', value: (r) => get(r)?.sendToAckMs?.p99 ?? null },
      { metric: `${at} send→receive p50`, unit: 'ms', value: (r) => get(r)?.sendToReceiveMs.p50 ?? null },
      { metric: `${at} send→receive p95`, unit: 'ms', value: (r) => get(r)?.sendToReceiveMs.p95 ?? null },
      { metric: `${at} send→receive p99`, unit: 'ms', value: (r) => get(r)?.sendToReceiveMs.p99 ?? null },
      { metric: `${at} load generator CPU`, unit: '%', value: (r) => get(r)?.loadCpuPercent ?? null },
    );
  });
  return list;
}

function format(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
}

function table(results: readonly ServerResult[], plan: readonly PhasePlan[]): string {
  const baseline = results.find((r) => r.server === 'socket.io');
  const lines: string[][] = [['server', 'metric', 'value', 'vs socket.io']];
  for (const row of rows(plan)) {
    for (const result of results) {
      const value = row.value(result);
      const base = baseline ? row.value(baseline) : null;
      const ratio = value !== null && base ? `${(value / base).toFixed(2)}x` : 'n/a';
      const cell = format(value);
      lines.push([result.server, row.metric, cell === 'n/a' ? cell : `${cell} ${row.unit}`.trim(), ratio]);
    }
  }
  const widths = lines[0]?.map((_, col) => Math.max(...lines.map((line) => line[col]?.length ?? 0))) ?? [];
  const render = (line: string[]) =>
    `| ${line.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join(' | ')} |`;
  const header = lines[0] ?? [];
  return [
    render(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(render),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!args.includes('--quick')) {
    console.error('bench: only --quick is implemented in this first cut (see docs/performance.md)');
    process.exitCode = 2;
    return;
  }
  const plan = QUICK_PLAN;
  process.env['DATABASE_URL'] ??= DEFAULT_DATABASE_URL;
  const databaseUrl = process.env['DATABASE_URL'];
  const postgres = await withClient(databaseUrl, async (client) => {
    const answer = await client.query<{ version: string }>('SELECT version()');
    return answer.rows[0]?.version ?? 'unknown';
  });
  const pinned = pin(process.pid, LOAD_CORE);
  const cpus = os.cpus();
  const machine = {
    host: os.hostname(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    postgres,
    pinned: pinned ? `server on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}` : 'no',
  };
  console.log(`machine: ${JSON.stringify(machine)}`);

  const results: ServerResult[] = [];
  const starts: (() => Promise<Target>)[] = [socketIoTarget, wsTarget, mpqchtTarget];
  for (const start of starts) {
    const target = await start();
    if (pinned) pin(target.pid, SERVER_CORE);
    try {
      results.push(await runTarget(target, plan));
    } finally {
      await target.stop();
    }
  }

  console.log(`\n${table(results, plan)}\n`);
  const date = new Date().toISOString().slice(0, 10);
  const file = path.resolve(__dirname, '..', 'results', `${date}-${machine.host}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    mode: 'quick',
    machine,
    messageBytes: MESSAGE_BYTES,
    plan,
    results,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
