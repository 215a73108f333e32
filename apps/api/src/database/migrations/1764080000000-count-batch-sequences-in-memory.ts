import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `mpqcht_post_messages` without one `channel_sequences` UPDATE per message: a batch of n sends to
 * one channel made n versions of that row in one transaction, each found by walking the versions
 * before it (quadratic in the batch). Now the channel row is locked once per batch (in channel
 * order, as before, so concurrent batches cannot deadlock), its counters are kept in variables
 * while the channel's messages are inserted, and written back once. A number is only taken when
 * its insert succeeds, so a concurrent duplicate no longer needs a number given back, and a retry
 * is found by the insert's conflict on (author, client id) instead of a lookup before every insert.
 */
export class CountBatchSequencesInMemory1764080000000 implements MigrationInterface {
  name = 'CountBatchSequencesInMemory1764080000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mpqcht_post_messages(p_channels text[], p_authors text[], p_clients uuid[],
                                                      p_contents text[], p_mentions jsonb)
      RETURNS TABLE (ord int, id uuid, channel_id text, seq bigint, rev bigint, author_key text,
                     client_id uuid, content text, mentions text[], created_at timestamptz,
                     edited_at timestamptz, duplicate boolean)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_item record;
        v_channel text;
        v_seq bigint;
        v_rev bigint;
        v_ms bigint;
        v_now_ms bigint;
      BEGIN
        FOR v_item IN
          SELECT (i.ord - 1)::int AS ord, i.channel, i.author, i.client, i.content,
                 ARRAY(SELECT jsonb_array_elements_text(p_mentions -> (i.ord - 1)::int)) AS mentions
          FROM unnest(p_channels, p_authors, p_clients, p_contents)
               WITH ORDINALITY AS i(channel, author, client, content, ord)
          ORDER BY i.channel, i.ord
        LOOP
          IF v_channel IS DISTINCT FROM v_item.channel THEN
            IF v_channel IS NOT NULL THEN
              UPDATE channel_sequences c SET last_seq = v_seq, last_rev = v_rev, last_ms = v_ms
              WHERE c.channel_id = v_channel;
            END IF;
            v_channel := v_item.channel;
            INSERT INTO channel_sequences AS c (channel_id, last_seq, last_rev, last_ms)
            VALUES (v_channel, 0, 0, 0) ON CONFLICT (channel_id) DO NOTHING;
            SELECT c.last_seq, c.last_rev, c.last_ms INTO v_seq, v_rev, v_ms
            FROM channel_sequences c WHERE c.channel_id = v_channel FOR UPDATE;
          END IF;

          v_now_ms := greatest(v_ms, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint);
          RETURN QUERY INSERT INTO messages AS m (id, channel_id, seq, rev, author_key, client_id, content,
                                                  mentions, created_at)
                       VALUES (mpqcht_uuid7(v_now_ms, v_seq + 1), v_channel, v_seq + 1, v_rev + 1,
                               v_item.author, v_item.client, v_item.content, v_item.mentions, now())
                       ON CONFLICT (author_key, client_id) DO NOTHING
                       RETURNING v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                                 m.content, m.mentions, m.created_at, m.edited_at, false;
          IF FOUND THEN
            v_seq := v_seq + 1;
            v_rev := v_rev + 1;
            v_ms := v_now_ms;
            CONTINUE;
          END IF;

          -- Stored before (a retry), or meanwhile by a concurrent transaction that committed while
          -- this one waited on the unique index: the stored message, as a duplicate.
          RETURN QUERY SELECT v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                              m.content, m.mentions, m.created_at, m.edited_at, true
                       FROM messages m WHERE m.author_key = v_item.author AND m.client_id = v_item.client;
        END LOOP;
        IF v_channel IS NOT NULL THEN
          UPDATE channel_sequences c SET last_seq = v_seq, last_rev = v_rev, last_ms = v_ms
          WHERE c.channel_id = v_channel;
        END IF;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The per-message version of AddMessageRevisions1764070000000.
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION mpqcht_post_messages(p_channels text[], p_authors text[], p_clients uuid[],
                                                      p_contents text[], p_mentions jsonb)
      RETURNS TABLE (ord int, id uuid, channel_id text, seq bigint, rev bigint, author_key text,
                     client_id uuid, content text, mentions text[], created_at timestamptz,
                     edited_at timestamptz, duplicate boolean)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_item record;
        v_seq bigint;
        v_rev bigint;
        v_ms bigint;
      BEGIN
        FOR v_item IN
          SELECT (i.ord - 1)::int AS ord, i.channel, i.author, i.client, i.content,
                 ARRAY(SELECT jsonb_array_elements_text(p_mentions -> (i.ord - 1)::int)) AS mentions
          FROM unnest(p_channels, p_authors, p_clients, p_contents)
               WITH ORDINALITY AS i(channel, author, client, content, ord)
          ORDER BY i.channel, i.ord
        LOOP
          RETURN QUERY SELECT v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                              m.content, m.mentions, m.created_at, m.edited_at, true
                       FROM messages m WHERE m.author_key = v_item.author AND m.client_id = v_item.client;
          CONTINUE WHEN FOUND;

          INSERT INTO channel_sequences AS c (channel_id, last_seq, last_rev, last_ms)
          VALUES (v_item.channel, 1, 1, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
          ON CONFLICT (channel_id) DO UPDATE
            SET last_seq = c.last_seq + 1, last_rev = c.last_rev + 1,
                last_ms = greatest(c.last_ms, EXCLUDED.last_ms)
          RETURNING c.last_seq, c.last_rev, c.last_ms INTO v_seq, v_rev, v_ms;

          RETURN QUERY INSERT INTO messages AS m (id, channel_id, seq, rev, author_key, client_id, content,
                                                  mentions, created_at)
                       VALUES (mpqcht_uuid7(v_ms, v_seq), v_item.channel, v_seq, v_rev, v_item.author,
                               v_item.client, v_item.content, v_item.mentions, now())
                       ON CONFLICT (author_key, client_id) DO NOTHING
                       RETURNING v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                                 m.content, m.mentions, m.created_at, m.edited_at, false;
          CONTINUE WHEN FOUND;

          UPDATE channel_sequences c SET last_seq = c.last_seq - 1, last_rev = c.last_rev - 1
          WHERE c.channel_id = v_item.channel;
          RETURN QUERY SELECT v_item.ord, m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id,
                              m.content, m.mentions, m.created_at, m.edited_at, true
                       FROM messages m WHERE m.author_key = v_item.author AND m.client_id = v_item.client;
        END LOOP;
      END
      $$`);
  }
}
