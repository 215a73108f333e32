import { loadLoginPass, saveLoginPass } from '../connection/login-pass.storage';
import { IdentityStore } from './identity.store';

/** Real PBKDF2 (600 000 iterations) runs in each unlock: keep these tests few. */
const PASSPHRASE = 'correct horse battery staple';
const STORAGE_KEY = 'mpqcht.identity.v1';

function storedValues(): string[] {
  return Array.from(
    { length: localStorage.length },
    (_, i) => localStorage.getItem(localStorage.key(i) ?? '') ?? '',
  );
}

describe('IdentityStore', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it('remembers the trimmed username, never the passphrase or key material, and keys cannot be exported', async () => {
    const store = new IdentityStore();

    const identity = await store.unlockWithPassphrase('  Ada Lovelace ', PASSPHRASE);

    expect(identity.label).toBe('Ada Lovelace');
    expect(store.identity()).toBe(identity);
    expect(store.remembered()).toEqual({ kind: 'derived', username: 'Ada Lovelace' });
    expect(localStorage.length).toBe(1);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')).toEqual({
      kind: 'derived',
      username: 'Ada Lovelace',
    });
    const stored = storedValues().join('\n');
    expect(stored).not.toContain(PASSPHRASE);
    expect(stored).not.toContain('correct');

    expect(identity.signingKey.extractable).toBe(false);
    expect(identity.signingKey.type).toBe('private');
    expect(identity.vaultKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', identity.signingKey)).rejects.toThrow();
  });

  it('lock() drops the keys but keeps the remembered username; unlockRemembered derives the same key', async () => {
    const store = new IdentityStore();
    const first = await store.unlockWithPassphrase('ada', PASSPHRASE);

    store.lock();

    expect(store.identity()).toBeNull();
    expect(store.remembered()).toEqual({ kind: 'derived', username: 'ada' });
    const reloaded = new IdentityStore();
    expect(reloaded.remembered()).toEqual({ kind: 'derived', username: 'ada' });

    const again = await reloaded.unlockRemembered(PASSPHRASE);
    expect(again.publicKey.hex).toBe(first.publicKey.hex);
  });

  it('logOut() forgets the identity in memory and in localStorage, and its login passes', async () => {
    const store = new IdentityStore();
    const ada = await store.unlockWithPassphrase('ada', PASSPHRASE);
    const pass = { pass: 'ab'.repeat(54), expiresAt: new Date(Date.now() + 60_000).toISOString() };
    const otherKey = '02' + '1'.repeat(64);
    saveLoginPass(localStorage, 'https://a.example', ada.publicKey.hex, pass, Date.now());
    saveLoginPass(localStorage, 'https://a.example', otherKey, pass, Date.now());

    store.logOut();

    expect(loadLoginPass(localStorage, 'https://a.example', ada.publicKey.hex, Date.now())).toBeNull();
    expect(loadLoginPass(localStorage, 'https://a.example', otherKey, Date.now())).toBe(pass.pass);

    expect(store.identity()).toBeNull();
    expect(store.remembered()).toBeNull();
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
    expect(new IdentityStore().remembered()).toBeNull();
    await expect(store.unlockRemembered(PASSPHRASE)).rejects.toThrow('nothing to unlock');
  });
});
