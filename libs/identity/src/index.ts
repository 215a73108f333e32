export * from './lib/hex';
export * from './lib/p256';
export * from './lib/public-key';
export * from './lib/login-bytes';
export * from './lib/webcrypto-keys';
export { IdentityError, type IdentityErrorCode } from './lib/identity-error';
export { IDENTITY_KDF_ITERATIONS, KDF_MAX_ITERATIONS, normalizePassphrase, type KdfOptions } from './lib/kdf';
export { SIGNING_KEY_INFO, VAULT_KEY_INFO, type DerivedIdentity } from './lib/identity-keys';
export { deriveIdentity, IDENTITY_SALT_CONTEXT, normalizeUsername } from './lib/derive-identity';
export {
  importKeyFile,
  KEY_FILE_AAD_CONTEXT,
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  type ImportKeyFileOptions,
  type KeyFileV1,
} from './lib/key-file';
export { generateRandomIdentity, type RandomIdentity } from './lib/random-identity';
export {
  ACCEPTABLE_PASSPHRASE_BITS,
  passphraseStrength,
  type PassphraseStrength,
} from './lib/passphrase-strength';
