import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import type { ServerPermission } from '@mpqcht/permissions';

import { MemberList } from '../members/member-list.component';
import { ChatSelection } from '../servers/chat-selection';
import {
  channel,
  member,
  type OnlineHarness,
  onlineHarness,
  OTHER_KEY,
  THIRD_KEY,
  until,
} from '../testing/fixtures';
import { BansList } from './bans-list.component';
import { ConfigEditor } from './config-editor.component';

const HASH = 'a'.repeat(64);
const TEXT = '[server]\nname = "Test"\n';

async function online(permissions: readonly ServerPermission[]): Promise<OnlineHarness> {
  const h = await onlineHarness({ channels: [channel('lobby')], permissions, members: [] });
  h.socket.push('member.joined', h.self);
  h.socket.push('member.joined', member(OTHER_KEY, 'Ada'));
  return h;
}

describe('MemberList admin buttons', () => {
  async function render(permissions: readonly ServerPermission[]) {
    const h = await online(permissions);
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ChatSelection, useValue: { server: signal(h.connection) } },
      ],
    });
    const fixture = TestBed.createComponent(MemberList);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  it('hides "Edit config" and "Bans" without manage_config and ban', async () => {
    const root = await render(['kick']);
    expect(root.querySelector('[data-test=open-config]')).toBeNull();
    expect(root.querySelector('[data-test=open-bans]')).toBeNull();
  });

  it('shows each button to a holder of its permission', async () => {
    const root = await render(['manage_config', 'ban']);
    expect(root.querySelector('[data-test=open-config]')?.textContent).toContain('Edit config');
    expect(root.querySelector('[data-test=open-bans]')?.textContent).toContain('Bans');
  });

  it('shows only Bans to a holder of ban alone', async () => {
    const root = await render(['ban']);
    expect(root.querySelector('[data-test=open-config]')).toBeNull();
    expect(root.querySelector('[data-test=open-bans]')).not.toBeNull();
  });
});

