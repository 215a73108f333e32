import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { EnvelopeInterceptor } from '../common/envelope.interceptor';
import { ProtocolExceptionFilter } from '../common/protocol-exception.filter';
import { AccessGuard } from './access.guard';

/**
 * Every gateway is declared with this, so no event handler exists without the access guard, the
 * ack envelope and the error envelope. Server options come from MpqchtIoAdapter.
 */
export const RealtimeGateway = () =>
  applyDecorators(
    WebSocketGateway(),
    UseGuards(AccessGuard),
    UseInterceptors(EnvelopeInterceptor),
    UseFilters(ProtocolExceptionFilter),
  );
