import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Looks at the embedded PostgreSQL from outside, the way an operator would: `postmaster.pid` in the
 * cluster directory and `/proc`. Linux only, like the api's own orphan detection.
 */

export interface PostmasterInfo {
  readonly pid: number;
  /** The cluster directory the postmaster reports (line 2 of postmaster.pid). */
  readonly clusterDir: string;
  readonly port: number;
  /** Empty when the cluster has no Unix socket. */
  readonly socketDir: string;
  /** `listen_addresses` as the postmaster resolved it, e.g. `127.0.0.1`. */
  readonly listenAddress: string;
}

export function clusterDirOf(dataDir: string): string {
  return path.join(dataDir, 'postgres');
}

/** The postmaster recorded in `<dataDir>/postgres/postmaster.pid`, or undefined without that file. */
export function readPostmasterPid(dataDir: string): PostmasterInfo | undefined {
  const file = path.join(clusterDirOf(dataDir), 'postmaster.pid');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  return {
    pid: Number.parseInt(lines[0] ?? '', 10),
    clusterDir: lines[1] ?? '',
    port: Number.parseInt(lines[3] ?? '', 10),
    socketDir: (lines[4] ?? '').trim(),
    listenAddress: (lines[5] ?? '').trim(),
  };
}

/** True while the process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** The process's command line (arguments joined by spaces), or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** True when `pid` is a running postmaster of the cluster in `<dataDir>/postgres`. */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  const args = commandLine(pid).split(' ');
  const d = args.indexOf('-D');
  return isRunning(pid) && d >= 0 && args[d + 1] === clusterDirOf(dataDir);
}

/** Every running postmaster of the cluster in `<dataDir>/postgres`, found by scanning /proc. */
export function postmastersOf(dataDir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => isPostmasterOf(pid, dataDir));
}

/** The real uid the process runs as. */
export function processUid(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^Uid:\s+(\d+)/m.exec(status);
  if (!match?.[1]) throw new Error(`no Uid line for pid ${pid}`);
  return Number(match[1]);
}

export interface TcpSocket {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Kernel state: '01' established, '0A' listening. */
  readonly state: string;
  readonly inode: string;
}

function decodeAddress(hex: string): string {
  const bytes: number[] = [];
  // /proc/net/tcp{,6} prints the address as 32-bit words in host (little-endian) byte order.
  for (let word = 0; word < hex.length; word += 8) {
    const chunk = hex.slice(word, word + 8);
    for (let i = 6; i >= 0; i -= 2) bytes.push(Number.parseInt(chunk.slice(i, i + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

function readTcpTable(file: string): TcpSocket[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length > 9)
    .map((fields) => {
      const [localAddress = '', localPort = ''] = (fields[1] ?? '').split(':');
      const [remoteAddress = '', remotePort = ''] = (fields[2] ?? '').split(':');
      return {
        localAddress: decodeAddress(localAddress),
        localPort: Number.parseInt(localPort, 16),
        remoteAddress: decodeAddress(remoteAddress),
        remotePort: Number.parseInt(remotePort, 16),
        state: fields[3] ?? '',
        inode: fields[9] ?? '',
      };
    });
}

/** Every TCP socket (IPv4 and IPv6) in this network namespace. */
export function tcpSockets(): TcpSocket[] {
  return [...readTcpTable('/proc/net/tcp'), ...readTcpTable('/proc/net/tcp6')];
}

/** The TCP sockets that `pid` holds open (matched by inode through /proc/<pid>/fd). */
export function tcpSocketsOf(pid: number): TcpSocket[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // the descriptor closed while we looked
    }
  }
  return tcpSockets().filter((s) => inodes.has(s.inode));
}

/** The local addresses on which something listens on `port`. */
export function listeningAddresses(port: number): string[] {
  return tcpSockets()
    .filter((s) => s.state === '0A' && s.localPort === port)
    .map((s) => s.localAddress);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `pid` has gone; false if it is still running after `timeoutMs`. */
export async function waitGone(pid: number, timeoutMs = 20_000): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 50) {
    if (!isRunning(pid)) return true;
    await sleep(50);
  }
  return !isRunning(pid);
}

/**
 * Test clean-up: if the cluster in `dataDir` still has a running postmaster (by postmaster.pid
 * or by /proc), stop it (fast shutdown, then SIGKILL). Returns the pids it had to stop.
 */
export async function stopLeftoverPostmasters(dataDir: string): Promise<number[]> {
  const info = readPostmasterPid(dataDir);
  const pids = new Set(postmastersOf(dataDir));
  if (info && isPostmasterOf(info.pid, dataDir)) pids.add(info.pid);
  for (const pid of pids) {
    process.kill(pid, 'SIGINT');
    if (!(await waitGone(pid, 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid, 10_000);
    }
  }
  return [...pids];
}

export interface Exited {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/**
 * Waits for a process started by `runApi` that should refuse to start, with stdout and stderr
 * together. A process still running after `timeoutMs` is killed, so a regression fails the test
 * (with signal SIGKILL) instead of hanging it.
 */
export function waitForExit(child: ChildProcess, timeoutMs = 30_000): Promise<Exited> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}
