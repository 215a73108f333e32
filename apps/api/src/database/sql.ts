import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

/** What a transaction's work queries through: `rows`, on the transaction's one connection. */
export interface SqlTransaction {
  rows<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

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
      return await queryRows<T>(runner, text, params);
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled
   * back when it throws (the error is rethrown). For changes of several statements that a single
   * statement (a data-modifying CTE) would make hard to read.
   */
  async transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let open = true;
    const tx: SqlTransaction = {
      rows: <R>(text: string, params: readonly unknown[] = []) => {
        // A query after the end would run outside the transaction, or on someone else's connection.
        if (!open) return Promise.reject(new Error('query on a transaction that has ended'));
        return queryRows<R>(runner, text, params);
      },
    };
    try {
      await runner.startTransaction();
      try {
        const result = await work(tx);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        // The rollback's own failure (a lost connection, whose transaction PostgreSQL discards
        // anyway) must not hide the error that ended the work.
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      open = false;
      await runner.release();
    }
  }
}

/** The rows of a query on one connection, whatever its kind (TypeORM shapes UPDATE results differently). */
export async function queryRows<T>(
  runner: QueryRunner,
  text: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const result = await runner.query(text, [...params], true);
  return result.records as T[];
}
