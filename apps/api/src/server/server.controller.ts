import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { HealthDto, ServerInfoDto } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { DATABASE_RETRY_MS, DatabaseAvailability } from '../database/database-availability';
import { EMBEDDED_DATABASE, type EmbeddedPostgresSupervisor } from '../database/embedded-postgres-supervisor';
import { SearchIndexBuilder } from '../search-index/search-index-builder';
import { ServerInfoService } from './server-info.service';

@Controller()
export class ServerController {
  constructor(
    private readonly serverInfo: ServerInfoService,
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly database: DatabaseAvailability,
    @Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedPostgresSupervisor | null,
    private readonly searchIndex: SearchIndexBuilder,
  ) {}

  /** Public: what a client shows before logging in. */
  @Get('server')
  server(): ServerInfoDto {
    return this.serverInfo.info();
  }

  /**
   * 200 when the api can reach its database, 503 `database_unavailable` otherwise, whose details
   * are the same report (`database: "down"`) with `retryAfterMs`. `turn` says whether voice has a
   * relay, so an operator sees a missing TURN set-up without a call failing first; it is read
   * from the environment, which cannot change while the process runs. `search` says whether the
   * search index is complete (docs/operations.md, Search index).
   */
  @Get('health')
  async health(): Promise<HealthDto> {
    const turn = this.config.env.turn ? 'on' : 'off';
    const search = this.searchIndex.ready ? 'ready' : 'indexing';
    const embedded = this.embedded ? { embeddedDatabase: this.embedded.status() } : {};
    try {
      await this.dataSource.query('SELECT 1');
    } catch (error) {
      const refusal = this.database.refusalFor(error, 'http');
      const report: HealthDto = { status: 'unavailable', database: 'down', turn, search, ...embedded };
      throw new ProtocolError('database_unavailable', 'the database is not reachable', {
        retryAfterMs: DATABASE_RETRY_MS,
        ...refusal?.details,
        ...report,
      });
    }
    return { status: 'ok', database: 'up', turn, search, ...embedded };
  }
}
