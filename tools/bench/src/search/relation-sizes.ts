/** What the messages table and each of its indexes take on disk (search adds a column and indexes). */
import type { BenchDb } from '../database';

export interface RelationSize {
  readonly name: string;
  readonly mb: number;
}

/** The table (heap, without TOAST), its TOAST, then every index of it, largest first. */
export async function messageRelationSizes(db: BenchDb): Promise<RelationSize[]> {
  const rows = await db.query<{ name: string; bytes: string }>(
    `SELECT 'messages' AS name, pg_relation_size('messages') AS bytes
     UNION ALL
     SELECT 'messages (TOAST)', coalesce(pg_total_relation_size(reltoastrelid), 0)
       FROM pg_class WHERE oid = 'messages'::regclass
     UNION ALL
     (SELECT indexrelid::regclass::text, pg_relation_size(indexrelid)
        FROM pg_index WHERE indrelid = 'messages'::regclass
        ORDER BY pg_relation_size(indexrelid) DESC)`,
  );
  return rows.map((row) => ({ name: row.name, mb: Number(row.bytes) / 1_048_576 }));
}
