import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

import type { Envelope } from '@mpqcht/protocol';

/** Wraps a handler's result as `{ ok: true, data }`, the success half of the envelope. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<Envelope<unknown>> {
    return next.handle().pipe(map((data: unknown) => ({ ok: true as const, data: data ?? {} })));
  }
}
