import { webcrypto } from 'node:crypto';
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();

// jsdom has crypto.getRandomValues and randomUUID but no SubtleCrypto; the identity code needs
// WebCrypto, so tests get Node's implementation of the same standard API.
const jsdomCrypto = globalThis.crypto as Partial<Crypto> | undefined;
if (!jsdomCrypto?.subtle) {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, configurable: true, writable: true });
}
