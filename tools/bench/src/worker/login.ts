/** mpqcht's real login, as a client does it: challenge over HTTP, ECDSA P-256 signature (WebCrypto). */
import { generateSigningKeyPair, type PublicKey, publicKeyFromCryptoKey } from '@mpqcht/identity';
import { freshLoginAuth, type LoginAuth } from '@mpqcht/protocol-client';

import type { TargetSpec } from '../ipc';

export interface Key {
  readonly pair: CryptoKeyPair;
  readonly publicKey: PublicKey;
}

export async function newKey(): Promise<Key> {
  const pair = await generateSigningKeyPair();
  return { pair, publicKey: await publicKeyFromCryptoKey(pair.publicKey) };
}

export type { LoginAuth };

/** POST /api/auth/challenge and sign it: the `auth` of the Socket.IO handshake. */
export function loginAuth(target: TargetSpec, key: Key): Promise<LoginAuth> {
  // The target may be reached at another address than its public origin (a port on this machine).
  return freshLoginAuth({
    baseUrl: target.url,
    origin: target.origin,
    signer: { privateKey: key.pair.privateKey, publicKey: key.publicKey },
  });
}
