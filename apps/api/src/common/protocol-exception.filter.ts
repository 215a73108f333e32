import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';

import type { Envelope } from '@mpqcht/protocol';

import { OutageRefusals } from './outage-refusals';
import { ProtocolError } from './protocol-error';

/**
 * Maps anything thrown by a handler to the error envelope; a database that cannot be reached is
 * `database_unavailable` (DatabaseAvailability, behind OutageRefusals, logs the outage), other
 * unexpected errors become `internal_error`.
 */
@Catch()
@Injectable()
export class ProtocolExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly outages: OutageRefusals) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const error =
      this.outages.refusalFor(exception, host.getType() === 'ws' ? 'request' : 'http') ??
      this.toProtocolError(exception);
    const envelope: Envelope<never> = { ok: false, error: error.toBody() };
    if (host.getType() === 'ws') {
      const ack: unknown = host.getArgByIndex(2);
      if (typeof ack === 'function') (ack as (body: unknown) => void)(envelope);
      return;
    }
    const response = host.switchToHttp().getResponse<Response>();
    response.status(error.httpStatus).json(envelope);
  }

  private toProtocolError(exception: unknown): ProtocolError {
    if (exception instanceof ProtocolError) return exception;
    // body-parser's errors are plain objects with an HTTP status and a `type`.
    const bodyError = (exception as { type?: unknown } | null)?.type;
    if (bodyError === 'entity.too.large')
      return new ProtocolError('payload_too_large', 'the request body is too large');
    if (typeof bodyError === 'string' && bodyError.startsWith('entity.')) {
      return new ProtocolError('validation_failed', 'the request body could not be read');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return new ProtocolError('not_found', 'no such route');
      if (status === 413) return new ProtocolError('payload_too_large', 'the request body is too large');
      if (status < 500) return new ProtocolError('validation_failed', exception.message);
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return new ProtocolError('internal_error', 'something went wrong on the server');
  }
}
