import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import { REQUEST_SCHEMAS, type RequestEvent } from '@mpqcht/protocol';

import { validate } from '../common/validate';

function isRequestEvent(event: unknown): event is RequestEvent {
  return typeof event === 'string' && Object.hasOwn(REQUEST_SCHEMAS, event);
}

/** The protocol event a websocket handler is serving (Nest passes (socket, data, ack, pattern)). */
export function requestEvent(context: ExecutionContext): RequestEvent {
  const event: unknown = context.getArgByIndex(3);
  if (!isRequestEvent(event)) throw new Error(`no request schema for event ${String(event)}`);
  return event;
}

/** Validates a websocket payload against the schema libs/protocol declares for the event. */
export function validatePayload(context: ExecutionContext): unknown {
  return validate(REQUEST_SCHEMAS[requestEvent(context)], context.switchToWs().getData());
}

/**
 * The request payload, validated against the schema that libs/protocol declares for the event
 * being handled, so a handler cannot pair an event with the wrong schema or skip validation.
 */
export const Payload = createParamDecorator((_: unknown, context: ExecutionContext): unknown =>
  validatePayload(context),
);
