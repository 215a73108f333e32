import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import type { MessageDto } from '@mpqcht/protocol';

import type { ChannelState } from '../channels/channels.state';
import { provideServerFeatures } from '../server-features';
import {
  channel,
  message,
  messageId,
  type OnlineHarness,
  onlineHarness,
  readState,
} from '../testing/fixtures';
import { MessageList } from './message-list.component';

function cache(h: OnlineHarness, channelId: string, messages: MessageDto[], hasMoreBefore = false): void {
  const timeline = h.timelines.timeline(channelId);
  timeline.addPage(messages);
  timeline.hasMoreBefore.set(hasMoreBefore);
  timeline.loaded.set(true);
}

function show(h: OnlineHarness): ComponentFixture<MessageList> {
  TestBed.configureTestingModule({
    providers: [provideZonelessChangeDetection(), provideMarkdown(), provideServerFeatures()],
  });
  const fixture = TestBed.createComponent(MessageList);
  fixture.componentRef.setInput('server', h.connection);
  return fixture;
}

async function showChannel(fixture: ComponentFixture<MessageList>, state: ChannelState | undefined) {
  fixture.componentRef.setInput('channel', state);
  await fixture.whenStable();
}

/** The message right below the "New messages" divider, or null without a divider. */
function belowDivider(fixture: ComponentFixture<MessageList>): string | null {
  const root = fixture.nativeElement as HTMLElement;
  const dividers = root.querySelectorAll('[data-test=new-divider]');
  if (dividers.length > 1) throw new Error('more than one divider');
  return dividers[0]?.nextElementSibling?.querySelector('article')?.getAttribute('data-message') ?? null;
}

describe('MessageList "New messages" divider', () => {
  it('is shown on a first visit, above the first message, and stays while the channel is read', async () => {
    const h = await onlineHarness({
      channels: [channel('lobby', { lastSeq: 3 }, { unreadCount: 3 }), channel('random')],
    });
    cache(h, 'lobby', [message('lobby', 1), message('lobby', 2), message('lobby', 3)]);
    cache(h, 'random', []);
    const fixture = show(h);
    await showChannel(fixture, h.channels.find('lobby'));
    expect(belowDivider(fixture)).toBe(messageId('lobby', 1));

    // Marked read while on screen: the divider does not move.
    h.channels.applyReadState(
      readState('lobby', { lastReadSeq: 3, lastReadMessageId: messageId('lobby', 3) }),
    );
    await showChannel(fixture, h.channels.find('lobby'));
    expect(h.channels.find('lobby')?.unread).toBe(0);
    expect(belowDivider(fixture)).toBe(messageId('lobby', 1));

    // Left and opened again: read, so no divider.
    await showChannel(fixture, h.channels.find('random'));
    await showChannel(fixture, h.channels.find('lobby'));
    expect(belowDivider(fixture)).toBeNull();
  });

  it('sits above the first unread message by someone else, after the read marker', async () => {
    const h = await onlineHarness({
      channels: [
        channel(
          'lobby',
          { lastSeq: 5 },
          { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2), unreadCount: 2 },
        ),
      ],
    });
    const me = h.identity.publicKey.hex;
    cache(h, 'lobby', [
      message('lobby', 1),
      message('lobby', 2),
      message('lobby', 3, { author: me }),
      message('lobby', 4),
      message('lobby', 5),
    ]);
    const fixture = show(h);
    await showChannel(fixture, h.channels.find('lobby'));

    expect(belowDivider(fixture)).toBe(messageId('lobby', 4));
  });

  it('is not shown while the first unread message is older than what is loaded', async () => {
    const h = await onlineHarness({
      channels: [
        channel(
          'lobby',
          { lastSeq: 80 },
          { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2), unreadCount: 78 },
        ),
      ],
    });
    const newest = Array.from({ length: 50 }, (_, i) => message('lobby', 31 + i));
    cache(h, 'lobby', newest, true);
    const fixture = show(h);
    await showChannel(fixture, h.channels.find('lobby'));

    expect(belowDivider(fixture)).toBeNull();
  });

  it('appears where messages became unread while the person was not reading', async () => {
    const h = await onlineHarness({
      channels: [
        channel('lobby', { lastSeq: 2 }, { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2) }),
      ],
    });
    cache(h, 'lobby', [message('lobby', 1), message('lobby', 2)]);
    const fixture = show(h);
    await showChannel(fixture, h.channels.find('lobby'));
    expect(belowDivider(fixture)).toBeNull();

    // Not being read (ChatSelection.reading is false here): counted as unread.
    h.socket.push('message.created', message('lobby', 3));
    await showChannel(fixture, h.channels.find('lobby'));

    expect(belowDivider(fixture)).toBe(messageId('lobby', 3));
  });
});
