import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Arbitrary constant shared by every api process of one database: "mpqc" in ASCII. */
const MIGRATION_LOCK_ID = 0x6d707163;

/**
 * Runs pending migrations before the api serves anything: main.ts calls `run()` after creating the
 * app (the pool is connected) and before `listen` runs any module's init hook, so no provider ever
 * queries a schema that is not migrated yet. Several processes may start at once on one database,
 * so the run is serialised by a session-level advisory lock held on its own connection.
 */
@Injectable()
export class Migrator {
  private readonly logger = new Logger(Migrator.name);

  constructor(private readonly dataSource: DataSource) {}

  async run(): Promise<void> {
    const lockHolder = this.dataSource.createQueryRunner();
    await lockHolder.connect();
    try {
      await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      const applied = await this.dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) this.logger.log(`applied migration ${migration.name}`);
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
      await lockHolder.release();
    }
  }
}
