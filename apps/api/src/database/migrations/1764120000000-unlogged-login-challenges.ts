import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Login challenges without the write-ahead log (issue 18; docs/operations.md, Login challenges).
 * Every login committed twice here, the challenge issued and then consumed, and each commit waited
 * for the WAL to reach the disk. A challenge lost in a crash costs a client one more request: an
 * UNLOGGED table is emptied after a crash (not after a clean stop), and is still one table that
 * every api process shares, so a nonce is still consumed exactly once (`DELETE ... RETURNING`).
 * The table holds only live challenges (a few minutes' worth), so the rewrite is instant.
 */
export class UnloggedLoginChallenges1764120000000 implements MigrationInterface {
  name = 'UnloggedLoginChallenges1764120000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE login_challenges SET UNLOGGED');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE login_challenges SET LOGGED');
  }
}
