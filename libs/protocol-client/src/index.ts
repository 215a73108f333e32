export { ProtocolFailure, envelopeFailure, handshakeFailure, type FailureCode } from './lib/failure';
export {
  ChallengeUnavailable,
  fetchChallenge,
  type FetchChallengeOptions,
  type FetchLike,
} from './lib/challenge';
export {
  OriginMismatch,
  buildLoginAuth,
  type LoginAuth,
  type LoginAuthInput,
  type LoginSigner,
} from './lib/login-auth';
export { freshLoginAuth, type FreshLoginInput } from './lib/fresh-login';
export { loginAuthCallback, type AuthCallback } from './lib/auth-callback';
export {
  RequestTimedOut,
  ok,
  request,
  requestOk,
  type ProtocolSocket,
  type RequestOptions,
  type RequestSocket,
} from './lib/request';
export { whenConnected, type HandshakeSocket } from './lib/handshake';
