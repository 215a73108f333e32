import { applyDecorators, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';

import { ProtocolExceptionFilter } from '../common/protocol-exception.filter';
import { AccessGuard } from './access.guard';
import { RequestPipelineInterceptor } from './request-pipeline.interceptor';

/**
 * Every gateway is declared with this, so no event handler exists without the access guard, the
 * ack envelope and the error envelope. Server options come from MpqchtIoAdapter.
 */
export const RealtimeGateway = () =>
  applyDecorators(
    WebSocketGateway(),
    UseGuards(AccessGuard),
    // Envelope, drain, flood bucket and slowmode, chained as one (see RequestPipelineInterceptor).
    UseInterceptors(RequestPipelineInterceptor),
    UseFilters(ProtocolExceptionFilter),
  );
