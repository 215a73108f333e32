import { generateSigningKeyPair, type PublicKey, publicKeyFromCryptoKey } from '@mpqcht/identity';
import type { ChallengeDto } from '@mpqcht/protocol';
import {
  buildLoginAuth,
  fetchChallenge as fetchProtocolChallenge,
  type LoginAuth,
} from '@mpqcht/protocol-client';

/** A key pair made with WebCrypto, as a browser makes it (non-extractable private key). */
export interface TestIdentity {
  readonly privateKey: CryptoKey;
  readonly publicKey: PublicKey;
}

export async function newIdentity(): Promise<TestIdentity> {
  const pair = await generateSigningKeyPair(false);
  return { privateKey: pair.privateKey, publicKey: await publicKeyFromCryptoKey(pair.publicKey) };
}

export function fetchChallenge(apiUrl: string): Promise<ChallengeDto> {
  return fetchProtocolChallenge(apiUrl);
}

/** A fresh, correctly signed login proof for the api at `apiUrl` whose public origin is `origin`. */
export async function loginProof(identity: TestIdentity, apiUrl: string, origin: string): Promise<LoginAuth> {
  return buildLoginAuth({ signer: identity, origin, challenge: await fetchChallenge(apiUrl) });
}
