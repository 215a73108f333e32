import { Module } from '@nestjs/common';
import { GatewayModule } from '../gateway/gateway.module';
import { AuditLogService } from './audit-log.service';
import { AuditGateway } from './audit.gateway';

/** The append-only audit log: written by the features that act, read by `audit.list`. */
@Module({
  imports: [GatewayModule],
  providers: [AuditLogService, AuditGateway],
  exports: [AuditLogService],
})
export class AuditModule {}
