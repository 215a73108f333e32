import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { EnvelopeInterceptor } from '../common/envelope.interceptor';
import { ProtocolExceptionFilter } from '../common/protocol-exception.filter';
import { AccessGuard } from './access.guard';
import { DrainInterceptor } from './drain.interceptor';
import { FloodInterceptor } from '../rate-limit/flood.interceptor';
import { SlowmodeInterceptor } from '../rate-limit/slowmode.interceptor';

/**
 * Every gateway is declared with this, so no event handler exists without the access guard, the
 * ack envelope and the error envelope. Server options come from MpqchtIoAdapter.
 */
export const RealtimeGateway = () =>
  applyDecorators(
    WebSocketGateway(),
    UseGuards(AccessGuard),
    // Rate limits run after the guard (Nest: guards, then interceptors), so the member is known.
    // The drain counts a request from before its rate limit to its answer (a refused one included).
    UseInterceptors(EnvelopeInterceptor, DrainInterceptor, FloodInterceptor, SlowmodeInterceptor),
    UseFilters(ProtocolExceptionFilter),
  );
