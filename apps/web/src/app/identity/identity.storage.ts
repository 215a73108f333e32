/** What a browser remembers of an identity between visits: never a secret in plain form. */
export type RememberedIdentity =
  | { readonly kind: 'derived'; readonly username: string }
  /** A random key, as its passphrase-encrypted key file. */
  | { readonly kind: 'file'; readonly label: string; readonly file: string };

const KEY = 'mpqcht.identity.v1';

export function loadRememberedIdentity(storage: Storage): RememberedIdentity | null {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<{
      kind: string;
      username: string;
      label: string;
      file: string;
    }> | null;
    if (value?.kind === 'derived' && typeof value.username === 'string') {
      return { kind: 'derived', username: value.username };
    }
    if (value?.kind === 'file' && typeof value.label === 'string' && typeof value.file === 'string') {
      return { kind: 'file', label: value.label, file: value.file };
    }
    return null;
  } catch {
    return null;
  }
}

export function rememberIdentity(storage: Storage, identity: RememberedIdentity): void {
  storage.setItem(KEY, JSON.stringify(identity));
}

export function forgetIdentity(storage: Storage): void {
  storage.removeItem(KEY);
}
