import type { ExecutionContext } from '@nestjs/common';

import type { EffectivePermissions } from '@mpqcht/permissions';

import type { ThreadRecord } from '../streams/thread-record';

/**
 * What the AccessGuard decided about a request that names a message stream (a channel or a thread):
 * the stream, its channel, and the member's permissions there (flags and limits). Made once per
 * request and handed on, so slowmode and the services enforce their rules on the same answer
 * instead of resolving the permissions again (and possibly against a config.toml that changed in
 * between).
 */
export interface RequestDecision {
  /** Where the messages are: the channel's id, or `thread:<id>` for a thread. */
  readonly streamId: string;
  /** The channel: the stream itself, or the thread's channel (whose room gets the pushes). */
  readonly channelId: string;
  /** The thread, when the stream is one. */
  readonly thread: ThreadRecord | null;
  readonly permissions: EffectivePermissions;
}

/**
 * Decisions keyed by the request's payload object. Guards and interceptors see the same args
 * array, but Nest hands a param decorator a copy of it, so the array cannot be the key; the payload
 * (decoded from the frame, one object per request) is the same object everywhere. Weak, so a
 * decision lives exactly as long as its request.
 */
const decisions = new WeakMap<object, RequestDecision>();

function payloadOf(context: ExecutionContext): unknown {
  return context.switchToWs().getData();
}

/** Called by the AccessGuard once it has let a request that names a channel through. */
export function recordDecision(context: ExecutionContext, decision: RequestDecision): void {
  const payload = payloadOf(context);
  if (typeof payload !== 'object' || payload === null) {
    throw new Error('a channel decision needs an object payload (one with a channelId)');
  }
  decisions.set(payload, decision);
}

/**
 * The decision the AccessGuard recorded for this request. Throws when there is none: the handler
 * lacks `@RequireChannel()`, which is a bug, not a refusal.
 */
export function decisionOf(context: ExecutionContext): RequestDecision {
  const payload = payloadOf(context);
  const decision = typeof payload === 'object' && payload !== null ? decisions.get(payload) : undefined;
  if (!decision) {
    throw new Error(`no channel decision for ${String(context.getArgByIndex(3))}: add @RequireChannel()`);
  }
  return decision;
}
