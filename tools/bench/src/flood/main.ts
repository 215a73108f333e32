/**
 * One key floods, another member waits (docs/performance.md, "One key flooding"): a plain member
 * opens `--sockets` connections and keeps `--window` refused requests in flight on each (a
 * `members.kick` it has no permission for, answered `forbidden` until its budget says
 * `rate_limited`), reconnecting with a fresh login whenever the server ends a connection. Meanwhile
 * another plain member asks `session.get` 8 times a second and the latency of its answers is
 * recorded: first `--seconds` without the flood, then `--seconds` with it.
 *
 * Not part of `npm test`: `npm run bench:flood -- [--api=FILE] [--sockets=20] [--window=32]
 * [--seconds=10]`. The server runs on core 0, this process on core 1 (as the benchmark pins them).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { io, type Socket } from 'socket.io-client';

import { API_MAIN } from '@mpqcht/test-harness';

import { installSignalHandlers } from '../cleanup';
import { nowMs } from '../clock';
import { type Latency, latency, newHistogram, recordMs } from '../histogram';
import type { TargetSpec } from '../ipc';
import { LOAD_CORE, SERVER_CORE } from '../run-target';
import { PUBLIC_ORIGIN, startMpqcht } from '../servers/mpqcht';
import { canPin, cpuMs, pin, sleep } from '../system';
import { type Key, loginAuth, newKey } from '../worker/login';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const VICTIM_RATE = 8;
const ACK_TIMEOUT_MS = 10_000;

/** Plain members get the default limits (burst 30, 10/s); nothing here is specific to one build. */
function floodConfig(rootKey: string): string {
  return `
[server]
name = "flood"
root_keys = ["${rootKey}"]

[limits]
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
`;
}

function option(name: string, fallback: string): string {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3) ?? fallback;
}

function codeOf(envelope: unknown): string {
  if (typeof envelope !== 'object' || envelope === null || !('ok' in envelope)) return 'malformed';
  if (envelope.ok === true) return 'ok';
  const error = 'error' in envelope ? envelope.error : undefined;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : 'malformed';
}

/** Logs a key in; resolves with the socket, or with the refusal's code. */
async function connect(spec: TargetSpec, key: Key): Promise<Socket | string> {
  const auth = await loginAuth(spec, key);
  return new Promise((resolve) => {
    const socket = io(spec.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { ...auth },
    });
    socket.once('connect', () => {
      resolve(socket);
    });
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.disconnect();
      resolve(error.data?.code ?? error.message);
    });
  });
}

async function joined(spec: TargetSpec, key: Key, name: string): Promise<Socket> {
  const socket = await connect(spec, key);
  if (typeof socket === 'string') throw new Error(`${name} was refused: ${socket}`);
  const code = codeOf(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('member.join', { displayName: name }));
  if (code !== 'ok') throw new Error(`${name} could not join: ${code}`);
  return socket;
}

/** `session.get` at VICTIM_RATE for `seconds`, one at a time; the latency of each answer. */
async function measureVictim(victim: Socket, seconds: number): Promise<Latency | null> {
  const histogram = newHistogram();
  const end = nowMs() + seconds * 1000;
  let next = nowMs();
  while (nowMs() < end) {
    const started = nowMs();
    await victim.timeout(ACK_TIMEOUT_MS).emitWithAck('session.get', {});
    recordMs(histogram, nowMs() - started);
    next += 1000 / VICTIM_RATE;
    await sleep(Math.max(0, next - nowMs()));
  }
  return latency(histogram);
}

interface FloodStats {
  readonly answers: Map<string, number>;
  connected: number;
  readonly refusedHandshakes: Map<string, number>;
  ended: number;
}

