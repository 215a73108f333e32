import type { Page } from 'playwright-core';

import { waitUntil } from './pages';

/** One line of the web client's reconnect log (docs/web-client.md, Reconnecting). */
export type ReconnectEvent =
  | { readonly kind: 'scheduled'; readonly attempt: number; readonly delayMs: number }
  | { readonly kind: 'early'; readonly attempt: number; readonly trigger: string };

/**
 * What a page's session scheduled, read from its `console.debug` lines: each attempt's number and
 * delay, and the attempts started early (Reconnect now, online, visible).
 */
export class ReconnectLog {
  readonly events: ReconnectEvent[] = [];

  constructor(page: Page, origin: string) {
    const prefix = `mpqcht ${origin}: reconnect attempt `;
    page.on('console', (message) => {
      const text = message.text();
      if (!text.startsWith(prefix)) return;
      const scheduled = /^(\d+) in (\d+) ms$/.exec(text.slice(prefix.length));
      const early = /^(\d+) now \((\w+)\)$/.exec(text.slice(prefix.length));
      if (scheduled)
        this.events.push({ kind: 'scheduled', attempt: Number(scheduled[1]), delayMs: Number(scheduled[2]) });
      else if (early) this.events.push({ kind: 'early', attempt: Number(early[1]), trigger: early[2] ?? '' });
    });
  }

  scheduled(): { attempt: number; delayMs: number }[] {
    return this.events.flatMap((e) =>
      e.kind === 'scheduled' ? [{ attempt: e.attempt, delayMs: e.delayMs }] : [],
    );
  }

  clear(): void {
    this.events.length = 0;
  }

  /** Waits for an event that matches, and returns it. */
  async next<E extends ReconnectEvent>(
    what: string,
    match: (event: ReconnectEvent) => event is E,
    timeoutMs?: number,
  ): Promise<E> {
    let found: E | undefined;
    await waitUntil(
      () => {
        found = this.events.find(match);
        return Promise.resolve(found !== undefined);
      },
      what,
      timeoutMs,
    );
    if (!found) throw new Error(`no ${what}`);
    return found;
  }
}

/** The documented bound of attempt n: 750 ms for the first, then min(30 s, 1 s · 2^(n−2)). */
export function attemptBound(attempt: number): number {
  return attempt <= 1 ? 750 : Math.min(30_000, 1_000 * 2 ** (attempt - 2));
}
