/**
 * Where a person was, per identity, kept in localStorage so a reload opens the same server and
 * channel at the same message: the server on screen, and per server the channel and its scroll
 * position. Addresses and ids only, nothing secret.
 */
const KEY = 'mpqcht.place.v1.';

/** A position in a message list: this message's top edge is `offset` px below the list's top edge. */
export interface ScrollAnchor {
  readonly messageId: string;
  readonly offset: number;
}

export interface ServerPlace {
  readonly channelId: string;
  /** null: at the present (the newest messages). */
  readonly anchor: ScrollAnchor | null;
}

export interface SavedPlace {
  readonly server: string | null;
  readonly places: ReadonlyMap<string, ServerPlace>;
}

interface StoredPlace {
  server: string | null;
  places: { url: string; channelId: string; anchor: ScrollAnchor | null }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function toAnchor(value: unknown): ScrollAnchor | null {
  if (!isRecord(value)) return null;
  const { messageId, offset } = value;
  return typeof messageId === 'string' && typeof offset === 'number' && Number.isFinite(offset)
    ? { messageId, offset }
    : null;
}

export function loadSavedPlace(storage: Storage, identityKey: string): SavedPlace {
  const places = new Map<string, ServerPlace>();
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY + identityKey) ?? 'null');
    if (!isRecord(parsed)) return { server: null, places };
    for (const entry of Array.isArray(parsed['places']) ? (parsed['places'] as unknown[]) : []) {
      if (!isRecord(entry)) continue;
      const { url, channelId, anchor } = entry;
      if (typeof url === 'string' && typeof channelId === 'string') {
        places.set(url, { channelId, anchor: toAnchor(anchor) });
      }
    }
    const server = parsed['server'];
    return { server: typeof server === 'string' ? server : null, places };
  } catch {
    return { server: null, places };
  }
}

function save(storage: Storage, identityKey: string, place: SavedPlace): void {
  const stored: StoredPlace = {
    server: place.server,
    places: [...place.places].map(([url, p]) => ({ url, channelId: p.channelId, anchor: p.anchor })),
  };
  try {
    storage.setItem(KEY + identityKey, JSON.stringify(stored));
  } catch {
    // A full or disabled storage only costs the place after a reload.
  }
}

export function saveActiveServer(storage: Storage, identityKey: string, server: string | null): void {
  save(storage, identityKey, { ...loadSavedPlace(storage, identityKey), server });
}

export function saveServerPlaces(
  storage: Storage,
  identityKey: string,
  places: ReadonlyMap<string, ServerPlace>,
): void {
  save(storage, identityKey, { ...loadSavedPlace(storage, identityKey), places });
}