/** One attacking connection slot: connects, floods until ended, reconnects, until `stop()`. */
async function floodSlot(
  spec: TargetSpec,
  key: Key,
  target: string,
  window: number,
  stats: FloodStats,
  running: () => boolean,
) {
  const count = (map: Map<string, number>, code: string) => map.set(code, (map.get(code) ?? 0) + 1);
  while (running()) {
    const socket = await connect(spec, key);
    if (typeof socket === 'string') {
      count(stats.refusedHandshakes, socket);
      await sleep(200);
      continue;
    }
    stats.connected += 1;
    await new Promise<void>((resolve) => {
      const lane = () => {
        if (!running() || !socket.connected) return;
        socket.emit('members.kick', { publicKey: target }, (envelope: unknown) => {
          count(stats.answers, codeOf(envelope));
          lane();
        });
      };
      socket.once('disconnect', () => {
        stats.ended += 1;
        resolve();
      });
      for (let i = 0; i < window; i++) lane();
      const poll = setInterval(() => {
        if (running()) return;
        clearInterval(poll);
        socket.disconnect();
      }, 100);
    });
  }
}

function describe(name: string, value: Latency | null): string {
  if (!value) return `${name}: no samples`;
  const f = (ms: number) => ms.toFixed(2);
  return `${name}: p50 ${f(value.p50)} ms, p99 ${f(value.p99)} ms, max ${f(value.max)} ms (${value.count} answers)`;
}

async function main(): Promise<void> {
  installSignalHandlers();
  const apiMain = path.resolve(option('api', API_MAIN));
  const sockets = Number(option('sockets', '20'));
  const window = Number(option('window', '32'));
  const seconds = Number(option('seconds', '10'));
  const pinned = canPin();
  if (pinned) pin(process.pid, LOAD_CORE);

  const [rootKey, victimKey, attackerKey] = await Promise.all([newKey(), newKey(), newKey()]);
  const server = await startMpqcht({
    apiMain,
    databaseServerUrl: DEFAULT_DATABASE_URL,
    configToml: floodConfig(rootKey.publicKey.hex),
  });
  try {
    if (pinned) pin(server.pid, SERVER_CORE);
    const spec: TargetSpec = { kind: 'mpqcht', url: server.url, origin: PUBLIC_ORIGIN, channelId: 'lobby' };
    const root = await joined(spec, rootKey, 'root');
    for (const key of [victimKey, attackerKey]) {
      const code = codeOf(
        await root.timeout(ACK_TIMEOUT_MS).emitWithAck('members.authorize', { publicKey: key.publicKey.hex }),
      );
      if (code !== 'ok') throw new Error(`authorize: ${code}`);
    }
    const victim = await joined(spec, victimKey, 'victim');
    const attacker = await joined(spec, attackerKey, `attacker ${randomUUID().slice(0, 4)}`);
    attacker.disconnect();

    const quiet = await measureVictim(victim, seconds);
    const stats: FloodStats = { answers: new Map(), connected: 0, refusedHandshakes: new Map(), ended: 0 };
    let flooding = true;
    const cpuBefore = cpuMs(server.pid);
    const started = nowMs();
    const slots = Array.from({ length: sockets }, () =>
      floodSlot(spec, attackerKey, victimKey.publicKey.hex, window, stats, () => flooding),
    );
    await sleep(1000); // the flood is under way
    const flooded = await measureVictim(victim, seconds);
    flooding = false;
    await Promise.all(slots);
    const elapsedS = (nowMs() - started) / 1000;
    const serverCpu = ((cpuMs(server.pid) - cpuBefore) / (elapsedS * 1000)) * 100;
    victim.disconnect();
    root.disconnect();

    const perSecond = (n: number) => Math.round(n / elapsedS);
    const answers = [...stats.answers].map(([code, n]) => `${code} ${perSecond(n)}/s`).join(', ');
    const refused = [...stats.refusedHandshakes].map(([code, n]) => `${code} ×${n}`).join(', ') || 'none';
    process.stdout.write(
      [
        `api ${apiMain}; ${sockets} attacking connection slots × ${window} requests in flight, ${seconds} s each phase${pinned ? '; server on core 0, load on core 1' : ''}`,
        describe('victim session.get, quiet', quiet),
        describe('victim session.get, during the flood', flooded),
        `attacker: ${stats.connected} connections opened, ${stats.ended} ended by the server or at the end, handshakes refused: ${refused}`,
        `attacker answers: ${answers}`,
        `server CPU during the flood: ${Math.round(serverCpu)} % of one core`,
      ].join('\n') + '\n',
    );
  } finally {
    await server.dispose();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
