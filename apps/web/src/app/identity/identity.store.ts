import { Injectable, signal } from '@angular/core';

import type { PublicKey } from '@mpqcht/identity';
import { deriveIdentity, generateRandomIdentity, importKeyFile } from '@mpqcht/identity';

import { forgetKeyLoginPasses } from '../connection/login-pass.storage';
import {
  forgetIdentity,
  loadRememberedIdentity,
  type RememberedIdentity,
  rememberIdentity,
} from './identity.storage';

/** The unlocked identity: keys that never leave this page and cannot be exported. */
export interface UnlockedIdentity {
  readonly label: string;
  readonly publicKey: PublicKey;
  readonly signingKey: CryptoKey;
  readonly vaultKey: CryptoKey;
}

/**
 * Who the person is on every server. A username and passphrase derive the key pair (the same on any
 * browser), or a random key lives in an encrypted key file. Only the username, or the encrypted
 * file, is remembered between visits; the passphrase and the private key never are.
 */
@Injectable({ providedIn: 'root' })
export class IdentityStore {
  readonly identity = signal<UnlockedIdentity | null>(null);
  readonly remembered = signal<RememberedIdentity | null>(loadRememberedIdentity(localStorage));

  async unlockWithPassphrase(username: string, passphrase: string): Promise<UnlockedIdentity> {
    const derived = await deriveIdentity(username, passphrase);
    const identity = { label: username.trim(), ...derived };
    this.remember({ kind: 'derived', username: identity.label });
    this.identity.set(identity);
    return identity;
  }

  /** A random key instead of a derived one; the returned file text is what the person saves. */
  async createRandom(label: string, passphrase: string): Promise<string> {
    const random = await generateRandomIdentity();
    const file = await random.exportFile(passphrase);
    this.remember({ kind: 'file', label, file });
    this.identity.set({
      label,
      publicKey: random.publicKey,
      signingKey: random.signingKey,
      vaultKey: random.vaultKey,
    });
    return file;
  }

  async importFile(label: string, fileText: string, passphrase: string): Promise<UnlockedIdentity> {
    const imported = await importKeyFile(fileText, passphrase);
    const identity = { label, ...imported };
    this.remember({ kind: 'file', label, file: fileText });
    this.identity.set(identity);
    return identity;
  }

  /** A returning visitor: only the passphrase is asked. */
  async unlockRemembered(passphrase: string): Promise<UnlockedIdentity> {
    const remembered = this.remembered();
    if (!remembered) throw new Error('nothing to unlock');
    return remembered.kind === 'derived'
      ? this.unlockWithPassphrase(remembered.username, passphrase)
      : this.importFile(remembered.label, remembered.file, passphrase);
  }

  /** Drops the keys from memory; the remembered username or encrypted file stays. */
  lock(): void {
    this.identity.set(null);
  }

  /** Log out: drops the keys and forgets the identity on this browser. */
  logOut(): void {
    // Its login passes too: they say which servers this key used from here.
    const key = this.identity()?.publicKey.hex;
    if (key) forgetKeyLoginPasses(localStorage, key, Date.now());
    this.identity.set(null);
    forgetIdentity(localStorage);
    this.remembered.set(null);
  }

  private remember(identity: RememberedIdentity): void {
    rememberIdentity(localStorage, identity);
    this.remembered.set(identity);
  }
}
