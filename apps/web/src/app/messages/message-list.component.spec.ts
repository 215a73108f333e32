import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import type { MessageDto } from '@mpqcht/protocol';

import { provideServerFeatures } from '../server-features';
import { channel, message, onlineHarness } from '../testing/fixtures';
import { MessageList } from './message-list.component';

/** A channel whose cache holds this many messages, oldest first. */
function page(count: number): MessageDto[] {
  return Array.from({ length: count }, (_, i) => message('lobby', i + 1, { content: `message ${i + 1}` }));
}

describe('MessageList', () => {
  // Rendering thousands of Markdown rows is CPU-bound: on a busy 2-core machine it outlasts Jest's
  // default 5 s (a limit, not an assertion about speed).
  jest.setTimeout(30_000);

  it('keeps at most a window of rows in the DOM for a channel with 100,000 cached messages', async () => {
    const { connection, timelines, channels } = await onlineHarness({ channels: [channel('lobby')] });
    const timeline = timelines.timeline('lobby');
    timeline.addPage(page(100_000));
    timeline.hasMoreBefore.set(false);
    timeline.loaded.set(true);

    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideMarkdown(), provideServerFeatures()],
    });
    const fixture = TestBed.createComponent(MessageList);
    fixture.componentRef.setInput('server', connection);
    fixture.componentRef.setInput('channel', channels.channels()[0]);
    await fixture.whenStable();

    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll('mq-message-item');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(150);
    // The window follows the present: the newest message is the last row.
    expect(rows[rows.length - 1]?.querySelector('article')?.getAttribute('data-message')).toBe(
      message('lobby', 100_000).id,
    );
    expect(fixture.componentInstance.hiddenBelow()).toBe(0);
  });

  it('slides the window up through the cache at the top, and back with "jump to present"', async () => {
    const { connection, timelines, channels } = await onlineHarness({ channels: [channel('lobby')] });
    const timeline = timelines.timeline('lobby');
    timeline.addPage(page(1_000));
    timeline.hasMoreBefore.set(false);
    timeline.loaded.set(true);

    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideMarkdown(), provideServerFeatures()],
    });
    const fixture = TestBed.createComponent(MessageList);
    fixture.componentRef.setInput('server', connection);
    fixture.componentRef.setInput('channel', channels.channels()[0]);
    await fixture.whenStable();

    const list = fixture.componentInstance;
    // jsdom has no layout: every scroll position reads as "at the top", so each scroll slides the window.
    for (let i = 0; i < 10; i++) list.onScroll();
    await fixture.whenStable();
    const rows = (fixture.nativeElement as HTMLElement).querySelectorAll('mq-message-item');
    expect(rows.length).toBeLessThanOrEqual(150);
    expect(list.hiddenBelow()).toBeGreaterThan(0);
    expect(
      (fixture.nativeElement as HTMLElement).querySelector('[data-test=jump-to-present]'),
    ).not.toBeNull();

    list.jumpToPresent();
    await fixture.whenStable();
    expect(list.hiddenBelow()).toBe(0);
    const newest = (fixture.nativeElement as HTMLElement).querySelectorAll('mq-message-item article');
    expect(newest[newest.length - 1]?.getAttribute('data-message')).toBe(message('lobby', 1_000).id);
  });
});
