import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message search (docs/protocol.md, search.messages; docs/operations.md, Search index). This
 * migration only does what is instant on a table of any size, so it never holds a long lock on
 * `messages`: two nullable columns (a catalogue change, no rewrite), the functions, and a trigger
 * that fills them for every message written from now on. The rows already there are filled in
 * batches, and the indexes built with CREATE INDEX CONCURRENTLY, by the api after start
 * (`SearchIndexBuilder`), outside any migration transaction.
 *
 * - `search_vector`: the words of the content as the configured text search configuration reads
 *   them, plus, for a configuration other than `simple`, the words as written (so a query of only
 *   stop words can fall back to `simple`), plus marker lexemes for the `has:` and `mentions:`
 *   filters. The markers contain a space, which no parsed word can, so no query word reaches them.
 * - `home_channel_id`: the channel whose permissions decide who may see the message: its own
 *   channel, or for a thread's message the thread's channel. Search filters on it, so the threads of
 *   a channel a member can view are searched with it, and only those.
 */
export class AddMessageSearch1764100000000 implements MigrationInterface {
  name = 'AddMessageSearch1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A trusted extension: the database owner may create it. It lets one GIN index hold the channel
    // next to the words, so `in:` a channel and a word are intersected inside the index.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gin');
    await queryRunner.query(
      'ALTER TABLE messages ADD COLUMN search_vector tsvector, ADD COLUMN home_channel_id text',
    );
    // The planner chooses between the GIN index (rare words) and walking the newest messages
    // (common ones) by each lexeme's frequency; with the default target, a lexeme outside the
    // ~1,000 most common (rare words, every `mention <key>`) was estimated at hundreds of rows
    // and a search walked 200,000 (the bench's search part, docs/performance.md). A catalogue change.
    await queryRunner.query('ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000');

    // One row: the configuration new vectors are built with, and how far the rows written before it
    // was chosen have been rebuilt (by id; null: not started). `rebuilt` once every row is done.
    await queryRunner.query(`
      CREATE TABLE search_index_state (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        config regconfig NOT NULL DEFAULT 'simple',
        rebuilt_through uuid,
        rebuilt boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query('INSERT INTO search_index_state DEFAULT VALUES');

    // plpgsql, each part its own simple expression: a SQL-language function called from the trigger
    // would be planned again for every row (measured: 170 µs a row against 25 µs in this form).
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_search_vector(p_config regconfig, p_channel text, p_content text, p_mentions text[])
      RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        v tsvector := to_tsvector('simple', p_content);
      BEGIN
        IF p_config <> 'simple'::regconfig THEN v := to_tsvector(p_config, p_content) || v; END IF;
        IF p_content ~* 'https?://' THEN v := v || '''has link'''::tsvector; END IF;
        IF strpos(p_content, '\`') > 0 THEN v := v || '''has code'''::tsvector; END IF;
        IF cardinality(p_mentions) > 0 THEN
          -- Keys are hex: no comma inside one.
          v := v || '''has mention'''::tsvector
                 || array_to_tsvector(string_to_array('mention ' || array_to_string(p_mentions, ',mention '), ','));
        END IF;
        IF p_channel LIKE 'thread:%' THEN v := v || '''in thread'''::tsvector; END IF;
        RETURN v;
      END
      $$`);

