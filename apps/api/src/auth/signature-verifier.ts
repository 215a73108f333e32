import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { Injectable } from '@nestjs/common';

import { type PublicKey, publicKeyToJwk, SIGNATURE_BYTES } from '@mpqcht/identity';

const CACHE_LIMIT = 10_000;

/**
 * ECDSA P-256 / SHA-256 verification of 64-byte `r||s` signatures (IEEE P1363, what WebCrypto
 * makes). Anything but 64 bytes is refused before OpenSSL sees it, so DER never slips through.
 * Key objects are cached: parsing a key costs more than verifying with it.
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
    if (key) return key;
    key = createPublicKey({ key: { ...publicKeyToJwk(publicKey) }, format: 'jwk' });
    if (this.keys.size >= CACHE_LIMIT) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(publicKey.hex, key);
    return key;
  }
}
