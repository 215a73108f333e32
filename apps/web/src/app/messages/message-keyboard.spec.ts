import { provideZonelessChangeDetection } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import { provideServerFeatures } from '../server-features';
import { channel, message, type OnlineHarness, onlineHarness, until } from '../testing/fixtures';
import { opensMenu } from './message-item.component';
import { type MessageAction, MessageList, rowStep } from './message-list.component';

describe('rowStep', () => {
  it('moves one row up or down, to the first or last, and nowhere past an end', () => {
    expect(rowStep('ArrowUp', 2, 5)).toBe(1);
    expect(rowStep('ArrowDown', 2, 5)).toBe(3);
    expect(rowStep('ArrowUp', 0, 5)).toBeNull();
    expect(rowStep('ArrowDown', 4, 5)).toBeNull();
    expect(rowStep('Home', 3, 5)).toBe(0);
    expect(rowStep('End', 1, 5)).toBe(4);
    expect(rowStep('x', 1, 5)).toBeNull();
    expect(rowStep('End', 0, 0)).toBeNull();
  });
});

describe('opensMenu', () => {
  const key = (k: string, init: KeyboardEventInit = {}) =>
    opensMenu(new KeyboardEvent('keydown', { key: k, ...init }));

  it('is the menu key, Shift+F10 and Enter, without other modifiers', () => {
    expect(key('ContextMenu')).toBe(true);
    expect(key('F10', { shiftKey: true })).toBe(true);
    expect(key('Enter')).toBe(true);
    expect(key('F10')).toBe(false);
    expect(key('Enter', { shiftKey: true })).toBe(false);
    expect(key('Enter', { ctrlKey: true })).toBe(false);
    expect(key('ArrowDown')).toBe(false);
  });
});

