import { type LoginProof, type PublicKey, signLoginChallenge } from '@mpqcht/identity';
import type { ChallengeDto } from '@mpqcht/protocol';

/** The key that logs in: a WebCrypto ECDSA P-256 private key and its public key. */
export interface LoginSigner {
  readonly privateKey: CryptoKey;
  readonly publicKey: PublicKey;
}

/** The Socket.IO handshake `auth`: exactly these fields (docs/protocol.md, Logging in). */
export type LoginAuth = LoginProof & { readonly invite?: string };

/**
 * The challenge names an origin other than the one the client connected to. Signing it would hand
 * the server a signature valid at that other origin, so nothing is signed.
 */
export class OriginMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly claimed: string,
  ) {
    super(`the server asks for a signature bound to ${claimed}, not ${expected}; refusing to sign`);
    this.name = 'OriginMismatch';
  }
}

export interface LoginAuthInput {
  readonly signer: LoginSigner;
  /** The origin the client connected to, serialised as `new URL(x).origin` does. */
  readonly origin: string;
  readonly challenge: ChallengeDto;
  /** An invite code for a key that is not admitted yet. */
  readonly invite?: string | null;
}

/** Checks the challenge's origin, signs the login bytes, and builds the handshake `auth`. */
export async function buildLoginAuth(input: LoginAuthInput): Promise<LoginAuth> {
  if (input.challenge.origin !== input.origin) throw new OriginMismatch(input.origin, input.challenge.origin);
  const proof = await signLoginChallenge({
    privateKey: input.signer.privateKey,
    publicKey: input.signer.publicKey,
    origin: input.origin,
    nonceHex: input.challenge.nonce,
  });
  return input.invite === undefined || input.invite === null ? proof : { ...proof, invite: input.invite };
}
