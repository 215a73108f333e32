import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Hand-written SQL through TypeORM's connection pool. `DataSource.query` returns `[rows, count]`
 * for UPDATE and DELETE but plain rows otherwise; this always returns the rows.
 */
@Injectable()
export class Sql {
  constructor(private readonly dataSource: DataSource) {}

  async rows<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(text, [...params], true);
      return result.records as T[];
    } finally {
      await runner.release();
    }
  }
}
