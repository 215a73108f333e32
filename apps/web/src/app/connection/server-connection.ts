import { Injector, type ProviderToken, type Type } from '@angular/core';

import {
  CONNECTION_DEPS,
  type ConnectionDeps,
  SERVER_URL,
  SIGNING_IDENTITY,
  type SigningIdentity,
} from './connection-deps';
import { ServerSession } from './server-session';

/**
 * One mpqcht server as the client holds it: an injector of its own with the session and one
 * instance of every feature state, so two servers on the page never share state. Components reach
 * a feature's state with `get(ChannelsState)`.
 */
export class ServerConnection {
  readonly session: ServerSession;
  private readonly injector: Injector;

  constructor(
    readonly url: string,
    identity: SigningIdentity,
    deps: ConnectionDeps,
    features: readonly Type<unknown>[],
    parent: Injector = Injector.NULL,
  ) {
    this.injector = Injector.create({
      name: `server ${url}`,
      parent,
      providers: [
        { provide: SERVER_URL, useValue: url },
        { provide: SIGNING_IDENTITY, useValue: identity },
        { provide: CONNECTION_DEPS, useValue: deps },
        ServerSession,
        ...features,
      ],
    });
    this.session = this.injector.get(ServerSession);
    // Every feature follows its pushes and logins from the start, not from its first reader.
    for (const feature of features) this.injector.get(feature);
  }

  get<T>(token: ProviderToken<T>): T {
    return this.injector.get(token);
  }
}
