import {
  generateSigningKeyPair,
  publicKeyFromCryptoKey,
  signLoginChallenge,
  type LoginProof,
  type PublicKey,
} from '@mpqcht/identity';
import type { ChallengeDto, Envelope } from '@mpqcht/protocol';

/** A key pair made with WebCrypto, as a browser makes it (non-extractable private key). */
export interface TestIdentity {
  readonly privateKey: CryptoKey;
  readonly publicKey: PublicKey;
}

export async function newIdentity(): Promise<TestIdentity> {
  const pair = await generateSigningKeyPair(false);
  return { privateKey: pair.privateKey, publicKey: await publicKeyFromCryptoKey(pair.publicKey) };
}

export async function fetchChallenge(apiUrl: string): Promise<ChallengeDto> {
  const response = await fetch(`${apiUrl}/api/auth/challenge`, { method: 'POST' });
  const body = (await response.json()) as Envelope<ChallengeDto>;
  if (!body.ok) throw new Error(`challenge refused: ${body.error.code}`);
  return body.data;
}

/** A fresh, correctly signed login proof for the api at `apiUrl` whose public origin is `origin`. */
export async function loginProof(
  identity: TestIdentity,
  apiUrl: string,
  origin: string,
): Promise<LoginProof> {
  const challenge = await fetchChallenge(apiUrl);
  return signLoginChallenge({ ...identity, origin, nonceHex: challenge.nonce });
}
