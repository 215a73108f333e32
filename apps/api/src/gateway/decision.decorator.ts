import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import { decisionOf, type RequestDecision } from '../policy/request-decision';

/**
 * The AccessGuard's decision about the request's channel (`@RequireChannel()` handlers only): the
 * channel id and the member's permissions there, resolved once and handed to the service.
 */
export const Decision = createParamDecorator((_: unknown, context: ExecutionContext): RequestDecision =>
  decisionOf(context),
);
