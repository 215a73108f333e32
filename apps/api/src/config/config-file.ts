import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';

import type { CommunityConfig } from './community-config';

/** The sha-256 of config.toml's bytes, lowercase hex: what `config.get` returns and `config.replace` expects. */
export function configHash(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where `config.replace` keeps the version it replaced: `config.toml.bak` beside the file. */
export function backupPath(configPath: string): string {
  return `${configPath}.bak`;
}

/**
 * Writes `file` so that readers see the old bytes or the new ones, never a part: a temporary file in
 * the same directory (same file system, so the rename is atomic), flushed to disk, renamed over the
 * target; then the directory is flushed so the rename itself survives a crash. The file keeps the
 * target's mode when it exists.
 */
export function writeFileAtomically(file: string, bytes: string | Uint8Array): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = 0o644;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // No file yet: the default mode.
  }
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Never created, or already renamed.
    }
    throw error;
  }
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some file systems cannot fsync a directory; the rename has happened either way.
  }
}

/** What changed between two configs, for the audit log: ids added and removed, and a renamed server. */
export interface ConfigChangeSummary {
  readonly channelsAdded: readonly string[];
  readonly channelsRemoved: readonly string[];
  readonly rolesAdded: readonly string[];
  readonly rolesRemoved: readonly string[];
  readonly serverRenamed: boolean;
}

export function summariseChange(before: CommunityConfig, after: CommunityConfig): ConfigChangeSummary {
  const added = (from: readonly { id: string }[], to: readonly { id: string }[]) => {
    const ids = new Set(from.map((item) => item.id));
    return to.map((item) => item.id).filter((id) => !ids.has(id));
  };
  return {
    channelsAdded: added(before.channels, after.channels),
    channelsRemoved: added(after.channels, before.channels),
    rolesAdded: added(before.roles, after.roles),
    rolesRemoved: added(after.roles, before.roles),
    serverRenamed: before.serverName !== after.serverName,
  };
}
