import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change numbers (`rev`) for catch-up: every send, edit and delete in a channel takes the channel's
 * next `last_rev` under the same row lock as `last_seq`, so revs are gap-free and in commit order,
 * and a message row holds the rev of its latest change (docs/architecture.md, "Delivery").
 *
 * Sends become a batch function (group commit): the api hands it every send that arrived while the
 * previous batch was committing, as parallel arrays (contents as text[], not json, so any text a
 * single send could store goes through), in one transaction and one WAL flush.
 */
export class AddMessageRevisions1764070000000 implements MigrationInterface {
  name = 'AddMessageRevisions1764070000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE channel_sequences ADD COLUMN last_rev bigint`);
    await queryRunner.query(`UPDATE channel_sequences SET last_rev = last_seq`);
    await queryRunner.query(`ALTER TABLE channel_sequences ALTER COLUMN last_rev SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN rev bigint`);
    await queryRunner.query(`UPDATE messages SET rev = seq`);
    await queryRunner.query(`ALTER TABLE messages ALTER COLUMN rev SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX messages_channel_rev ON messages (channel_id, rev)`);

    await queryRunner.query(`DROP FUNCTION mpqcht_post_message(text, text, uuid, text, text[])`);
    // Items are taken in (channel, arrival) order so that concurrent batches (several processes)
    // lock channel rows in the same order and cannot deadlock; within a channel, arrival order is
    // kept. Per item as before: de-duplicate by (author, client id), take the next seq and rev,
    // insert, and give both back when a concurrent duplicate wins the unique race.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_post_messages(p_channels text[], p_authors text[], p_clients uuid[],
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

    // An edit or a delete takes the channel's next rev under its row lock, then changes the row if
    // it is still live (a delete may have committed first); if not, the rev is given back, so revs
    // stay gap-free. No row comes back when the message is gone (or is not the author's, for edits).
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_edit_message(p_id uuid, p_author text, p_content text, p_mentions text[])
      RETURNS TABLE (id uuid, channel_id text, seq bigint, rev bigint, author_key text, client_id uuid,
                     content text, mentions text[], created_at timestamptz, edited_at timestamptz)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_channel text;
        v_rev bigint;
      BEGIN
        SELECT m.channel_id INTO v_channel FROM messages m
        WHERE m.id = p_id AND m.author_key = p_author AND m.deleted_at IS NULL;
        IF NOT FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev + 1 WHERE c.channel_id = v_channel
        RETURNING c.last_rev INTO v_rev;
        RETURN QUERY UPDATE messages m SET content = p_content, mentions = p_mentions, edited_at = now(),
                                          rev = v_rev
                     WHERE m.id = p_id AND m.deleted_at IS NULL
                     RETURNING m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id, m.content,
                               m.mentions, m.created_at, m.edited_at;
        IF FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev - 1 WHERE c.channel_id = v_channel;
      END
      $$`);

    // A moderator's removal of someone else's message is audited in the same transaction.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_delete_message(p_id uuid, p_actor text, p_moderation boolean)
      RETURNS TABLE (channel_id text, seq bigint, rev bigint)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_channel text;
        v_rev bigint;
      BEGIN
        SELECT m.channel_id INTO v_channel FROM messages m WHERE m.id = p_id AND m.deleted_at IS NULL;
        IF NOT FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev + 1 WHERE c.channel_id = v_channel
        RETURNING c.last_rev INTO v_rev;
        RETURN QUERY
          WITH d AS (
            UPDATE messages m SET content = '', mentions = '{}', deleted_at = now(), rev = v_rev
            WHERE m.id = p_id AND m.deleted_at IS NULL
            RETURNING m.channel_id, m.seq, m.rev, m.author_key),
          a AS (
            INSERT INTO audit_log (actor_key, action, target, details)
            SELECT p_actor, 'message.removed', p_id::text,
                   jsonb_build_object('channelId', d.channel_id, 'author', d.author_key, 'seq', d.seq)
            FROM d WHERE p_moderation)
          SELECT d.channel_id, d.seq, d.rev FROM d;
        IF FOUND THEN RETURN; END IF;
        UPDATE channel_sequences c SET last_rev = c.last_rev - 1 WHERE c.channel_id = v_channel;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION mpqcht_delete_message(uuid, text, boolean)`);
    await queryRunner.query(`DROP FUNCTION mpqcht_edit_message(uuid, text, text, text[])`);
    await queryRunner.query(`DROP FUNCTION mpqcht_post_messages(text[], text[], uuid[], text[], jsonb)`);
    await queryRunner.query(`DROP INDEX messages_channel_rev`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN rev`);
    await queryRunner.query(`ALTER TABLE channel_sequences DROP COLUMN last_rev`);
    // The single-message function of AddMessageMentions1764040000000, as it was.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_post_message(p_channel text, p_author text, p_client uuid, p_content text,
                                          p_mentions text[])
      RETURNS TABLE (id uuid, channel_id text, seq bigint, author_key text, client_id uuid, content text,
                     mentions text[], created_at timestamptz, edited_at timestamptz, deleted_at timestamptz,
                     duplicate boolean)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_seq bigint;
        v_ms bigint;
      BEGIN
        RETURN QUERY SELECT m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.mentions,
                            m.created_at, m.edited_at, m.deleted_at, true
                     FROM messages m WHERE m.author_key = p_author AND m.client_id = p_client;
        IF FOUND THEN RETURN; END IF;

        INSERT INTO channel_sequences AS c (channel_id, last_seq, last_ms)
        VALUES (p_channel, 1, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
        ON CONFLICT (channel_id) DO UPDATE
          SET last_seq = c.last_seq + 1, last_ms = greatest(c.last_ms, EXCLUDED.last_ms)
        RETURNING c.last_seq, c.last_ms INTO v_seq, v_ms;

        RETURN QUERY INSERT INTO messages AS m (id, channel_id, seq, author_key, client_id, content, mentions,
                                                created_at)
                     VALUES (mpqcht_uuid7(v_ms, v_seq), p_channel, v_seq, p_author, p_client, p_content,
                             coalesce(p_mentions, '{}'), now())
                     ON CONFLICT (author_key, client_id) DO NOTHING
                     RETURNING m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.mentions,
                               m.created_at, m.edited_at, m.deleted_at, false;
        IF FOUND THEN RETURN; END IF;

        UPDATE channel_sequences c SET last_seq = c.last_seq - 1 WHERE c.channel_id = p_channel;
        RETURN QUERY SELECT m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.mentions,
                            m.created_at, m.edited_at, m.deleted_at, true
                     FROM messages m WHERE m.author_key = p_author AND m.client_id = p_client;
      END
      $$`);
  }
}
