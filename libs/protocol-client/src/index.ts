export { type AuthCallback, loginAuthCallback } from './lib/auth-callback';
export {
  ChallengeUnavailable,
  fetchChallenge,
  type FetchChallengeOptions,
  type FetchLike,
} from './lib/challenge';
export { envelopeFailure, type FailureCode, handshakeFailure, ProtocolFailure } from './lib/failure';
export { freshLoginAuth, type FreshLoginInput } from './lib/fresh-login';
export { type HandshakeSocket, whenConnected } from './lib/handshake';
export {
  buildLoginAuth,
  type LoginAuth,
  type LoginAuthInput,
  type LoginSigner,
  OriginMismatch,
} from './lib/login-auth';
export {
  PowAborted,
  type PowProgress,
  type PowSolver,
  solvePow,
  type SolvePowOptions,
} from './lib/pow-solver';
export {
  ok,
  type ProtocolSocket,
  request,
  requestOk,
  type RequestOptions,
  type RequestSocket,
  RequestTimedOut,
} from './lib/request';
export * from './pow';
