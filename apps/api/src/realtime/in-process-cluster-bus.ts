import { Injectable } from '@nestjs/common';

import { ClusterBus, type ClusterEvent, type ClusterEvents, type ClusterHandler } from './cluster-bus';

type AnyHandler = (payload: never) => void;

/**
 * The bus of a single process: `publish` calls this process's subscribers synchronously, in the
 * order they subscribed, before it returns, so a publisher can rely on its own process having
 * applied the event (as a direct call would). A handler that throws stops the delivery and the
 * error reaches the publisher, as a direct call's would.
 */
@Injectable()
export class InProcessClusterBus extends ClusterBus {
  private readonly handlers = new Map<ClusterEvent, AnyHandler[]>();

  publish<E extends ClusterEvent>(event: E, payload: ClusterEvents[E]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as ClusterHandler<E>)(payload);
  }

  subscribe<E extends ClusterEvent>(event: E, handler: ClusterHandler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler);
    this.handlers.set(event, list);
  }
}
