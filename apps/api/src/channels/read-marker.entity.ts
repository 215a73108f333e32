import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Server-side read position of a member in a channel, shared by all their devices. */
@Entity({ name: 'read_markers' })
export class ReadMarkerEntity {
  @PrimaryColumn({ name: 'member_key', type: 'text' })
  memberKey!: string;

  @PrimaryColumn({ name: 'channel_id', type: 'text' })
  channelId!: string;

  @Column({ name: 'last_read_seq', type: 'bigint' })
  lastReadSeq!: string;

  @Column({ name: 'last_read_message_id', type: 'uuid', nullable: true })
  lastReadMessageId!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
