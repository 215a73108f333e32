import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The members a message mentions (public keys, resolved by the api on send and edit), and
 * `mpqcht_post_message` with a fifth parameter to store them in the same round trip.
 */
export class AddMessageMentions1764040000000 implements MigrationInterface {
  name = 'AddMessageMentions1764040000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN mentions text[] NOT NULL DEFAULT '{}'`);
    // For the mention counts of read states: only the messages that mention someone are indexed.
    await queryRunner.query(
      `CREATE INDEX messages_mentions ON messages USING gin (mentions) WHERE mentions <> '{}'`,
    );

    await queryRunner.query(`DROP FUNCTION mpqcht_post_message(text, text, uuid, text)`);
    // As before (de-duplicate by (author, client id), take the channel's next seq under its row lock,
    // make the id there, give the seq back when a concurrent duplicate wins the unique race), and
    // the mentions are stored with the message.
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

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION mpqcht_post_message(text, text, uuid, text, text[])`);
    // The function of the initial schema, unchanged.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_post_message(p_channel text, p_author text, p_client uuid, p_content text)
      RETURNS TABLE (id uuid, channel_id text, seq bigint, author_key text, client_id uuid, content text,
                     created_at timestamptz, edited_at timestamptz, deleted_at timestamptz, duplicate boolean)
      LANGUAGE plpgsql AS $$
      #variable_conflict use_column
      DECLARE
        v_seq bigint;
        v_ms bigint;
      BEGIN
        RETURN QUERY SELECT m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.created_at,
                            m.edited_at, m.deleted_at, true
                     FROM messages m WHERE m.author_key = p_author AND m.client_id = p_client;
        IF FOUND THEN RETURN; END IF;

        INSERT INTO channel_sequences AS c (channel_id, last_seq, last_ms)
        VALUES (p_channel, 1, floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint)
        ON CONFLICT (channel_id) DO UPDATE
          SET last_seq = c.last_seq + 1, last_ms = greatest(c.last_ms, EXCLUDED.last_ms)
        RETURNING c.last_seq, c.last_ms INTO v_seq, v_ms;

        RETURN QUERY INSERT INTO messages AS m (id, channel_id, seq, author_key, client_id, content, created_at)
                     VALUES (mpqcht_uuid7(v_ms, v_seq), p_channel, v_seq, p_author, p_client, p_content, now())
                     ON CONFLICT (author_key, client_id) DO NOTHING
                     RETURNING m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.created_at,
                               m.edited_at, m.deleted_at, false;
        IF FOUND THEN RETURN; END IF;

        UPDATE channel_sequences c SET last_seq = c.last_seq - 1 WHERE c.channel_id = p_channel;
        RETURN QUERY SELECT m.id, m.channel_id, m.seq, m.author_key, m.client_id, m.content, m.created_at,
                            m.edited_at, m.deleted_at, true
                     FROM messages m WHERE m.author_key = p_author AND m.client_id = p_client;
      END
      $$`);
    await queryRunner.query(`DROP INDEX messages_mentions`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN mentions`);
  }
}
