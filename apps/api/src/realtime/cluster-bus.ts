import type { MemberRecord } from './socket-session';

/**
 * What api processes tell each other. Every event is a fact that already happened (in the database
 * or in config.toml), stated as an absolute state, so applying one twice is harmless.
 */
export interface ClusterEvents {
  /** A member's record changed (they joined, their roles changed): their sessions take it. */
  'member.updated': { readonly member: MemberRecord };
  /** A member joined (or joined again) under this name: mentions of it resolve to the key. */
  'member.joined': { readonly publicKey: string; readonly displayName: string };
  /** A member was revoked or banned: their name is no longer a mention. */
  'member.removed': { readonly publicKey: string };
  /** config.toml with this hash is running in the process that says so; the others follow. */
  'config.changed': { readonly hash: string };
}

export type ClusterEvent = keyof ClusterEvents;

export type ClusterHandler<E extends ClusterEvent> = (payload: ClusterEvents[E]) => void;

/**
 * The one way a feature tells every api process (itself included) that something changed, so
 * running several processes is configuration: the in-process bus is provided by default, a Redis
 * one can replace it without touching the features. Features never ask which one runs.
 *
 * Every implementation delivers each published event to every subscriber in every process, the
 * publisher's own included, in publication order per publisher. Handlers must be idempotent.
 */
export abstract class ClusterBus {
  abstract publish<E extends ClusterEvent>(event: E, payload: ClusterEvents[E]): void;
  abstract subscribe<E extends ClusterEvent>(event: E, handler: ClusterHandler<E>): void;
}
