import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invite codes. Only the SHA-256 hash of a code is stored, so a copy of the database does not give
 * anyone a code that works. `uses` never exceeds `max_uses` (NULL: unlimited): redemption is one
 * conditional UPDATE (docs/protocol.md, Invites).
 */
export class AddInvites1764060000000 implements MigrationInterface {
  name = 'AddInvites1764060000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE invites (
        id bigserial PRIMARY KEY,
        code_hash bytea NOT NULL UNIQUE CHECK (octet_length(code_hash) = 32),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        max_uses integer CHECK (max_uses IS NULL OR max_uses > 0),
        uses integer NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
        expires_at timestamptz,
        roles text[] NOT NULL DEFAULT '{}',
        note text,
        revoked_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE invites`);
  }
}
