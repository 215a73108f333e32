import { Controller, Get } from '@nestjs/common';
import type { HealthDto, ServerInfoDto } from '@mpqcht/protocol';
import { DataSource } from 'typeorm';
import { ProtocolError } from '../common/protocol-error';
import { ServerInfoService } from './server-info.service';

@Controller()
export class ServerController {
  constructor(
    private readonly serverInfo: ServerInfoService,
    private readonly dataSource: DataSource,
  ) {}

  /** Public: what a client shows before logging in. */
  @Get('server')
  server(): ServerInfoDto {
    return this.serverInfo.info();
  }

  /** 200 when the api can reach its database, 503 otherwise. */
  @Get('health')
  async health(): Promise<HealthDto> {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ProtocolError('database_unavailable', 'the database is not reachable');
    }
    return { status: 'ok', database: 'up' };
  }
}
