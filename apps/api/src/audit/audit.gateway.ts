import { SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import { AuditListRequest, type AuditPageDto } from '@mpqcht/protocol';

import { RequirePermission } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { AuditLogService } from './audit-log.service';

@RealtimeGateway()
export class AuditGateway {
  constructor(private readonly audit: AuditLogService) {}

  @RequirePermission('view_audit_log')
  @SubscribeMessage('audit.list')
  list(@Payload() request: z.output<typeof AuditListRequest>): Promise<AuditPageDto> {
    return this.audit.list(request);
  }
}
