export * from './lib/hex';
export * from './lib/p256';
export * from './lib/public-key';
export * from './lib/login-bytes';
export * from './lib/webcrypto-keys';
