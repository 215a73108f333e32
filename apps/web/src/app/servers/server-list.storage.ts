/**
 * The list of servers a person added, in their order, kept in localStorage. It holds addresses
 * only (no secrets); an encrypted backup on the servers themselves comes with a later feature.
 */
const KEY = 'mpqcht.servers.v1';

export interface StoredServer {
  readonly url: string;
}

export function loadServerList(storage: Storage): StoredServer[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((entry: unknown) =>
      typeof entry === 'object' && entry !== null && typeof (entry as StoredServer).url === 'string'
        ? [{ url: (entry as StoredServer).url }]
        : [],
    );
  } catch {
    return [];
  }
}

export function saveServerList(storage: Storage, servers: readonly StoredServer[]): void {
  storage.setItem(KEY, JSON.stringify(servers.map((s) => ({ url: s.url }))));
}
