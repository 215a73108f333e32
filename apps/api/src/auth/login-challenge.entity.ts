import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An issued login nonce; deleted by the attempt that uses it. */
@Entity({ name: 'login_challenges' })
export class LoginChallengeEntity {
  @PrimaryColumn({ type: 'bytea' })
  nonce!: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