describe('MessageList keyboard', () => {
  let h: OnlineHarness;
  let fixture: ComponentFixture<MessageList>;
  let actions: MessageAction[];
  let documentKeys: string[];
  const onDocumentKey = (event: KeyboardEvent) => documentKeys.push(event.key);

  beforeAll(() => {
    // jsdom has no layout.
    Element.prototype.scrollIntoView = () => undefined;
  });

  beforeEach(async () => {
    // No threads here: the menus are edit and delete (the last test starts a thread elsewhere).
    h = await onlineHarness({
      channels: [
        channel('lobby', { rights: { ...channel('lobby').rights, create_threads: false } }),
        channel('threads'),
      ],
    });
    const mine = h.self.publicKey;
    const timeline = h.timelines.timeline('lobby');
    timeline.addPage([
      message('lobby', 1, { content: 'theirs one' }),
      message('lobby', 2, { content: 'mine two', author: mine }),
      message('lobby', 3, { content: 'theirs three' }),
      message('lobby', 4, { content: 'mine four', author: mine }),
    ]);
    timeline.hasMoreBefore.set(false);
    timeline.loaded.set(true);
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideMarkdown(), provideServerFeatures()],
    });
    fixture = TestBed.createComponent(MessageList);
    fixture.componentRef.setInput('server', h.connection);
    fixture.componentRef.setInput('channel', h.channels.find('lobby'));
    actions = [];
    fixture.componentInstance.act.subscribe((action) => actions.push(action));
    documentKeys = [];
    document.body.appendChild(fixture.nativeElement as HTMLElement);
    document.addEventListener('keydown', onDocumentKey);
    await fixture.whenStable();
  });

  afterEach(() => {
    document.removeEventListener('keydown', onDocumentKey);
    (fixture.nativeElement as HTMLElement).remove();
  });

  const root = () => fixture.nativeElement as HTMLElement;
  const rows = () => Array.from(root().querySelectorAll<HTMLElement>('article.message'));
  const row = (n: number) => {
    const found = rows()[n - 1];
    if (!found) throw new Error(`no row ${n}`);
    return found;
  };
  const focusedRow = () => rows().indexOf(document.activeElement as HTMLElement) + 1;
  const menuItems = () => Array.from(root().querySelectorAll<HTMLElement>('[role=menuitem]'));

  /** A key on an element; returns whether something handled it (preventDefault). */
  async function press(target: Element, key: string, init: KeyboardEventInit = {}): Promise<boolean> {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    await fixture.whenStable();
    return event.defaultPrevented;
  }

  async function focus(n: number): Promise<void> {
    row(n).focus();
    await fixture.whenStable();
  }

  it('keeps one row in the tab order: the newest, then the one focused last', async () => {
    expect(rows().map((r) => r.getAttribute('tabindex'))).toEqual(['-1', '-1', '-1', '0']);
    await focus(2);
    expect(rows().map((r) => r.getAttribute('tabindex'))).toEqual(['-1', '0', '-1', '-1']);
  });

  it('moves focus between rows with Up, Down, Home and End', async () => {
    await focus(4);
    expect(await press(row(4), 'ArrowUp')).toBe(true);
    expect(focusedRow()).toBe(3);
    await press(row(3), 'ArrowUp');
    await press(row(2), 'ArrowDown');
    expect(focusedRow()).toBe(3);
    await press(row(3), 'Home');
    expect(focusedRow()).toBe(1);
    // Past the oldest row there is nowhere to go (and nothing is prevented).
    expect(await press(row(1), 'ArrowUp')).toBe(false);
    await press(row(1), 'End');
    expect(focusedRow()).toBe(4);
    expect(row(4).getAttribute('tabindex')).toBe('0');
  });

  it('opens an own message’s menu with Enter, the menu key or Shift+F10; arrows move; Escape returns to the row', async () => {
    for (const [key, init] of [
      ['Enter', {}],
      ['ContextMenu', {}],
      ['F10', { shiftKey: true }],
    ] as const) {
      await focus(4);
      expect(await press(row(4), key, init)).toBe(true);
      expect(root().querySelector('[role=menu]')).not.toBeNull();
      expect(menuItems().map((i) => i.textContent.trim())).toEqual(['Edit', 'Delete']);
      expect(document.activeElement).toBe(menuItems()[0]);
      expect(row(4).querySelector('[data-test=more]')?.getAttribute('aria-expanded')).toBe('true');

      await press(menuItems()[0] as HTMLElement, 'ArrowDown');
      expect(document.activeElement).toBe(menuItems()[1]);
      await press(menuItems()[1] as HTMLElement, 'ArrowDown');
      expect(document.activeElement).toBe(menuItems()[0]);
      // Up and Down in the menu are the menu's: the list does not move rows.
      expect(focusedRow()).toBe(0);

      expect(await press(menuItems()[0] as HTMLElement, 'Escape')).toBe(true);
      expect(root().querySelector('[role=menu]')).toBeNull();
      expect(focusedRow()).toBe(4);
    }
    // The menu's Escape did not reach the document (which marks the channel read).
    expect(documentKeys).toEqual(['Enter', 'ContextMenu', 'F10']);
  });

  it('offers no menu on someone else’s message without moderate', async () => {
    await focus(3);
    expect(await press(row(3), 'Enter')).toBe(false);
    expect(root().querySelector('[role=menu]')).toBeNull();
    expect(row(3).hasAttribute('aria-keyshortcuts')).toBe(false);
    expect(row(4).getAttribute('aria-keyshortcuts')).toBe('Enter Shift+F10 ContextMenu E');
  });

  it('offers Delete on others’ messages to a moderator', async () => {
    fixture.componentRef.setInput('channel', {
      ...h.channels.find('lobby'),
      rights: { write: true, moderate: true, manage: false, maxMessageLength: 4000, slowmodeMs: 0 },
    });
    await fixture.whenStable();
    await focus(3);
    await press(row(3), 'ContextMenu');
    expect(menuItems().map((i) => i.textContent.trim())).toEqual(['Delete']);
  });

  it('starts editing from the menu or with E, marked as from the keyboard', async () => {
    await focus(4);
    await press(row(4), 'Enter');
    menuItems()[0]?.click();
    await fixture.whenStable();
    expect(actions.map((a) => [a.kind, a.message.content, a.viaKeyboard])).toEqual([
      ['edit-start', 'mine four', true],
    ]);

    await focus(2);
    expect(await press(row(2), 'e')).toBe(true);
    await focus(3);
    expect(await press(row(3), 'e')).toBe(false);
    expect(actions.map((a) => [a.kind, a.message.content])).toEqual([
      ['edit-start', 'mine four'],
      ['edit-start', 'mine two'],
    ]);
  });

  it('leaves the edit box’s keys to it: Enter saves, arrows do not move rows, Escape cancels and goes no further', async () => {
    fixture.componentRef.setInput('editingKey', h.timelines.timeline('lobby').messages()[3]?.key ?? null);
    await fixture.whenStable();
    const box = root().querySelector<HTMLTextAreaElement>('[data-test=edit-box]');
    if (!box) throw new Error('no edit box');
    box.focus();
    box.value = 'mine four, edited';
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();

    expect(await press(box, 'ArrowUp')).toBe(false);
    expect(document.activeElement).toBe(box);
    expect(await press(box, 'Enter')).toBe(true);
    expect(actions.map((a) => [a.kind, a.content])).toEqual([['edit', 'mine four, edited']]);
    expect(root().querySelector('[role=menu]')).toBeNull();

    await press(box, 'Escape');
    expect(actions.map((a) => a.kind)).toEqual(['edit', 'edit-cancel']);
    expect(documentKeys).toEqual(['ArrowUp', 'Enter']);
  });

  it('deletes from the menu after confirming, and gives focus to the row that takes its place', async () => {
    const answer = async (button: 'confirm-cancel' | 'confirm-accept') => {
      await until(() => document.querySelector(`[data-test=${button}]`) !== null, 'the question');
      document.querySelector<HTMLButtonElement>(`[data-test=${button}]`)?.click();
      await until(() => document.querySelector('[role=alertdialog]') === null, 'the question closed');
      await fixture.whenStable();
    };
    await focus(2);
    await press(row(2), 'Enter');
    menuItems()[1]?.click();
    await answer('confirm-cancel');
    expect(actions).toEqual([]);
    expect(focusedRow()).toBe(2);

    await press(row(2), 'Enter');
    menuItems()[1]?.click();
    await answer('confirm-accept');
    expect(actions.map((a) => [a.kind, a.message.content])).toEqual([['delete', 'mine two']]);

    // The server deleted it: the row below takes its place, and the focus.
    const deleted = actions[0]?.message;
    if (!deleted?.id) throw new Error('no deleted message');
    h.socket.push('message.deleted', { channelId: 'lobby', messageId: deleted.id, seq: 2, rev: 5 });
    await fixture.whenStable();
    expect(rows().map((r) => r.textContent.includes('theirs three'))).toEqual([false, true, false]);
    expect(focusedRow()).toBe(2);
  });

  it('offers to start a thread first where the reader may, on anyone’s message', async () => {
    const timeline = h.timelines.timeline('threads');
    timeline.addPage([message('threads', 1, { content: 'theirs here' })]);
    timeline.hasMoreBefore.set(false);
    timeline.loaded.set(true);
    fixture.componentRef.setInput('channel', h.channels.find('threads'));
    await fixture.whenStable();
    const theirs = root().querySelector<HTMLElement>('article.message');
    if (!theirs) throw new Error('no row');
    theirs.focus();
    expect(await press(theirs, 'Enter')).toBe(true);
    expect(menuItems().map((i) => i.textContent.trim())).toEqual(['Thread']);
    menuItems()[0]?.click();
    await fixture.whenStable();
    expect(actions.map((a) => [a.kind, a.message.content])).toEqual([['thread-start', 'theirs here']]);
  });
});
