import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bans (a banned key is refused at login and cannot be authorized) and the audit log of privileged
 * actions. The audit log is append-only, and the database enforces it: a trigger makes every UPDATE,
 * DELETE and TRUNCATE of `audit_log` raise an error, whoever asks. The api only INSERTs and SELECTs.
 */
export class AddBansAndAuditLog1764050000000 implements MigrationInterface {
  name = 'AddBansAndAuditLog1764050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bans (
        public_key text PRIMARY KEY,
        reason text NOT NULL,
        banned_by text NOT NULL,
        banned_at timestamptz NOT NULL DEFAULT now()
      )`);
    // id: a sequence, so entries are ordered by insertion (the cursor of audit.list).
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_key text NOT NULL,
        action text NOT NULL,
        target text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(`
      CREATE FUNCTION mpqcht_audit_log_append_only() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION mpqcht_audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION mpqcht_audit_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION mpqcht_audit_log_append_only()`);
    await queryRunner.query(`DROP TABLE bans`);
  }
}
