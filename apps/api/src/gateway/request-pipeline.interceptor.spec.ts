import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { firstValueFrom, type Observable, of } from 'rxjs';

import type { EnvelopeInterceptor } from '../common/envelope.interceptor';
import type { SlowmodeInterceptor } from '../rate-limit/slowmode.interceptor';
import { DrainInterceptor } from '../realtime/drain.interceptor';
import { GracefulShutdown } from '../realtime/graceful-shutdown';
import type { PushService } from '../realtime/push.service';
import { RequestPipelineInterceptor } from './request-pipeline.interceptor';

const context = {} as ExecutionContext;

/** Records when it runs, and wraps the answer so the order of the wrappers shows. */
function recorder(name: string, log: string[]): NestInterceptor {
  return {
    intercept: (_context: ExecutionContext, next: CallHandler): Observable<unknown> => {
      log.push(name);
      return new Promise<Observable<unknown>>((resolve) => {
        resolve(next.handle());
      }) as unknown as Observable<unknown>;
    },
  };
}

function pipeline(
  envelope: NestInterceptor,
  drain: NestInterceptor,
  slowmode: NestInterceptor,
): RequestPipelineInterceptor {
  return new RequestPipelineInterceptor(
    envelope as EnvelopeInterceptor,
    drain as DrainInterceptor,
    slowmode as SlowmodeInterceptor,
  );
}

async function result(value: Observable<unknown> | Promise<Observable<unknown>>): Promise<unknown> {
  return firstValueFrom(await value);
}

describe('RequestPipelineInterceptor', () => {
  it('runs envelope, drain and slowmode in that order, then the handler, once', async () => {
    const log: string[] = [];
    const chain = pipeline(recorder('envelope', log), recorder('drain', log), recorder('slowmode', log));
    let handled = 0;
    const answer = await result(
      chain.intercept(context, {
        handle: () => {
          handled += 1;
          return of('answer');
        },
      }),
    );
    expect(answer).toBe('answer');
    expect(log).toEqual(['envelope', 'drain', 'slowmode']);
    expect(handled).toBe(1);
  });

  it('a refusal thrown by a later stage still ends the request for the drain', async () => {
    const shutdown = new GracefulShutdown({} as PushService);
    const refuse: NestInterceptor = {
      intercept: () => {
        throw new Error('rate limited');
      },
    };
    const pass: NestInterceptor = { intercept: (_c, next) => next.handle() };
    const chain = pipeline(pass, new DrainInterceptor(shutdown), refuse);

    await expect(result(chain.intercept(context, { handle: () => of('never') }))).rejects.toThrow(
      'rate limited',
    );
    // Nothing is left in flight: a shutdown now finds the requests finished at once.
    shutdown.enter();
    shutdown.leave();
    expect((shutdown as unknown as { inFlight: number }).inFlight).toBe(0);
  });
});
