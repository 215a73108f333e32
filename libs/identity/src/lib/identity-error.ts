/**
 * Stable error codes of the identity functions, for the UI to map to messages:
 *
 * - `empty_username`, `empty_passphrase`: nothing left to derive from after normalisation.
 * - `weak_kdf`: an iteration count below IDENTITY_KDF_ITERATIONS without `allowWeakForTests`, or
 *   outside what this library will run (not a whole number, or above KDF_MAX_ITERATIONS).
 * - `not_a_key_file`: not JSON, or not a well-formed `mpqcht-key` file.
 * - `unsupported_version`: an `mpqcht-key` file of a version this code does not read.
 * - `wrong_passphrase`: AES-GCM authentication failed: the passphrase is wrong, or the file was
 *   altered (GCM cannot tell the two apart).
 * - `corrupt`: the file decrypted, but its private key is invalid or does not match its public key.
 * - `export_discarded`: `exportFile` after `discardExportable()` was called.
 */
export type IdentityErrorCode =
  | 'empty_username'
  | 'empty_passphrase'
  | 'weak_kdf'
  | 'not_a_key_file'
  | 'unsupported_version'
  | 'wrong_passphrase'
  | 'corrupt'
  | 'export_discarded';

export class IdentityError extends Error {
  override readonly name = 'IdentityError';

  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}
