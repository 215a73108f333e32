import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import type { ServerPermission } from '@mpqcht/permissions';

import { ChatSelection } from '../servers/chat-selection';
import { channel, onlineHarness, until } from '../testing/fixtures';
import { MemberList } from './member-list.component';

describe('MemberList', () => {
  async function render(permissions: readonly ServerPermission[] = []) {
    const h = await onlineHarness({ channels: [channel('lobby')], permissions });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ChatSelection, useValue: { server: signal(h.connection) } },
      ],
    });
    const fixture = TestBed.createComponent(MemberList);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const row = (name: string) => {
      const found = root.querySelector<HTMLButtonElement>(`[data-member="${name}"]`);
      if (!found) throw new Error(`no row for ${name}`);
      return found;
    };
    const panel = () =>
      document.querySelector<HTMLElement>('.cdk-overlay-container [data-test=member-panel]');
    return { h, fixture, root, row, panel };
  }

  it('has no admin buttons, whatever the permissions (they are in the server settings)', async () => {
    const { root } = await render(['view_audit_log', 'manage_config', 'ban', 'invite']);
    expect(root.querySelectorAll('button:not(.member)')).toHaveLength(0);
    expect(root.textContent).not.toContain('Audit log');
    expect(root.textContent).not.toContain('Edit config');
  });

  it('opens the member panel as a popover beside the row, not inside the list', async () => {
    const { fixture, root, row, panel } = await render(['kick']);
    row('Ada').focus();
    row('Ada').click();
    await fixture.whenStable();
    expect(panel()).not.toBeNull();
    expect(root.contains(panel())).toBe(false);
    expect(panel()?.textContent).toContain('Ada');
    expect(row('Ada').getAttribute('aria-expanded')).toBe('true');
    await until(() => document.activeElement === panel(), 'focus in the panel');

    // The same row again closes it; another row opens that member's panel.
    row('Ada').click();
    await fixture.whenStable();
    expect(panel()).toBeNull();
    row('Grace').click();
    await fixture.whenStable();
    expect(panel()?.textContent).toContain('Grace');
    expect(row('Ada').getAttribute('aria-expanded')).toBe('false');
  });

  it('closes on Escape and gives the focus back to the row', async () => {
    const { fixture, row, panel } = await render();
    row('Ada').focus();
    row('Ada').click();
    await fixture.whenStable();
    await until(() => document.activeElement === panel(), 'focus in the panel');
    panel()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
    await fixture.whenStable();
    expect(panel()).toBeNull();
    expect(document.activeElement).toBe(row('Ada'));
  });

  it('shows nobody once the server refused the member (banned): the list it held is stale', async () => {
    const { h, fixture, root } = await render();
    expect(root.querySelectorAll('[data-member]').length).toBeGreaterThan(0);
    h.socket.push('session.ended', { reason: 'banned', message: 'you were banned' });
    await fixture.whenStable();
    expect(root.querySelectorAll('[data-member]')).toHaveLength(0);
  });
});
