import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from './free-port';
import { harnessEnv } from './harness-env';

const WORKSPACE = path.resolve(__dirname, '../../../..');
/** The coturn configuration docker-compose.yml deploys; the tests run coturn with this same file. */
export const COTURN_CONFIG = path.join(WORKSPACE, 'coturn/turnserver.conf');
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const CLIENT_TIMEOUT_MS = 30_000;
/** Relay ports per test server: a test holds a few allocations at a time, one port each (`-c`). */
const RELAY_PORTS = 24;

export interface CoturnOptions {
  /** Its `static-auth-secret`, the TURN_SECRET an api would share with it. */
  readonly secret: string;
  readonly realm?: string;
  /**
   * coturn's `verbose`: also logs each request of each session (e.g. `ALLOCATE processed,
   * success` with the username), so a test can tell whose allocations were made.
   */
  readonly verbose?: boolean;
}

/** Username and password in coturn's REST form (what the api hands a member). */
export interface TurnClientCredentials {
  readonly username: string;
  readonly credential: string;
}

/** What `turnutils_uclient` did. */
export interface TurnClientResult {
  readonly exitCode: number | null;
  /** Messages sent and received back through the relays (0 when nothing was relayed). */
  readonly sent: number;
  readonly received: number;
  /** Its stdout and stderr, for assertions on the refusal (`403 (Forbidden IP)`) and for failures. */
  readonly output: string;
}

export interface CoturnProcess {
  readonly host: '127.0.0.1';
  /** UDP and TCP listening port. */
  readonly port: number;
  readonly realm: string;
  /** `turn:127.0.0.1:<port>?transport=udp`, as TURN_URLS would name it. */
  readonly turnUrl: string;
  readonly child: ChildProcess;
  /** Its private directory (mode 0700): config with the secret, log, pid file, database. */
  readonly dir: string;
  /** coturn's log file so far. */
  log(): string;
  /**
   * Runs Debian's `turnutils_uclient` with these credentials. Without `peer`: two clients allocate
   * a relay each and send messages to each other through both (`-y`), so an accepted result has
   * `exitCode` 0 and `received === sent > 0`. With `peer`: one client asks for a permission to
   * that address and sends one message there; a refused peer ends it with `403 (Forbidden IP)`.
   */
  relay(credentials: TurnClientCredentials, peer?: string): Promise<TurnClientResult>;
  /** SIGTERM (SIGKILL after 5 s), then remove its files. */
  stop(): Promise<void>;
}

/**
 * Starts Debian's `turnserver` (apt-get install -y coturn) on 127.0.0.1 with the repository's
 * coturn/turnserver.conf, so the tests exercise the hardening that is deployed, plus what a test
 * server needs: free ports, the test's secret and realm, a log file, a pid file and an SQLite
 * database of its own (nothing under /var), and one exception to the deny list: relaying to
 * 127.0.0.1 (`allow-loopback-peers` lifts coturn's built-in loopback ban, `allowed-peer-ip`
 * re-admits that one address), so a loopback test can relay while 127.0.0.2, still denied,
 * shows the deny list at work. Resolves once coturn answers a STUN binding request over UDP.
 */
