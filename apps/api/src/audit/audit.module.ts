import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { AuditGateway } from './audit.gateway';
import { AuditLogService } from './audit-log.service';

/** The append-only audit log: written by the features that act, read by `audit.list`. */
@Module({
  imports: [GatewayModule],
  providers: [AuditLogService, AuditGateway],
  exports: [AuditLogService],
})
export class AuditModule {}
