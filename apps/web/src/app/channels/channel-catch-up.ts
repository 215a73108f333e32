import type { CatchUpPageDto, MessageDeletedDto, MessageDto } from '@mpqcht/protocol';

import type { ChannelTimeline } from './channel-timeline';

/** What catching up needs from the connection. */
export interface CatchUpSource {
  since(channelId: string, afterRev: number): Promise<CatchUpPageDto>;
  applyMessage(timeline: ChannelTimeline, message: MessageDto): void;
  applyDeleted(timeline: ChannelTimeline, deleted: MessageDeletedDto): void;
  /** The cache was dropped (too far behind); load the newest page again. */
  reload(channelId: string): Promise<void>;
}

/**
 * Beyond this many pages of changes (200 each) the cache is dropped and the newest page loaded
 * instead: after a long absence, replaying every change is slower than starting over.
 */
export const MAX_CATCH_UP_PAGES = 5;

/**
 * Brings a channel's cached timeline up to date with `messages.since`, from the change number it
 * is complete up to. Runs once at a time per channel; a request while one runs makes it run again
 * afterwards (a gap seen meanwhile may lie beyond what the running one asked for).
 */
export class ChannelCatchUp {
  private readonly running = new Map<ChannelTimeline, Promise<void>>();
  private readonly again = new Set<ChannelTimeline>();

  constructor(private readonly source: CatchUpSource) {}

  request(timeline: ChannelTimeline): Promise<void> {
    const current = this.running.get(timeline);
    if (current) {
      this.again.add(timeline);
      return current;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(timeline);
          await this.run(timeline);
        } while (this.again.has(timeline));
      } finally {
        this.running.delete(timeline);
      }
    })();
    this.running.set(timeline, run);
    return run;
  }

  private async run(timeline: ChannelTimeline): Promise<void> {
    for (let pages = 1; ; pages++) {
      const from = timeline.rev;
      const page = await this.source.since(timeline.channelId, from);
      if (page.rev < from) {
        // The server knows fewer changes than the cache (its database was restored): start over.
        return this.startOver(timeline);
      }
      for (const message of page.messages) this.source.applyMessage(timeline, message);
      for (const deleted of page.deleted) this.source.applyDeleted(timeline, deleted);
      timeline.rev = Math.max(timeline.rev, page.rev);
      if (!page.hasMore) return;
      if (pages >= MAX_CATCH_UP_PAGES) return this.startOver(timeline);
    }
  }

  private async startOver(timeline: ChannelTimeline): Promise<void> {
    timeline.reset();
    await this.source.reload(timeline.channelId);
  }
}
