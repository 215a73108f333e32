import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { OutageRefusals } from '../common/outage-refusals';
import { dataSourceOptions } from './data-source-options';
import { DatabaseAvailability, probeDatabase } from './database-availability';
import { EMBEDDED_DATABASE, type EmbeddedPostgresSupervisor } from './embedded-postgres-supervisor';
import { Migrator } from './migrator';
import { Sql } from './sql';

/**
 * The connection (TypeORM's pool), the migrations and the outage bookkeeping. There are no
 * entities: features query through `Sql` (docs/architecture.md, "Data"), which also runs transactions. Global: `Sql` and the
 * error filter's `OutageRefusals` are needed wherever a query runs or an error is answered.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, embedded: EmbeddedPostgresSupervisor | null): DynamicModule {
    // Made here because the pool's error handler is part of the TypeORM options.
    const availability = new DatabaseAvailability(() => probeDatabase(databaseUrl));
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          // An idle pooled connection that drops is part of an outage, not a warning of its own.
          ...dataSourceOptions(databaseUrl, (error) => {
            availability.poolError(error);
          }),
        }),
      ],
      providers: [
        { provide: DatabaseAvailability, useValue: availability },
        { provide: OutageRefusals, useExisting: DatabaseAvailability },
        { provide: EMBEDDED_DATABASE, useValue: embedded },
        Migrator,
        Sql,
      ],
      exports: [DatabaseAvailability, OutageRefusals, EMBEDDED_DATABASE, Migrator, Sql],
    };
  }
}
