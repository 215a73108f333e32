import { provideZonelessChangeDetection, signal } from '@angular/core';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import { Composer, type MentionOption } from './composer.component';

const MEMBERS: MentionOption[] = [
  { id: 'k-ada', name: 'Ada', detail: 'you', online: true },
  { id: 'k-adl', name: 'Ada Lovelace', detail: '', online: true },
  { id: 'k-brook', name: 'Brook', detail: '', online: false },
];
const CHANNELS: MentionOption[] = [
  { id: 'lobby', name: 'lobby', detail: 'Where everyone meets' },
  { id: 'random', name: 'random', detail: '' },
];

describe('Composer mentions', () => {
  let fixture: ComponentFixture<Composer>;
  let box: HTMLTextAreaElement;
  let sent: string[];
  let mentioning: string[];
  let documentKeys: string[];
  const onDocumentKey = (event: KeyboardEvent) => documentKeys.push(event.key);

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), provideMarkdown()] });
    fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('members', signal(MEMBERS));
    fixture.componentRef.setInput('channels', signal(CHANNELS));
    sent = [];
    mentioning = [];
    documentKeys = [];
    fixture.componentInstance.sent.subscribe((content) => sent.push(content));
    fixture.componentInstance.mentioning.subscribe((sigil) => mentioning.push(sigil));
    document.addEventListener('keydown', onDocumentKey);
    await fixture.whenStable();
    box = element().querySelector('textarea') as HTMLTextAreaElement;
  });

  afterEach(() => document.removeEventListener('keydown', onDocumentKey));

  const element = () => fixture.nativeElement as HTMLElement;
  const listbox = () => element().querySelector('[role=listbox]');
  const options = () => Array.from(element().querySelectorAll<HTMLElement>('[role=option]'));
  const selected = () => options().map((o) => o.getAttribute('aria-selected'));

  async function type(text: string): Promise<void> {
    box.value = text;
    box.setSelectionRange(text.length, text.length);
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  /** A key on the box; returns whether something handled it (preventDefault). */
  async function press(key: string, init: KeyboardEventInit = {}): Promise<boolean> {
    const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    box.dispatchEvent(event);
    await fixture.whenStable();
    return event.defaultPrevented;
  }

  it('offers the members after @ as a combobox, the first one selected', async () => {
    expect(box.getAttribute('role')).toBe('combobox');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    // A combobox may not carry aria-multiline (axe: aria-allowed-attr).
    expect(box.hasAttribute('aria-multiline')).toBe(false);

    await type('hi @');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(listbox()?.id);
    expect(options().map((o) => o.textContent.replace(/\s+/g, ' ').trim())).toEqual([
      '@Ada you',
      '@Ada Lovelace',
      '@Brook',
    ]);
    expect(selected()).toEqual(['true', 'false', 'false']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options()[0]?.id);
    expect(mentioning).toEqual(['@']);
  });

  it('moves the selection with Down and Up (wrapping), without the keys reaching the document', async () => {
    await type('@ad');
    expect(options()).toHaveLength(2);
    expect(await press('ArrowDown')).toBe(true);
    expect(selected()).toEqual(['false', 'true']);
    expect(box.getAttribute('aria-activedescendant')).toBe(options()[1]?.id);
    await press('ArrowDown');
    expect(selected()).toEqual(['true', 'false']);
    await press('ArrowUp');
    expect(selected()).toEqual(['false', 'true']);
    expect(documentKeys).toEqual([]);
  });

  it('inserts the selected name with Enter, and Enter then sends', async () => {
    await type('hello @ad');
    await press('ArrowDown');
    expect(await press('Enter')).toBe(true);
    expect(box.value).toBe('hello @Ada Lovelace ');
    expect(box.selectionStart).toBe('hello @Ada Lovelace '.length);
    expect(listbox()).toBeNull();
    expect(sent).toEqual([]);

    await press('Enter');
    expect(sent).toEqual(['hello @Ada Lovelace ']);
  });

  it('keeps what is typed straight after a pick, before the page rendered it', async () => {
    await type('@br');
    // The key, and the next character, with no rendering in between.
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    expect(box.value).toBe('@Brook ');
    box.value = '@Brook h';
    box.setSelectionRange(8, 8);
    box.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(box.value).toBe('@Brook h');
    expect(box.selectionStart).toBe(8);
  });

  it('inserts with Tab, and a click on a suggestion inserts it too', async () => {
    await type('@br');
    expect(await press('Tab')).toBe(true);
    expect(box.value).toBe('@Brook ');

    await type('@Brook and #r');
    expect(options().map((o) => o.textContent.trim())).toEqual(['#random']);
    options()[0]?.click();
    await fixture.whenStable();
    expect(box.value).toBe('@Brook and #random ');
  });

  it('closes with Escape, which goes no further (the document would mark the channel read)', async () => {
    await type('@a');
    expect(await press('Escape')).toBe(true);
    expect(listbox()).toBeNull();
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(documentKeys).toEqual([]);
    // Typing on in the same mention keeps it closed; Enter sends as usual.
    await type('@ad');
    expect(listbox()).toBeNull();
    await press('Enter');
    expect(sent).toEqual(['@ad']);
    // Closed, Escape is the document's again.
    await press('Escape');
    expect(documentKeys).toEqual(['Enter', 'Escape']);
  });

  it('closes when the box loses the focus, and offers again when it is back', async () => {
    box.focus();
    await type('@br');
    expect(options()).toHaveLength(1);
    box.blur();
    await fixture.whenStable();
    expect(listbox()).toBeNull();
    box.focus();
    await fixture.whenStable();
    expect(options()).toHaveLength(1);
  });

  it('offers nothing when no name matches, inside a word, or in code', async () => {
    await type('@zz');
    expect(listbox()).toBeNull();
    await type('mail bob@a');
    expect(listbox()).toBeNull();
    await type('`@a');
    expect(listbox()).toBeNull();
  });

  it('leaves Up in an empty box to editing the last message', async () => {
    let edits = 0;
    fixture.componentInstance.editLast.subscribe(() => edits++);
    await press('ArrowUp');
    expect(edits).toBe(1);
  });
});
