import { bigIntToBytes } from './hex';
import { IdentityError } from './identity-error';
import { type DerivedIdentity, identityFromScalarBytes, scalarFromWideBytes } from './identity-keys';
import { type KdfOptions } from './kdf';
import { writeKeyFile } from './key-file';

/**
 * A freshly generated identity. Its keys are non-extractable like a derived one; the only way to
 * get the private key out is `exportFile`, which writes it encrypted under a passphrase.
 */
export interface RandomIdentity extends DerivedIdentity {
  /**
   * The key file text (JSON, see KeyFileV1) encrypting d under `passphrase`, for the person to
   * download. Each call uses a new salt and IV. Rejects with 'export_discarded' after
   * discardExportable(), 'empty_passphrase', or 'weak_kdf' (options are for tests only).
   */
  exportFile(passphrase: string, options?: KdfOptions): Promise<string>;
  /** Wipes the copy of d kept for exportFile. Call it once the file is saved (or declined). */
  discardExportable(): void;
}

/**
 * A new random identity: d from 48 bytes of crypto.getRandomValues (reduced as in deriveIdentity),
 * Q = d·G, signing key d (non-extractable), vault key HKDF-SHA-256(d, info "mpqcht-vault-key-v1"),
 * which importKeyFile recomputes, so a key file restores the same vault key.
 *
 * d exists as bytes only in one Uint8Array held by the exportFile closure, until discardExportable()
 * zeroes it. WebCrypto never holds an extractable copy.
 */
export async function generateRandomIdentity(): Promise<RandomIdentity> {
  const wide = globalThis.crypto.getRandomValues(new Uint8Array(48));
  let dBytes: Uint8Array | null = bigIntToBytes(scalarFromWideBytes(wide), 32);
  wide.fill(0);
  const identity = await identityFromScalarBytes(dBytes);
  const { publicKey } = identity;

  return {
    publicKey,
    signingKey: identity.signingKey,
    vaultKey: identity.vaultKey,
    exportFile(passphrase: string, options?: KdfOptions): Promise<string> {
      if (dBytes === null) {
        return Promise.reject(new IdentityError('export_discarded', 'the private key was discarded'));
      }
      // A copy, so discardExportable() during the (slow) key derivation cannot encrypt zeros.
      const copy = dBytes.slice();
      return writeKeyFile(copy, publicKey, passphrase, options).finally(() => copy.fill(0));
    },
    discardExportable(): void {
      dBytes?.fill(0);
      dBytes = null;
    },
  };
}
