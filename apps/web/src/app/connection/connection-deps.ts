import { InjectionToken, type Provider, type Type } from '@angular/core';

import type { PublicKey } from '@mpqcht/identity';

import type { PowWorker } from './pow-worker-solver';
import type { ServerHttp } from './server-http';
import type { SocketFactory } from './server-socket';

export interface SigningIdentity {
  readonly publicKey: PublicKey;
  readonly signingKey: CryptoKey;
}

/** The transport and the clock of a connection; unit tests and the e2e harness swap them. */
export interface ConnectionDeps {
  readonly http: ServerHttp;
  readonly socketFactory: SocketFactory;
  readonly now: () => number;
  /** What the jitter of reconnect delays draws from; Math.random when absent. */
  readonly random?: () => number;
  /** Whether the browser says it has a network (`navigator.onLine`); assumed when absent. */
  readonly online?: () => boolean;
  /**
   * Starts a worker that solves a proof-of-work challenge off the page's thread; without it the
   * library solves in this thread (no progress is shown then).
   */
  readonly powWorker?: () => Promise<PowWorker>;
  /** Where login passes are kept between visits (localStorage); none are kept when absent. */
  readonly loginPasses?: Storage;
}

/** The origin of the server a connection's injector serves. */
export const SERVER_URL = new InjectionToken<string>('mpqcht server origin');
/** The unlocked identity that signs this connection's logins. */
export const SIGNING_IDENTITY = new InjectionToken<SigningIdentity>('mpqcht signing identity');
export const CONNECTION_DEPS = new InjectionToken<ConnectionDeps>('mpqcht connection deps');

/**
 * The per-server state classes (channels, members, typing, ...): each connection gets its own
 * instance of every one, in its own injector, so a feature adds a state here and nothing else
 * changes. Provided once by the app (`provideServerFeatures`).
 */
export const SERVER_FEATURES = new InjectionToken<readonly Type<unknown>[]>('mpqcht server features');

export function serverFeaturesProvider(features: readonly Type<unknown>[]): Provider {
  return { provide: SERVER_FEATURES, useValue: features };
}
