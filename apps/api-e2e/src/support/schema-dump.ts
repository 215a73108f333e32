import type { Client } from 'pg';

/**
 * The schema of a migrated database as text, in a stable order: the migrations applied, then per
 * table its columns and constraints, its indexes and triggers, then sequences, views, enum types
 * and the functions with their bodies (where the message rules live). Read from the catalogs with
 * PostgreSQL's own `pg_get_*def` functions rather than `pg_dump`, whose output changes with its
 * version: the same migrations give the same text on PostgreSQL 15 (a CI server) and 17 (embedded).
 * Names are sorted bytewise (`COLLATE "C"`), so the clusters' locales do not matter; the search path
 * is emptied, so every name is printed schema-qualified whatever the connection's default is.
 */
export async function dumpSchema(client: Client): Promise<string> {
  await client.query(`SET search_path = ''`);
  const parts = [
    '-- The schema the migrations make (apps/api-e2e/src/schema.spec.ts compares; do not edit).',
    '-- After a deliberate migration: cd apps/api-e2e && UPDATE_SCHEMA_SNAPSHOT=1 npx jest src/schema.spec.ts',
    '',
    ...(await lines(client, `SELECT '-- migration ' || name FROM public.migrations ORDER BY id`)),
    ...(await tables(client)),
    ...(await lines(client, SEQUENCES)),
    '',
    ...(await lines(client, VIEWS)),
    ...(await lines(client, ENUMS)),
    ...(await lines(client, FUNCTIONS)),
  ];
  const text = parts.join('\n');
  // Trailing blanks inside function bodies are not part of any rule; the file stays clean.
  return `${text.replace(/[ \t]+$/gm, '').trimEnd()}\n`;
}

/** Objects of the public schema that no extension brought. */
const OWN = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid}
               AND d.deptype = 'e')`;

const TABLES = `
  SELECT c.oid, c.oid::regclass::text AS name, c.relpersistence = 'u' AS unlogged FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND ${OWN('pg_class', 'c.oid')}
  ORDER BY c.relname COLLATE "C"`;

const COLUMNS = `
  SELECT '  ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
         || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

// NOT NULL is printed with the column ('n' constraints exist in the catalog only from PostgreSQL 18).
const CONSTRAINTS = `
  SELECT '  CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
  WHERE conrelid = $1 AND contype IN ('p', 'u', 'f', 'c', 'x')
  ORDER BY conname COLLATE "C"`;

// Indexes made for a primary key, unique or exclusion constraint are printed as that constraint.
const INDEXES = `
  SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i
  WHERE i.indrelid = $1 AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conrelid = i.indrelid AND c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
  ORDER BY i.indexrelid::regclass::text COLLATE "C"`;

const TRIGGERS = `
  SELECT pg_get_triggerdef(oid) || ';' FROM pg_trigger WHERE tgrelid = $1 AND NOT tgisinternal
  ORDER BY tgname COLLATE "C"`;

const SEQUENCES = `
  SELECT 'CREATE SEQUENCE ' || s.seqrelid::regclass::text || ' AS ' || format_type(s.seqtypid, NULL)
         || coalesce(' OWNED BY ' || (SELECT d.refobjid::regclass::text || '.' || quote_ident(a.attname)
                                      FROM pg_depend d JOIN pg_attribute a
                                        ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                      WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                                        AND d.deptype IN ('a', 'i')), '') || ';'
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
  WHERE c.relnamespace = 'public'::regnamespace AND ${OWN('pg_class', 'c.oid')}
  ORDER BY c.relname COLLATE "C"`;

const VIEWS = `
  SELECT 'CREATE VIEW ' || c.oid::regclass::text || ' AS' || E'\\n' || pg_get_viewdef(c.oid) FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm') AND ${OWN('pg_class', 'c.oid')}
  ORDER BY c.relname COLLATE "C"`;

const ENUMS = `
  SELECT 'CREATE TYPE ' || t.oid::regtype::text || ' AS ENUM ('
         || string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) || ');'
  FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
  WHERE t.typnamespace = 'public'::regnamespace AND ${OWN('pg_type', 't.oid')}
  GROUP BY t.oid, t.typname ORDER BY t.typname COLLATE "C"`;

const FUNCTIONS = `
  SELECT rtrim(pg_get_functiondef(p.oid), E'\\n') || ';' || E'\\n' FROM pg_proc p
  WHERE p.pronamespace = 'public'::regnamespace AND ${OWN('pg_proc', 'p.oid')}
  ORDER BY p.proname COLLATE "C", pg_get_function_identity_arguments(p.oid) COLLATE "C"`;

async function tables(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ oid: number; name: string; unlogged: boolean }>(TABLES);
  const out: string[] = [];
  for (const table of rows) {
    const body = [
      ...(await lines(client, COLUMNS, [table.oid])),
      ...(await lines(client, CONSTRAINTS, [table.oid])),
    ];
    out.push('', `CREATE ${table.unlogged ? 'UNLOGGED ' : ''}TABLE ${table.name} (`, body.join(',\n'), ');');
    out.push(...(await lines(client, INDEXES, [table.oid])));
    out.push(...(await lines(client, TRIGGERS, [table.oid])));
  }
  out.push('');
  return out;
}

/** The first column of every row, as text. */
async function lines(client: Client, text: string, params: unknown[] = []): Promise<string[]> {
  const result = await client.query<string[]>({ text, values: params, rowMode: 'array' });
  return result.rows.map((row) => String(row[0]));
}
