import {
  ChangeDetectionStrategy,
  Component,
  input,
  output,
  provideZonelessChangeDetection,
} from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { until } from '../testing/fixtures';
import { injectDialogs } from './dialogs';

@Component({
  selector: 'mq-test-content',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p data-test="content">{{ greeting() }}</p>
    <button type="button" (click)="closed.emit()" data-test="done">Done</button>`,
})
class TestContent {
  readonly greeting = input.required<string>();
  readonly closed = output();
  dismissed = 0;
}

@Component({
  selector: 'mq-test-opener',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" data-test="opener">Open</button>`,
})
class TestOpener {
  readonly dialogs = injectDialogs();
}

/** As a browser sends it: CDK reads keyCode. */
function escape(): void {
  document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
}

describe('injectDialogs', () => {
  async function setUp() {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(TestOpener);
    await fixture.whenStable();
    const opener = (fixture.nativeElement as HTMLElement).querySelector<HTMLButtonElement>(
      '[data-test=opener]',
    );
    if (!opener) throw new Error('no opener');
    opener.focus();
    return { fixture, opener };
  }

  function container(): HTMLElement | null {
    return document.querySelector('cdk-dialog-container');
  }

  it('opens a labelled modal dialog with its inputs set, moves focus in, and Escape closes it and restores focus', async () => {
    const { fixture, opener } = await setUp();
    fixture.componentInstance.dialogs.open(TestContent, { label: 'Greeting', inputs: { greeting: 'Hello' } });
    await fixture.whenStable();
    const dialog = container();
    expect(dialog?.getAttribute('role')).toBe('dialog');
    expect(dialog?.getAttribute('aria-label')).toBe('Greeting');
    expect(dialog?.getAttribute('aria-modal')).toBe('true');
    expect(dialog?.querySelector('[data-test=content]')?.textContent).toBe('Hello');
    expect(dialog?.contains(document.activeElement)).toBe(true);

    escape();
    await fixture.whenStable();
    expect(container()).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('closes when the content emits closed, and when the opener goes away', async () => {
    const { fixture } = await setUp();
    fixture.componentInstance.dialogs.open(TestContent, { label: 'One', inputs: { greeting: 'a' } });
    await fixture.whenStable();
    container()?.querySelector<HTMLButtonElement>('[data-test=done]')?.click();
    await fixture.whenStable();
    expect(container()).toBeNull();

    fixture.componentInstance.dialogs.open(TestContent, { label: 'Two', inputs: { greeting: 'b' } });
    await fixture.whenStable();
    expect(container()).not.toBeNull();
    fixture.destroy();
    expect(container()).toBeNull();
  });

  it('with dismiss, Escape and the backdrop ask the content instead of closing', async () => {
    const { fixture } = await setUp();
    const ref = fixture.componentInstance.dialogs.open(TestContent, {
      label: 'Edits',
      inputs: { greeting: 'c' },
      dismiss: (content) => content.dismissed++,
    });
    await fixture.whenStable();
    escape();
    document.querySelector<HTMLElement>('.mq-dialog-backdrop')?.click();
    await fixture.whenStable();
    expect(ref.componentInstance?.dismissed).toBe(2);
    expect(container()).not.toBeNull();
    ref.close();
  });

  describe('confirm', () => {
    function button(which: 'accept' | 'cancel'): HTMLButtonElement {
      const found = document.querySelector<HTMLButtonElement>(`[data-test=confirm-${which}]`);
      if (!found) throw new Error(`no ${which} button`);
      return found;
    }

    it("is a labelled, described alertdialog with the app's buttons; accepting answers true and restores focus", async () => {
      const { fixture, opener } = await setUp();
      const answer = fixture.componentInstance.dialogs.confirm({
        title: 'Delete message',
        message: 'Delete this message? This cannot be undone.',
        confirmLabel: 'Delete',
        danger: true,
      });
      await fixture.whenStable();
      const dialog = container();
      expect(dialog?.getAttribute('role')).toBe('alertdialog');
      expect(dialog?.getAttribute('aria-modal')).toBe('true');
      const title = document.getElementById(dialog?.getAttribute('aria-labelledby') ?? '');
      const description = document.getElementById(dialog?.getAttribute('aria-describedby') ?? '');
      expect(title?.textContent).toBe('Delete message');
      expect(description?.textContent).toBe('Delete this message? This cannot be undone.');
      expect(button('accept').textContent.trim()).toBe('Delete');
      expect(button('accept').classList).toContain('danger');
      expect(button('cancel').textContent.trim()).toBe('Cancel');
      // Something that cannot be undone: Enter on what has the focus does not destroy it.
      await until(() => document.activeElement === button('cancel'), 'focus on Cancel');

      button('accept').click();
      await expect(answer).resolves.toBe(true);
      await fixture.whenStable();
      expect(container()).toBeNull();
      expect(document.activeElement).toBe(opener);
    });

    it('answers false for Cancel, Escape, a click outside, and when the opener goes away', async () => {
      const { fixture } = await setUp();
      const dialogs = fixture.componentInstance.dialogs;

      const cancelled = dialogs.confirm({ title: 'Remove', message: 'Remove it?', confirmLabel: 'Remove' });
      await fixture.whenStable();
      // Not a danger: the action itself has the focus, in the accent colour.
      await until(() => document.activeElement === button('accept'), 'focus on the action');
      expect(button('accept').classList).toContain('primary');
      button('cancel').click();
      await expect(cancelled).resolves.toBe(false);

      const escaped = dialogs.confirm({ title: 'Remove', message: 'Remove it?' });
      await fixture.whenStable();
      expect(button('accept').textContent.trim()).toBe('OK');
      escape();
      await expect(escaped).resolves.toBe(false);

      const outside = dialogs.confirm({ title: 'Remove', message: 'Remove it?' });
      await fixture.whenStable();
      document.querySelector<HTMLElement>('.mq-dialog-backdrop')?.click();
      await expect(outside).resolves.toBe(false);

      const orphaned = dialogs.confirm({ title: 'Remove', message: 'Remove it?' });
      await fixture.whenStable();
      fixture.destroy();
      await expect(orphaned).resolves.toBe(false);
      expect(container()).toBeNull();
    });
  });
});
