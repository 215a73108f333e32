import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An authorized key: like a line of authorized_keys, plus the member it became on first join. */
@Entity({ name: 'members' })
export class MemberEntity {
  /** Canonical public key: compressed SEC1, lowercase hex. */
  @PrimaryColumn({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** null until the key joins and picks a name. */
  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  /** The display name folded for uniqueness (see `displayNameKey`). */
  @Column({ name: 'display_name_key', type: 'text', nullable: true })
  displayNameKey!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles!: string[];

  /** The key that authorized this one; null for root keys from config.toml. */
  @Column({ name: 'authorized_by', type: 'text', nullable: true })
  authorizedBy!: string | null;

  @Column({ name: 'authorized_at', type: 'timestamptz', default: () => 'now()' })
  authorizedAt!: Date;

  @Column({ name: 'joined_at', type: 'timestamptz', nullable: true })
  joinedAt!: Date | null;
}