export async function startCoturn(options: CoturnOptions): Promise<CoturnProcess> {
  const realm = options.realm ?? 'mpqcht.test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-coturn-'));
  const port = await freeUdpAndTcpPort();
  const relayBase = await freeUdpRange(RELAY_PORTS);
  const logPath = path.join(dir, 'turnserver.log');
  // Later lines win over the shared file's (coturn keeps the last value of a setting); the secret
  // goes into a private file rather than onto the command line, where `ps` would show it.
  const overrides = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    `min-port=${relayBase}`,
    `max-port=${relayBase + RELAY_PORTS - 1}`,
    `static-auth-secret=${options.secret}`,
    `realm=${realm}`,
    'allow-loopback-peers',
    'allowed-peer-ip=127.0.0.1',
    `log-file=${logPath}`,
    'simple-log',
    `pidfile=${path.join(dir, 'turnserver.pid')}`,
    `userdb=${path.join(dir, 'turndb')}`,
    ...(options.verbose ? ['verbose'] : []),
  ];
  const configPath = path.join(dir, 'turnserver.conf');
  fs.writeFileSync(configPath, `${fs.readFileSync(COTURN_CONFIG, 'utf8')}\n${overrides.join('\n')}\n`, {
    mode: 0o600,
  });

  const child = spawn('turnserver', ['-c', configPath], {
    env: { PATH: harnessEnv().path, HOME: harnessEnv().home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<never>((_resolve, reject) =>
    child.once('error', (error) =>
      reject(new Error(`cannot run turnserver (apt-get install -y coturn): ${error.message}`)),
    ),
  );
  // Only start-up waits on it; an 'error' after that (a failed kill) must not go unhandled.
  spawnFailed.catch(() => undefined);
  const log = () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.race([waitForStun(port, () => child.exitCode !== null), spawnFailed]);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const printed = `${output}\n${log()}`.trim();
    await stop();
    throw new Error(`coturn did not start: ${why}\n${printed}`);
  }

  return {
    host: '127.0.0.1',
    port,
    realm,
    turnUrl: `turn:127.0.0.1:${port}?transport=udp`,
    child,
    dir,
    log,
    relay: (credentials, peer) => runTurnClient(port, credentials, peer),
    stop,
  };
}

function runTurnClient(
  port: number,
  { username, credential }: TurnClientCredentials,
  peer: string | undefined,
): Promise<TurnClientResult> {
  // -n: messages per client; -c: no RTCP allocation; -e/-r: the peer (ignored with -y, where
  // each client's peer is the other's relay address).
  const mode = peer === undefined ? ['-y', '-n', '3'] : ['-e', peer, '-r', '3480', '-n', '1'];
  const args = ['-p', String(port), '-u', username, '-w', credential, '-c', ...mode, '127.0.0.1'];
  return new Promise((resolve) => {
    execFile(
      'turnutils_uclient',
      args,
      { timeout: CLIENT_TIMEOUT_MS, env: { PATH: harnessEnv().path } },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        // The summary line: "start_mclient: tot_send_msgs=6, tot_recv_msgs=6".
        const totals = /tot_send_msgs=(\d+), tot_recv_msgs=(\d+)\s*$/m.exec(output);
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        resolve({
          exitCode: code,
          sent: Number(totals?.[1] ?? 0),
          received: Number(totals?.[2] ?? 0),
          output,
        });
      },
    );
  });
}

/** Polls with STUN binding requests (RFC 5389) until coturn answers on UDP. */
async function waitForStun(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('turnserver exited');
    if (await stunAnswers(port)) return;
  }
  throw new Error(`no STUN answer on 127.0.0.1:${port} within ${START_TIMEOUT_MS} ms`);
}

function stunAnswers(port: number): Promise<boolean> {
  const transaction = randomBytes(12);
  // Binding request: type 0x0001, no attributes, the magic cookie, a transaction id.
  const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transaction]);
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), 200);
    socket.on('error', () => done(false));
    socket.on('message', (message) => {
      // A binding success response (0x0101) to this transaction.
      if (message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) done(true);
    });
    socket.send(request, port, '127.0.0.1');
  });
}

/** A port free on 127.0.0.1 for both TCP (checked by freePort) and UDP. */
async function freeUdpAndTcpPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await freePort();
    if (await udpFree(port)) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1');
}

/** The first port of `count` consecutive UDP ports free on 127.0.0.1, below the ephemeral range. */
async function freeUdpRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Even, since coturn pairs an even relay port with the next one; 20000-30000 stays clear of
    // Linux's ephemeral ports (32768 and up), which other tests' sockets come from.
    const base = 20000 + 2 * Math.floor(Math.random() * 5000);
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => udpFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free UDP ports on 127.0.0.1`);
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => {
      socket.close(() => resolve(true));
    });
  });
}
