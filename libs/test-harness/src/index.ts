export {
  API_MAIN,
  defaultConfig,
  embeddedUrl,
  runApi,
  startApi,
  tempDir,
  type ApiOptions,
  type ApiProcess,
} from './lib/api-process';
export { createDatabase, dropDatabase, serverUrl, withClient } from './lib/database';
export { freePort } from './lib/free-port';
export { harnessEnv, type HarnessEnv } from './lib/harness-env';
