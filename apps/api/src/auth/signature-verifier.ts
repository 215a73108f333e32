import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { Injectable } from '@nestjs/common';

import { type PublicKey, publicKeyToJwk, SIGNATURE_BYTES } from '@mpqcht/identity';

/**
 * A cached key costs about 3.3 KB of native memory (measured: 10,000 `createPublicKey` results held
 * in one process). The cache spares re-importing the keys of members who reconnect, so it holds the
 * most recently used ones; the bigger it was, the more the cache, not the sockets, made the RSS of a
 * crowded server.
 */
const CACHE_LIMIT = 1_000;

/**
 * ECDSA P-256 / SHA-256 verification of 64-byte `r||s` signatures (IEEE P1363, what WebCrypto
 * makes). Anything but 64 bytes is refused before OpenSSL sees it, so DER never slips through.
 * Recently used key objects are cached: importing a key costs about as much as verifying with it.
 */
@Injectable()
export class SignatureVerifier {
  private readonly keys = new Map<string, KeyObject>();

  verify(publicKey: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== SIGNATURE_BYTES) return false;
    try {
      return verify(
        'sha256',
        message,
        { key: this.keyObject(publicKey), dsaEncoding: 'ieee-p1363' },
        signature,
      );
    } catch {
      return false;
    }
  }

  private keyObject(publicKey: PublicKey): KeyObject {
    let key = this.keys.get(publicKey.hex);
    if (key) {
      // Most recently used last: the first in the map is the one to drop.
      this.keys.delete(publicKey.hex);
      this.keys.set(publicKey.hex, key);
      return key;
    }
    key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
    if (this.keys.size >= CACHE_LIMIT) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(publicKey.hex, key);
    return key;
  }
}
