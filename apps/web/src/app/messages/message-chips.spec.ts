import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import { provideServerFeatures } from '../server-features';
import { channel, message, onlineHarness, OTHER_KEY, THIRD_KEY, until } from '../testing/fixtures';
import { MessageList } from './message-list.component';

describe('MessageList mention chips', () => {
  async function setup() {
    const h = await onlineHarness({ channels: [channel('lobby'), channel('random')] });
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideMarkdown(), provideServerFeatures()],
    });
    const fixture = TestBed.createComponent(MessageList);
    fixture.componentRef.setInput('server', h.connection);
    fixture.componentRef.setInput('channel', h.channels.find('lobby'));
    const timeline = h.timelines.timeline('lobby');
    timeline.hasMoreBefore.set(false);
    timeline.loaded.set(true);
    const root = fixture.nativeElement as HTMLElement;
    const chips = () =>
      Array.from(root.querySelectorAll<HTMLElement>('.content .mention')).map(
        (c) => `${c.className}:${c.textContent}`,
      );
    return { ...h, fixture, timeline, root, chips };
  }

  it('shows the members a message mentions as chips, the reader’s own one marked self', async () => {
    const { fixture, timeline, self, chips } = await setup();
    timeline.addPage([
      message('lobby', 1, { content: '@grace and @me, see #random', mentions: [THIRD_KEY, self.publicKey] }),
    ]);
    await fixture.whenStable();
    await until(() => chips().length === 3, 'three chips');
    expect(chips()).toEqual(['mention:@Grace', 'mention self:@Me', 'mention channel:#random']);
  });

  it('adds chips when the mentions become known after the text rendered', async () => {
    const { fixture, timeline, socket, chips } = await setup();
    const first = message('lobby', 1, { content: 'hello @Ada', mentions: [] });
    timeline.addPage([first]);
    await fixture.whenStable();
    expect(chips()).toEqual([]);

    // The same text, now with the mention the server resolved (as the stored message after the
    // optimistic one brings it).
    socket.push('message.updated', { ...first, rev: 2, mentions: [OTHER_KEY] });
    await fixture.whenStable();
    await until(() => chips().length === 1, 'the chip');
    expect(chips()).toEqual(['mention:@Ada']);
  });

  it('opens a channel from its chip', async () => {
    const { fixture, timeline, root, connection } = await setup();
    timeline.addPage([message('lobby', 1, { content: 'over to #random' })]);
    await fixture.whenStable();
    await until(() => root.querySelector('.mention.channel') !== null, 'the channel chip');
    const select = jest
      .spyOn(fixture.componentInstance.selection, 'selectChannel')
      .mockImplementation(() => undefined);
    root.querySelector<HTMLElement>('.mention.channel')?.click();
    expect(select.mock.calls).toEqual([[connection, 'random']]);
  });
});
