import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'messages' })
@Index('messages_channel_id_id', ['channelId', 'id'])
@Index('messages_channel_seq', ['channelId', 'seq'], { unique: true })
@Index('messages_channel_rev', ['channelId', 'rev'], { unique: true })
@Index('messages_author_client_id', ['authorKey', 'clientId'], { unique: true })
@Index('messages_mentions', { synchronize: false })
export class MessageEntity {
  /** UUIDv7 made in the database under the channel's sequence lock: id order is seq order. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'channel_id', type: 'text' })
  channelId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  /** The channel's change number of this message's latest change (send, edit or delete). */
  @Column({ type: 'bigint' })
  rev!: string;

  @Column({ name: 'author_key', type: 'text' })
  authorKey!: string;

  @Column({ name: 'client_id', type: 'uuid' })
  clientId!: string;

  @Column({ type: 'text' })
  content!: string;

  /** Public keys of the members the content mentions, resolved by the api on send and edit. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  mentions!: string[];

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  /** Deleted messages keep their row (and seq) with the content cleared. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
