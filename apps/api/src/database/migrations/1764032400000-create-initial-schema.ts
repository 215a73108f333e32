import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInitialSchema1764032400000 implements MigrationInterface {
  name = 'CreateInitialSchema1764032400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE members (
        public_key     text PRIMARY KEY CHECK (public_key ~ '^0[23][0-9a-f]{64}$'),
        display_name   text,
        -- the name folded for comparison (NFKC, lower case) by the api, so uniqueness does not
        -- depend on the database's collation or locale
        display_name_key text,
        roles          text[] NOT NULL DEFAULT '{}',
        authorized_by  text,
        authorized_at  timestamptz NOT NULL DEFAULT now(),
        joined_at      timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX members_display_name_key ON members (display_name_key) WHERE display_name_key IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE login_challenges (
        nonce       bytea PRIMARY KEY,
        expires_at  timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX login_challenges_expires_at ON login_challenges (expires_at)`);

    await queryRunner.query(`
      CREATE TABLE channel_sequences (
        channel_id  text PRIMARY KEY,
        last_seq    bigint NOT NULL,
        last_ms     bigint NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE messages (
        id          uuid PRIMARY KEY,
        channel_id  text NOT NULL,
        seq         bigint NOT NULL,
        author_key  text NOT NULL,
        client_id   uuid NOT NULL,
        content     text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        edited_at   timestamptz,
        deleted_at  timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX messages_channel_id_id ON messages (channel_id, id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX messages_channel_seq ON messages (channel_id, seq)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX messages_author_client_id ON messages (author_key, client_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE read_markers (
        member_key            text NOT NULL,
        channel_id            text NOT NULL,
        last_read_seq         bigint NOT NULL,
        last_read_message_id  uuid,
        updated_at            timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (member_key, channel_id)
      )`);

    // A UUIDv7 (RFC 9562) from a millisecond time and the channel's sequence number: 48 bits of
    // time, then the low 40 bits of seq where the RFC allows a counter, then 34 random bits. Under
    // the channel's row lock both time (kept monotonic by last_ms) and seq only grow, so within a
    // channel the id order is the seq order, and history can be paged by id.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_uuid7(p_ms bigint, p_seq bigint) RETURNS uuid
      LANGUAGE sql VOLATILE AS $$
        SELECT encode(
          substring(int8send(p_ms) FROM 3 FOR 6)
          || int2send((28672 | ((p_seq >> 28) & 4095))::smallint)
          || int8send((-9223372036854775808)::bigint
                      + ((p_seq & 268435455) << 34)
                      + floor(random() * 17179869184)::bigint),
          'hex')::uuid
      $$`);

    // One round trip per send: de-duplicate by (author, client id), take the channel's next seq,
    // insert. A concurrent duplicate that loses the unique race gives its seq back (it still holds
    // the channel's row lock, so nobody took a later one) and returns the stored message.
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
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION mpqcht_post_message(text, text, uuid, text)`);
    await queryRunner.query(`DROP FUNCTION mpqcht_uuid7(bigint, bigint)`);
    await queryRunner.query(`DROP TABLE read_markers`);
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE channel_sequences`);
    await queryRunner.query(`DROP TABLE login_challenges`);
    await queryRunner.query(`DROP TABLE members`);
  }
}