    // A lexeme as tsquery input: quoted, its quotes and backslashes doubled.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_tsquery_lexeme(p_lexeme text, p_prefix boolean) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT ('''' || replace(replace(p_lexeme, '\\', '\\\\'), '''', '''''') || ''''
                || CASE WHEN p_prefix THEN ':*' ELSE '' END)::tsquery
      $$`);

    // The words of a query (docs/protocol.md, Search queries) as one tsquery in a configuration:
    // every word and phrase, none of the excluded ones. A prefix is each lexeme of the word as
    // that configuration reads it, with ':*'.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_search_words(p_config regconfig, p_words text[], p_prefixes text[],
                                          p_phrases text[], p_not_words text[], p_not_prefixes text[],
                                          p_not_phrases text[])
      RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
      DECLARE
        q tsquery := '';
        w text;
        l text;
        part tsquery;
      BEGIN
        FOREACH w IN ARRAY p_words LOOP q := q && plainto_tsquery(p_config, w); END LOOP;
        FOREACH w IN ARRAY p_phrases LOOP q := q && phraseto_tsquery(p_config, w); END LOOP;
        FOREACH w IN ARRAY p_prefixes LOOP
          FOR l IN SELECT lexeme FROM unnest(to_tsvector(p_config, w)) LOOP
            q := q && mpqcht_tsquery_lexeme(l, true);
          END LOOP;
        END LOOP;
        FOREACH w IN ARRAY p_not_words LOOP
          part := plainto_tsquery(p_config, w);
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        FOREACH w IN ARRAY p_not_phrases LOOP
          part := phraseto_tsquery(p_config, w);
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        FOREACH w IN ARRAY p_not_prefixes LOOP
          part := '';
          FOR l IN SELECT lexeme FROM unnest(to_tsvector(p_config, w)) LOOP
            part := part && mpqcht_tsquery_lexeme(l, true);
          END LOOP;
          IF numnode(part) > 0 THEN q := q && !! part; END IF;
        END LOOP;
        RETURN q;
      END
      $$`);

    // The configuration a query's words are read with: the server's, or `simple` when the words
    // are all stop words of the server's language (they are in every vector as written).
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_search_config(p_config regconfig, p_words text[], p_prefixes text[],
                                           p_phrases text[])
      RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p_config <> 'simple'::regconfig
                     AND cardinality(p_words) + cardinality(p_prefixes) + cardinality(p_phrases) > 0
                     AND numnode(mpqcht_search_words(p_config, p_words, p_prefixes, p_phrases,
                                                     '{}', '{}', '{}')) = 0
                    THEN 'simple'::regconfig ELSE p_config END
      $$`);

    // The filters kept as marker lexemes (`has link`, `mention <key>`, `in thread`), all required.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_search_markers(p_markers text[]) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(
          (SELECT string_agg(mpqcht_tsquery_lexeme(k, false)::text, ' & ') FROM unnest(p_markers) AS k),
          '')::tsquery
      $$`);

    // Fill both columns of every message written from now on, with the configuration in use.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_message_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_config regconfig;
      BEGIN
        SELECT s.config INTO v_config FROM search_index_state s;
        NEW.search_vector := mpqcht_search_vector(v_config, NEW.channel_id, NEW.content, NEW.mentions);
        IF TG_OP = 'INSERT' THEN
          IF NEW.channel_id LIKE 'thread:%' THEN
            SELECT t.channel_id INTO NEW.home_channel_id FROM threads t
            WHERE t.id = substr(NEW.channel_id, 8)::uuid;
          ELSE
            NEW.home_channel_id := NEW.channel_id;
          END IF;
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_search_columns BEFORE INSERT OR UPDATE OF content, mentions ON messages
      FOR EACH ROW EXECUTE FUNCTION mpqcht_message_search_columns()`);

    // The thread trigger on edits and deletes ran on any update of a thread's message; the backfill
    // updates every row, and must not make the members a message mentions follow its thread again.
    await queryRunner.query('DROP TRIGGER messages_thread_changed ON messages');
    await queryRunner.query(`
      CREATE TRIGGER messages_thread_changed AFTER UPDATE OF content, mentions, deleted_at ON messages
      FOR EACH ROW WHEN (NEW.channel_id LIKE 'thread:%') EXECUTE FUNCTION mpqcht_thread_message_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_thread_changed ON messages');
    await queryRunner.query(`
      CREATE TRIGGER messages_thread_changed AFTER UPDATE ON messages
      FOR EACH ROW WHEN (NEW.channel_id LIKE 'thread:%') EXECUTE FUNCTION mpqcht_thread_message_changed()`);
    await queryRunner.query('DROP TRIGGER messages_search_columns ON messages');
    await queryRunner.query('DROP FUNCTION mpqcht_message_search_columns()');
    await queryRunner.query('DROP FUNCTION mpqcht_search_markers(text[])');
    await queryRunner.query('DROP FUNCTION mpqcht_search_config(regconfig, text[], text[], text[])');
    await queryRunner.query(
      'DROP FUNCTION mpqcht_search_words(regconfig, text[], text[], text[], text[], text[], text[])',
    );
    await queryRunner.query('DROP FUNCTION mpqcht_tsquery_lexeme(text, boolean)');
    await queryRunner.query('DROP FUNCTION mpqcht_search_vector(regconfig, text, text, text[])');
    await queryRunner.query('DROP TABLE search_index_state');
    await queryRunner.query('DROP INDEX IF EXISTS messages_search');
    await queryRunner.query('DROP INDEX IF EXISTS messages_home_channel_id_id');
    await queryRunner.query('DROP INDEX IF EXISTS messages_author_key_id');
    await queryRunner.query('ALTER TABLE messages DROP COLUMN search_vector, DROP COLUMN home_channel_id');
  }
}
