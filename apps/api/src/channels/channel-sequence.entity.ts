import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-channel counter; its row lock orders the channel's messages. */
@Entity({ name: 'channel_sequences' })
export class ChannelSequenceEntity {
  @PrimaryColumn({ name: 'channel_id', type: 'text' })
  channelId!: string;

  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq!: string;

  /** Highest change number (send, edit or delete) in this channel: the catch-up cursor. */
  @Column({ name: 'last_rev', type: 'bigint' })
  lastRev!: string;

  /** Highest millisecond timestamp used for an id in this channel, so ids never go back in time. */
  @Column({ name: 'last_ms', type: 'bigint' })
  lastMs!: string;
}
