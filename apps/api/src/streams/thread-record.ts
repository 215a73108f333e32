/**
 * What a request needs to know of a thread to be decided (docs/permissions.md, Threads): its
 * channel, whose permissions it inherits, and the state that narrows them.
 */
export interface ThreadRecord {
  /** The id of the message it grew from. */
  readonly id: string;
  /** `thread:<id>`. */
  readonly streamId: string;
  /** The channel of that message. */
  readonly channelId: string;
  readonly creator: string;
  readonly locked: boolean;
  /** A deleted thread is refused as one that never existed. */
  readonly deleted: boolean;
}