describe('ConfigEditor', () => {
  async function render() {
    const h = await online(['manage_config']);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(ConfigEditor);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    await until(() => h.socket.pending('config.get') !== undefined, 'config.get');
    h.socket.pending('config.get')?.ok({ text: TEXT, hash: HASH });
    await until(() => fixture.componentInstance.loaded() !== null, 'loaded');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const textarea = root.querySelector('[data-test=config-text]') as HTMLTextAreaElement;
    return { h, fixture, root, textarea };
  }

  async function edit(fixture: Awaited<ReturnType<typeof render>>['fixture'], textarea: HTMLTextAreaElement) {
    textarea.value = TEXT + 'bogus = 1\n';
    textarea.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  it('loads the text, and saves with the loaded hash as expectedHash, then closes', async () => {
    const { h, fixture, root, textarea } = await render();
    expect(textarea.value).toBe(TEXT);
    await edit(fixture, textarea);
    let closed = false;
    fixture.componentInstance.closed.subscribe(() => (closed = true));
    (root.querySelector('[data-test=config-save]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('config.replace') !== undefined, 'config.replace');
    expect(h.socket.pending('config.replace')?.payload).toEqual({
      text: TEXT + 'bogus = 1\n',
      expectedHash: HASH,
    });
    h.socket.pending('config.replace')?.ok({ hash: 'b'.repeat(64) });
    await until(() => closed, 'closed');
  });

  it('shows every validation error inline and keeps the text', async () => {
    const { h, fixture, root, textarea } = await render();
    await edit(fixture, textarea);
    (root.querySelector('[data-test=config-save]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('config.replace') !== undefined, 'config.replace');
    h.socket.pending('config.replace')?.error('validation_failed', 'invalid config', {
      errors: ['bogus: unknown key', 'roles.0.color: expected #rrggbb'],
    });
    await until(() => fixture.componentInstance.errors().length === 2, 'errors');
    await fixture.whenStable();
    const lines = Array.from(root.querySelectorAll('[data-test=config-errors] li'), (li) =>
      li.textContent.trim(),
    );
    expect(lines).toEqual(['bogus: unknown key', 'roles.0.color: expected #rrggbb']);
    expect((root.querySelector('[data-test=config-text]') as HTMLTextAreaElement).value).toBe(
      TEXT + 'bogus = 1\n',
    );
  });

  it('says so on a conflict, and Reload fetches again after a confirm', async () => {
    const { h, fixture, root, textarea } = await render();
    await edit(fixture, textarea);
    (root.querySelector('[data-test=config-save]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('config.replace') !== undefined, 'config.replace');
    h.socket.pending('config.replace')?.error('conflict', 'changed', { hash: 'c'.repeat(64) });
    await until(() => fixture.componentInstance.conflict(), 'conflict');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=config-conflict]')?.textContent).toContain(
      'config.toml changed on the server since you opened it',
    );
    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockReturnValue(true);
    (root.querySelector('[data-test=config-reload]') as HTMLButtonElement).click();
    expect(confirm).toHaveBeenCalled();
    await until(() => h.socket.pending('config.get') !== undefined, 'config.get again');
    h.socket.pending('config.get')?.ok({ text: 'new', hash: 'c'.repeat(64) });
    await until(() => fixture.componentInstance.text() === 'new', 'reloaded');
    expect(fixture.componentInstance.conflict()).toBe(false);
  });

  it('asks before cancelling unsaved edits', async () => {
    const { fixture, root, textarea } = await render();
    let closed = 0;
    fixture.componentInstance.closed.subscribe(() => closed++);
    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockReturnValue(false);
    (root.querySelector('[data-test=config-cancel]') as HTMLButtonElement).click();
    expect(confirm).not.toHaveBeenCalled();
    expect(closed).toBe(1);
    await edit(fixture, textarea);
    (root.querySelector('[data-test=config-cancel]') as HTMLButtonElement).click();
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(closed).toBe(1);
  });
});

describe('BansList', () => {
  const ban = (publicKey: string, reason: string) => ({
    publicKey,
    reason,
    bannedBy: OTHER_KEY,
    bannedAt: '2026-01-01T00:00:00.000Z',
  });

  it('lists the bans and unbans one with members.unban after a confirm, then refreshes', async () => {
    const h = await online(['ban']);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(BansList);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    await until(() => h.socket.pending('bans.list') !== undefined, 'bans.list');
    h.socket.pending('bans.list')?.ok([ban(THIRD_KEY, 'spam'), ban('02' + 'd'.repeat(64), 'abuse')]);
    await until(() => fixture.componentInstance.bans().length === 2, 'bans');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const entries = root.querySelectorAll('[data-test=ban-entry]');
    expect(entries).toHaveLength(2);
    expect(entries[0]?.textContent).toContain('spam');
    expect(entries[0]?.textContent).toContain('by Ada');
    expect(entries[0]?.querySelector('.key')?.getAttribute('title')).toBe(THIRD_KEY);

    jest.spyOn(fixture.componentInstance, 'confirm').mockReturnValue(true);
    (entries[0]?.querySelector('[data-test=unban]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('members.unban') !== undefined, 'members.unban');
    expect(h.socket.pending('members.unban')?.payload).toEqual({ publicKey: THIRD_KEY });
    h.socket.pending('members.unban')?.ok({ publicKey: THIRD_KEY });
    await until(() => h.socket.pending('bans.list') !== undefined, 'bans.list again');
    h.socket.pending('bans.list')?.ok([ban('02' + 'd'.repeat(64), 'abuse')]);
    await until(() => fixture.componentInstance.bans().length === 1, 'refreshed');
    await fixture.whenStable();
    expect(root.querySelectorAll('[data-test=ban-entry]')).toHaveLength(1);
  });

  it('shows a refused unban inline', async () => {
    const h = await online(['ban']);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(BansList);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    await until(() => h.socket.pending('bans.list') !== undefined, 'bans.list');
    h.socket.pending('bans.list')?.ok([ban(THIRD_KEY, 'spam')]);
    await until(() => fixture.componentInstance.bans().length === 1, 'bans');
    await fixture.whenStable();
    jest.spyOn(fixture.componentInstance, 'confirm').mockReturnValue(true);
    const root = fixture.nativeElement as HTMLElement;
    (root.querySelector('[data-test=unban]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('members.unban') !== undefined, 'members.unban');
    h.socket.pending('members.unban')?.error('forbidden', 'no', { missing: ['ban'] });
    await until(() => fixture.componentInstance.error() !== null, 'error');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=bans-error]')?.textContent).toContain('you lack ban');
  });
});
