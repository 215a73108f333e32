import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import type { ServerPermission } from '@mpqcht/permissions';

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

  it('loads the text, saves with the loaded hash as expectedHash, says so, and the next save starts from the new hash', async () => {
    const { h, fixture, root, textarea } = await render();
    expect(textarea.value).toBe(TEXT);
    await edit(fixture, textarea);
    (root.querySelector('[data-test=config-save]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('config.replace') !== undefined, 'config.replace');
    expect(h.socket.pending('config.replace')?.payload).toEqual({
      text: TEXT + 'bogus = 1\n',
      expectedHash: HASH,
    });
    h.socket.pending('config.replace')?.ok({ hash: 'b'.repeat(64) });
    await until(() => fixture.componentInstance.saved(), 'saved');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=config-saved]')?.textContent).toContain('Saved');
    expect(fixture.componentInstance.dirty()).toBe(false);

    textarea.value = TEXT + 'bogus = 2\n';
    textarea.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(root.querySelector('[data-test=config-saved]')).toBeNull();
    (root.querySelector('[data-test=config-save]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('config.replace') !== undefined, 'config.replace again');
    expect(h.socket.pending('config.replace')?.payload).toEqual({
      text: TEXT + 'bogus = 2\n',
      expectedHash: 'b'.repeat(64),
    });
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
    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockResolvedValue(true);
    (root.querySelector('[data-test=config-reload]') as HTMLButtonElement).click();
    expect(confirm).toHaveBeenCalled();
    await until(() => h.socket.pending('config.get') !== undefined, 'config.get again');
    h.socket.pending('config.get')?.ok({ text: 'new', hash: 'c'.repeat(64) });
    await until(() => fixture.componentInstance.text() === 'new', 'reloaded');
    expect(fixture.componentInstance.conflict()).toBe(false);
  });

  it('asks before discarding unsaved edits (Revert, and closing the settings)', async () => {
    const { fixture, root, textarea } = await render();
    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockResolvedValue(false);
    const revert = root.querySelector('[data-test=config-revert]') as HTMLButtonElement;
    expect(revert.disabled).toBe(true);
    // Nothing to lose: no question.
    expect(await fixture.componentInstance.discardable()).toBe(true);
    expect(confirm).not.toHaveBeenCalled();

    await edit(fixture, textarea);
    expect(await fixture.componentInstance.discardable()).toBe(false);
    expect(confirm).toHaveBeenCalledTimes(1);
    expect(confirm.mock.calls[0]?.[0]).toMatchObject({ danger: true, confirmLabel: 'Discard' });
    revert.click();
    await until(() => confirm.mock.calls.length === 2, 'asked again');
    await fixture.whenStable();
    expect(textarea.value).toBe(TEXT + 'bogus = 1\n');

    confirm.mockResolvedValue(true);
    revert.click();
    await until(() => !fixture.componentInstance.dirty(), 'reverted');
    await fixture.whenStable();
    expect(textarea.value).toBe(TEXT);
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

    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockResolvedValue(true);
    (entries[0]?.querySelector('[data-test=unban]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('members.unban') !== undefined, 'members.unban');
    expect(confirm.mock.calls[0]?.[0]).toMatchObject({ title: 'Unban key', confirmLabel: 'Unban' });
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
    jest.spyOn(fixture.componentInstance, 'confirm').mockResolvedValue(true);
    const root = fixture.nativeElement as HTMLElement;
    (root.querySelector('[data-test=unban]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('members.unban') !== undefined, 'members.unban');
    h.socket.pending('members.unban')?.error('forbidden', 'no', { missing: ['ban'] });
    await until(() => fixture.componentInstance.error() !== null, 'error');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=bans-error]')?.textContent).toContain('you lack ban');
  });
});
