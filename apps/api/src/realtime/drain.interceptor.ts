import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';

import { GracefulShutdown } from './graceful-shutdown';

/** Counts the requests being handled, so a shutdown can wait for them, and refuses new ones then. */
@Injectable()
export class DrainInterceptor implements NestInterceptor {
  constructor(private readonly shutdown: GracefulShutdown) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    this.shutdown.enter();
    return next.handle().pipe(
      finalize(() => {
        this.shutdown.leave();
      }),
    );
  }
}
