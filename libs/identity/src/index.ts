export { deriveIdentity, IDENTITY_SALT_CONTEXT, normalizeUsername } from './lib/derive-identity';
export * from './lib/hex';
export { IdentityError, type IdentityErrorCode } from './lib/identity-error';
export { type DerivedIdentity, SIGNING_KEY_INFO, VAULT_KEY_INFO } from './lib/identity-keys';
export { IDENTITY_KDF_ITERATIONS, KDF_MAX_ITERATIONS, type KdfOptions, normalizePassphrase } from './lib/kdf';
export {
  importKeyFile,
  type ImportKeyFileOptions,
  KEY_FILE_AAD_CONTEXT,
  KEY_FILE_FORMAT,
  KEY_FILE_VERSION,
  type KeyFileV1,
} from './lib/key-file';
export * from './lib/login-bytes';
export * from './lib/p256';
export {
  ACCEPTABLE_PASSPHRASE_BITS,
  type PassphraseStrength,
  passphraseStrength,
} from './lib/passphrase-strength';
export * from './lib/public-key';
export { generateRandomIdentity, type RandomIdentity } from './lib/random-identity';
export * from './lib/webcrypto-keys';
