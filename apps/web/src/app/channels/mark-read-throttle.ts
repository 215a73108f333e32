/** The message a channel should be marked read up to. */
export interface ReadTarget {
  readonly messageId: string;
  readonly seq: number;
}

interface ChannelMarks {
  /** The newest seq asked of the server (or being asked); nothing at or below it is sent again. */
  sentSeq: number;
  /** What to send when the cooldown ends: the newest target seen meanwhile. */
  due: ReadTarget | null;
  cooldown: ReturnType<typeof setTimeout> | null;
  inFlight: boolean;
}

/**
 * Paces the `channels.markRead` requests of reading a channel live: the first goes at once, then at
 * most one per `intervalMs` per channel, each for the newest message seen by then, and never two at
 * once for a channel (answers could come back out of order). A chat that gets ten messages a second
 * costs one request a second, not ten.
 */
export class MarkReadThrottle {
  private readonly channels = new Map<string, ChannelMarks>();

  constructor(
    private readonly send: (channelId: string, messageId: string) => Promise<void>,
    private readonly intervalMs = 1000,
  ) {}

  request(channelId: string, target: ReadTarget): void {
    const marks = this.marksOf(channelId);
    if (target.seq <= marks.sentSeq || target.seq <= (marks.due?.seq ?? 0)) return;
    marks.due = target;
    this.pump(channelId, marks);
  }

  private marksOf(channelId: string): ChannelMarks {
    let marks = this.channels.get(channelId);
    if (!marks) {
      marks = { sentSeq: 0, due: null, cooldown: null, inFlight: false };
      this.channels.set(channelId, marks);
    }
    return marks;
  }

  private pump(channelId: string, marks: ChannelMarks): void {
    const target = marks.due;
    if (!target || marks.cooldown !== null || marks.inFlight) return;
    marks.due = null;
    const before = marks.sentSeq;
    marks.sentSeq = target.seq;
    marks.inFlight = true;
    marks.cooldown = setTimeout(() => {
      marks.cooldown = null;
      this.pump(channelId, marks);
    }, this.intervalMs);
    this.send(channelId, target.messageId)
      .catch(() => {
        // Not read on the server: the same message may be asked again (after a reconnect).
        if (marks.sentSeq === target.seq) marks.sentSeq = before;
      })
      .finally(() => {
        marks.inFlight = false;
        this.pump(channelId, marks);
      });
  }
}
