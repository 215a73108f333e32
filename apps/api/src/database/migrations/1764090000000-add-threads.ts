import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threads (docs/protocol.md, Threads): a thread is a message stream whose `messages.channel_id` is
 * `thread:<id>`, so sequences, change numbers, read markers and catch-up are the channels' own. The
 * `threads` row holds what a stream does not: its channel, name, state and summary. Its summary
 * (message count, last message time, latest authors) and its followers (authors and the members
 * they mention) are kept by triggers on `messages`, in the transaction that writes the message: a
 * send into a thread costs no extra round trip and no extra commit, and no code path can forget
 * them. The triggers' `WHEN` clause keeps channel messages out of them.
 */
export class AddThreads1764090000000 implements MigrationInterface {
  name = 'AddThreads1764090000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE threads (
        id uuid PRIMARY KEY REFERENCES messages (id),
        channel_id text NOT NULL,
        name text NOT NULL,
        creator_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        message_count integer NOT NULL DEFAULT 0,
        last_message_at timestamptz NOT NULL DEFAULT now(),
        participants text[] NOT NULL DEFAULT '{}',
        locked boolean NOT NULL DEFAULT false,
        archived_at timestamptz,
        deleted_at timestamptz
      )`);
    // The thread list: active first, then archived, latest activity first.
    await queryRunner.query(`
      CREATE INDEX threads_channel_listing
      ON threads (channel_id, (archived_at IS NOT NULL), last_message_at DESC, id DESC)
      WHERE deleted_at IS NULL`);
    // The archiver's sweep: active threads by inactivity.
    await queryRunner.query(`
      CREATE INDEX threads_archive_due ON threads (last_message_at)
      WHERE archived_at IS NULL AND deleted_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE thread_followers (
        thread_id uuid NOT NULL REFERENCES threads (id),
        member_key text NOT NULL,
        followed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (thread_id, member_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX thread_followers_member ON thread_followers (member_key, thread_id)`,
    );

    // THREAD_SUMMARY_PARTICIPANTS (libs/protocol) is the 3 below.
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_thread_message_posted() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_thread uuid := substr(NEW.channel_id, 8)::uuid;
      BEGIN
        UPDATE threads t
        SET message_count = t.message_count + 1,
            last_message_at = NEW.created_at,
            archived_at = NULL,
            participants = (array_prepend(NEW.author_key, array_remove(t.participants, NEW.author_key)))[1:3]
        WHERE t.id = v_thread;
        INSERT INTO thread_followers (thread_id, member_key)
        SELECT v_thread, k FROM unnest(array_prepend(NEW.author_key, NEW.mentions)) AS k
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_thread_posted AFTER INSERT ON messages
      FOR EACH ROW WHEN (NEW.channel_id LIKE 'thread:%') EXECUTE FUNCTION mpqcht_thread_message_posted()`);

    await queryRunner.query(`
      CREATE FUNCTION mpqcht_thread_message_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_thread uuid := substr(NEW.channel_id, 8)::uuid;
      BEGIN
        IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
          UPDATE threads t SET message_count = t.message_count - 1 WHERE t.id = v_thread;
        ELSIF NEW.deleted_at IS NULL THEN
          -- An edit: whoever it mentions now follows the thread.
          INSERT INTO thread_followers (thread_id, member_key)
          SELECT v_thread, k FROM unnest(NEW.mentions) AS k
          ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER messages_thread_changed AFTER UPDATE ON messages
      FOR EACH ROW WHEN (NEW.channel_id LIKE 'thread:%') EXECUTE FUNCTION mpqcht_thread_message_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_thread_changed ON messages');
    await queryRunner.query('DROP FUNCTION mpqcht_thread_message_changed()');
    await queryRunner.query('DROP TRIGGER messages_thread_posted ON messages');
    await queryRunner.query('DROP FUNCTION mpqcht_thread_message_posted()');
    await queryRunner.query('DROP TABLE thread_followers');
    await queryRunner.query('DROP TABLE threads');
  }
}
