export {
  API_MAIN,
  type ApiOptions,
  type ApiProcess,
  defaultConfig,
  embeddedUrl,
  runApi,
  startApi,
  tempDir,
} from './lib/api-process';
export {
  COTURN_CONFIG,
  type CoturnOptions,
  type CoturnProcess,
  startCoturn,
  type TurnClientCredentials,
  type TurnClientResult,
} from './lib/coturn';
export { createDatabase, dropDatabase, serverUrl, withClient } from './lib/database';
export { freePort } from './lib/free-port';
export { type HarnessEnv, harnessEnv } from './lib/harness-env';
