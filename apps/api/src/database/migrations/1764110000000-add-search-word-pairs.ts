import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phrases through word pairs, and markers no prefix reaches (docs/operations.md, Search index).
 *
 * A phrase of two common words (`"in for"`) was the slowest search: the GIN index only knows which
 * messages hold both words (a third of the corpus), not whether they stand side by side, so
 * PostgreSQL read and rechecked every one of them (docs/performance.md, Search). Each vector now
 * also holds a lexeme for every pair of adjacent words, ` a b`, so a phrase is looked up by its
 * pairs in the index, and a two-word phrase is exactly its pair.
 *
 * The lexemes that are not words start with a space, which no parsed word can hold, so no query
 * word or prefix reaches them: pairs hold two spaces (` a b`), markers one (` has:link`,
 * ` mention:<key>`, ` in:thread`). The markers were `has link` and so on, which the prefix `has*`
 * matched in every message with a link.
 *
 * The GIN index stops using its pending list (`fastupdate`): merging it stalled the send that found
 * it full (docs/performance.md, Search: the write path).
 *
 * Existing vectors are rebuilt by the api after start, in batches (`SearchIndexBuilder`), as after
 * a change of `[search] language`: this migration only replaces functions and resets that state.
 */
export class AddSearchWordPairs1764110000000 implements MigrationInterface {
  name = 'AddSearchWordPairs1764110000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The pairs of a vector: the lexemes at positions p and p + 1. In one pass over the lexemes
    // into an array by position, then one along it (measured: about 25 µs for a message of the
    // bench, against 35 µs for a window query and 50 µs for a self-join). A position holding two
    // lexemes (a dictionary's variants) keeps one; the query side never pairs such a position. A
    // pair of two very long words would pass the lexeme limit (2,047 bytes) and is left out: such a
    // phrase is still found through its words.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_word_pairs(p_vector tsvector) RETURNS tsvector
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        v_at text[];
        r record;
        p int;
        v_pairs text[] := '{}';
      BEGIN
        FOR r IN SELECT lexeme, positions FROM unnest(p_vector) LOOP
          FOREACH p IN ARRAY r.positions LOOP v_at[p] := r.lexeme; END LOOP;
        END LOOP;
        FOR p IN 2 .. coalesce(array_upper(v_at, 1), 0) LOOP
          IF v_at[p] IS NOT NULL AND v_at[p - 1] IS NOT NULL
             AND octet_length(v_at[p - 1]) + octet_length(v_at[p]) < 2040 THEN
            v_pairs := v_pairs || (' ' || v_at[p - 1] || ' ' || v_at[p]);
          END IF;
        END LOOP;
        RETURN array_to_tsvector(v_pairs);
      END
      $$`);

    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mpqcht_search_vector(p_config regconfig, p_channel text, p_content text, p_mentions text[])
      RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        v_simple tsvector := to_tsvector('simple', p_content);
        v tsvector := v_simple || mpqcht_word_pairs(v_simple);
        v_words tsvector;
      BEGIN
        IF p_config <> 'simple'::regconfig THEN
          v_words := to_tsvector(p_config, p_content);
          v := v_words || mpqcht_word_pairs(v_words) || v;
        END IF;
        IF p_content ~* 'https?://' THEN v := v || ''' has:link'''::tsvector; END IF;
        IF strpos(p_content, '\`') > 0 THEN v := v || ''' has:code'''::tsvector; END IF;
        IF cardinality(p_mentions) > 0 THEN
          -- Keys are hex: no comma inside one.
          v := v || ''' has:mention'''::tsvector
                 || array_to_tsvector(string_to_array(' mention:' || array_to_string(p_mentions, ', mention:'), ','));
        END IF;
        IF p_channel LIKE 'thread:%' THEN v := v || ''' in:thread'''::tsvector; END IF;
        RETURN v;
      END
      $$`);

    // The phrases of a query for the index: each one's pairs, and the phrase itself to check the
    // order of longer ones. A phrase of exactly two adjacent words is its pair and nothing more, so
    // the planner estimates it from that pair's own frequency. A position holding more than one
    // lexeme (a dictionary's variants) gives no pair: the phrase itself decides.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_search_phrases(p_config regconfig, p_phrases text[]) RETURNS tsquery
      LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        q tsquery := '';
        w text;
        v_words tsvector;
        v_positions int;
        v_pairs text[];
        l text;
      BEGIN
        FOREACH w IN ARRAY p_phrases LOOP
          v_words := to_tsvector(p_config, w);
          SELECT count(*) INTO v_positions FROM unnest(v_words) AS u, unnest(u.positions);
          SELECT coalesce(array_agg(' ' || a.lexeme || ' ' || b.lexeme), '{}') INTO v_pairs
          FROM (SELECT lexeme, unnest(positions) AS p FROM unnest(v_words)) a
          JOIN (SELECT lexeme, unnest(positions) AS p FROM unnest(v_words)) b ON b.p = a.p + 1
          WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2040
            AND NOT EXISTS (SELECT 1 FROM unnest(v_words) AS o, unnest(o.positions) AS op
                            WHERE op IN (a.p, b.p) AND o.lexeme NOT IN (a.lexeme, b.lexeme));
          FOREACH l IN ARRAY v_pairs LOOP q := q && mpqcht_tsquery_lexeme(l, false); END LOOP;
          IF NOT (v_positions = 2 AND cardinality(v_pairs) = 1) THEN
            q := q && phraseto_tsquery(p_config, w);
          END IF;
        END LOOP;
        RETURN q;
      END
      $$`);

    await queryRunner.query('UPDATE search_index_state SET rebuilt_through = NULL, rebuilt = false');

    // An index built before this migration takes a message's lexemes into a pending list, which
    // the insert that finds it full merges while its send waits (SEARCH_INDEXES has the new
    // definition for indexes built from now on; an invalid one is built again with it). Emptied
    // here: the list holds at most 4 MB.
    const existing: unknown = await queryRunner.query(
      `SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname = 'messages_search' AND c.relnamespace = 'public'::regnamespace AND i.indisvalid`,
    );
    if (Array.isArray(existing) && existing.length > 0) {
      await queryRunner.query('ALTER INDEX messages_search SET (fastupdate = off)');
      await queryRunner.query(`SELECT gin_clean_pending_list('messages_search'::regclass)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER INDEX IF EXISTS messages_search RESET (fastupdate)');
    await queryRunner.query('DROP FUNCTION mpqcht_search_phrases(regconfig, text[])');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mpqcht_search_vector(p_config regconfig, p_channel text, p_content text, p_mentions text[])
      RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        v tsvector := to_tsvector('simple', p_content);
      BEGIN
        IF p_config <> 'simple'::regconfig THEN v := to_tsvector(p_config, p_content) || v; END IF;
        IF p_content ~* 'https?://' THEN v := v || '''has link'''::tsvector; END IF;
        IF strpos(p_content, '\`') > 0 THEN v := v || '''has code'''::tsvector; END IF;
        IF cardinality(p_mentions) > 0 THEN
          v := v || '''has mention'''::tsvector
                 || array_to_tsvector(string_to_array('mention ' || array_to_string(p_mentions, ',mention '), ','));
        END IF;
        IF p_channel LIKE 'thread:%' THEN v := v || '''in thread'''::tsvector; END IF;
        RETURN v;
      END
      $$`);
    await queryRunner.query('DROP FUNCTION mpqcht_word_pairs(tsvector)');
    await queryRunner.query('UPDATE search_index_state SET rebuilt_through = NULL, rebuilt = false');
  }
}
