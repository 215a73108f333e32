/** A message typed while it could not be sent, kept until the server has stored it. */
export interface OutboxEntry {
  readonly channelId: string;
  /** The client id the first attempt used: every later attempt sends it again (exactly once). */
  readonly clientId: string;
  readonly content: string;
  readonly createdAt: string;
}

/** At most this many messages wait per server and identity… */
export const OUTBOX_MAX_MESSAGES = 50;
/** …and at most this many characters of stored JSON (localStorage holds about 5 MB per origin). */
export const OUTBOX_MAX_CHARS = 200_000;

/** One list per server origin and identity: a message is never sent with another key. */
export function outboxKey(origin: string, publicKey: string): string {
  return `mpqcht.outbox.v1 ${origin} ${publicKey}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return ['channelId', 'clientId', 'content', 'createdAt'].every((k) => typeof entry[k] === 'string');
}

/** The stored list, oldest first; what is not readable is dropped. */
export function loadOutbox(storage: Storage, key: string): OutboxEntry[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

/** Whether a list fits the bounds (count and stored size). */
export function withinBounds(list: readonly OutboxEntry[]): boolean {
  return list.length <= OUTBOX_MAX_MESSAGES && JSON.stringify(list).length <= OUTBOX_MAX_CHARS;
}

/**
 * Stores the list (read again first, so that another tab of the same identity keeps its entries);
 * false when it would exceed the bounds or the storage is full. `change` edits the stored list.
 */
export function updateOutbox(
  storage: Storage,
  key: string,
  change: (stored: OutboxEntry[]) => OutboxEntry[],
): boolean {
  const next = change(loadOutbox(storage, key));
  if (!withinBounds(next)) return false;
  try {
    if (next.length === 0) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(next));
    return true;
  } catch {
    return false;
  }
}
