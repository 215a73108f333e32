/** mpqcht's real login, as a client does it: challenge over HTTP, ECDSA P-256 signature (WebCrypto). */
import {
  generateSigningKeyPair,
  publicKeyFromCryptoKey,
  signLoginChallenge,
  type PublicKey,
} from '@mpqcht/identity';
import type { TargetSpec } from '../ipc';

export interface Key {
  readonly pair: CryptoKeyPair;
  readonly publicKey: PublicKey;
}

export async function newKey(): Promise<Key> {
  const pair = await generateSigningKeyPair();
  return { pair, publicKey: await publicKeyFromCryptoKey(pair.publicKey) };
}

export interface LoginAuth {
  readonly publicKey: string;
  readonly nonce: string;
  readonly signature: string;
}

/** POST /api/auth/challenge and sign it: the `auth` of the Socket.IO handshake. */
export async function loginAuth(target: TargetSpec, key: Key): Promise<LoginAuth> {
  const response = await fetch(`${target.url}/api/auth/challenge`, { method: 'POST' });
  const body = (await response.json()) as { data?: { nonce?: unknown; origin?: unknown } };
  const nonce = body.data?.nonce;
  if (typeof nonce !== 'string' || body.data?.origin !== target.origin) {
    throw new Error(`unexpected challenge answer (${response.status}): ${JSON.stringify(body)}`);
  }
  return signLoginChallenge({
    privateKey: key.pair.privateKey,
    publicKey: key.publicKey,
    origin: target.origin,
    nonceHex: nonce,
  });
}
