import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';

import type { LoginPassDto } from '@mpqcht/protocol';

/**
 * The newest login pass each server gave the key of a key file (docs/protocol.md, "Proof of work"),
 * kept beside it in `<keyfile>.passes.json` so that the next command skips the proof-of-work of a
 * flooded server. A pass is bound to the key it was issued for: each entry names that key, and is
 * sent only for it (the key file may have been replaced since).
 */
export interface StoredLoginPass extends LoginPassDto {
  /** The public key (hex) the pass was issued for. */
  readonly publicKey: string;
}

/** server origin → its newest pass. */
type StoredPasses = Record<string, StoredLoginPass>;

/** The same as the key file's: a pass says which key used which server. */
export const PASS_FILE_MODE = 0o600;

export function passFilePath(keyPath: string): string {
  return `${keyPath}.passes.json`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isLive(value: unknown, now: number): value is StoredLoginPass {
  if (!isRecord(value)) return false;
  const { publicKey, pass, expiresAt } = value;
  return (
    typeof publicKey === 'string' &&
    typeof pass === 'string' &&
    typeof expiresAt === 'string' &&
    Date.parse(expiresAt) > now
  );
}

/** What the file holds, without passes that expired or do not parse; nothing when it is missing or unreadable. */
async function read(file: string, now: number): Promise<StoredPasses> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // No file yet, or one that is not ours to understand: a pass is only worth a proof-of-work.
    return {};
  }
  const passes: StoredPasses = {};
  for (const [server, entry] of Object.entries(isRecord(parsed) ? parsed : {})) {
    if (isLive(entry, now)) {
      passes[server] = { publicKey: entry.publicKey, pass: entry.pass, expiresAt: entry.expiresAt };
    }
  }
  return passes;
}

/**
 * Replaces the file at once: written to a temporary file beside it (mode 0600 from its creation),
 * then renamed over it, so a reader (another command running at the same time) never sees half a
 * file, and a crash leaves the old one.
 */
async function write(file: string, passes: StoredPasses): Promise<void> {
  if (Object.keys(passes).length === 0) {
    await rm(file, { force: true });
    return;
  }
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', PASS_FILE_MODE);
  try {
    // The umask can only clear bits, but be explicit.
    await handle.chmod(PASS_FILE_MODE);
    await handle.writeFile(JSON.stringify(passes, null, 2) + '\n', 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The passes of one key file's key on one server. */
export class LoginPassFile {
  readonly path: string;

  constructor(
    keyPath: string,
    private readonly server: string,
    private readonly publicKey: string,
    private readonly now: () => number = Date.now,
  ) {
    this.path = passFilePath(keyPath);
  }

  /** The pass to show with the next challenge request; null when none is live for this key. */
  async load(): Promise<string | null> {
    const stored = (await read(this.path, this.now()))[this.server];
    return stored?.publicKey === this.publicKey ? stored.pass : null;
  }

  /** Keeps the newest pass `session.get` gave (and drops every expired one). */
  async save(pass: LoginPassDto): Promise<void> {
    const now = this.now();
    const passes = await read(this.path, now);
    const entry = { publicKey: this.publicKey, pass: pass.pass, expiresAt: pass.expiresAt };
    if (isLive(entry, now)) passes[this.server] = entry;
    await write(this.path, passes);
  }

  /** The server refused the pass (it asked for a proof anyway): it is not shown again. */
  async drop(): Promise<void> {
    const passes = await read(this.path, this.now());
    if (!(this.server in passes)) return;
    await write(this.path, Object.fromEntries(Object.entries(passes).filter(([s]) => s !== this.server)));
  }
}
