import type { LoginPassDto } from '@mpqcht/protocol';

/**
 * The newest login pass per server and public key (docs/web-client.md, Proof of work), kept in
 * localStorage so a reload or a later visit logs in without proof-of-work. A pass is bound to the
 * key it was issued for, so it is stored under that key and only ever sent for it. It is no secret
 * (the login still needs the key's signature), but it says which key used which server here, so a
 * logout forgets the key's passes and removing a server forgets its passes.
 */
const KEY = 'mpqcht.login-passes.v1';

/** server origin → public key (hex) → pass. */
type StoredPasses = Record<string, Record<string, LoginPassDto>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isLive(value: unknown, now: number): value is LoginPassDto {
  if (!isRecord(value)) return false;
  const { pass, expiresAt } = value;
  return typeof pass === 'string' && typeof expiresAt === 'string' && Date.parse(expiresAt) > now;
}

/** What is stored, without passes that expired (or that do not parse). */
function read(storage: Storage, now: number): StoredPasses {
  let parsed: unknown;
  try {
    parsed = JSON.parse(storage.getItem(KEY) ?? '{}');
  } catch {
    return {};
  }
  const passes: StoredPasses = {};
  for (const [url, byKey] of Object.entries(isRecord(parsed) ? parsed : {})) {
    for (const [key, pass] of Object.entries(isRecord(byKey) ? byKey : {})) {
      if (isLive(pass, now)) (passes[url] ??= {})[key] = { pass: pass.pass, expiresAt: pass.expiresAt };
    }
  }
  return passes;
}

function write(storage: Storage, passes: StoredPasses): void {
  if (Object.keys(passes).length === 0) storage.removeItem(KEY);
  else storage.setItem(KEY, JSON.stringify(passes));
}

/** The pass to send with `key`'s next challenge request to `url`; null when none is live. */
export function loadLoginPass(storage: Storage, url: string, key: string, now: number): string | null {
  return read(storage, now)[url]?.[key]?.pass ?? null;
}

/** Keeps the newest pass `session.get` gave `key` on `url` (and drops every expired one). */
export function saveLoginPass(
  storage: Storage,
  url: string,
  key: string,
  pass: LoginPassDto,
  now: number,
): void {
  const passes = read(storage, now);
  if (isLive(pass, now)) (passes[url] ??= {})[key] = { pass: pass.pass, expiresAt: pass.expiresAt };
  write(storage, passes);
}

/** Log out: this key's passes on every server. */
export function forgetKeyLoginPasses(storage: Storage, key: string, now: number): void {
  const passes: StoredPasses = {};
  for (const [url, byKey] of Object.entries(read(storage, now))) {
    const others = Object.entries(byKey).filter(([k]) => k !== key);
    if (others.length > 0) passes[url] = Object.fromEntries(others);
  }
  write(storage, passes);
}

/** A server removed from the page: its passes, of every key. */
export function forgetServerLoginPasses(storage: Storage, url: string, now: number): void {
  write(storage, Object.fromEntries(Object.entries(read(storage, now)).filter(([u]) => u !== url)));
}
