import { fetchChallenge, type FetchChallengeOptions } from './challenge';
import { buildLoginAuth, type LoginAuth, type LoginSigner } from './login-auth';

export interface FreshLoginInput extends FetchChallengeOptions {
  /** Where the server is: `POST <baseUrl>/api/auth/challenge`. */
  readonly baseUrl: string;
  /** The origin to sign for; `baseUrl` unless the caller knows better (a tunnel, a proxy). */
  readonly origin?: string;
  readonly signer: LoginSigner;
  readonly invite?: string | null;
}

/** A new challenge, checked and signed: one handshake's `auth`. A nonce works once, so never reuse it. */
export async function freshLoginAuth(input: FreshLoginInput): Promise<LoginAuth> {
  const challenge = await fetchChallenge(input.baseUrl, input);
  return buildLoginAuth({
    signer: input.signer,
    origin: input.origin ?? input.baseUrl,
    challenge,
    invite: input.invite,
  });
}
