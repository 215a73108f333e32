import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { bytesToHex, uncompressedPublicKey } from '@mpqcht/identity';
import type { ServerPermission } from '@mpqcht/permissions';
import type { InviteDto } from '@mpqcht/protocol';

import { ChannelSidebar } from '../navigation/channel-sidebar.component';
import { provideServerFeatures } from '../server-features';
import { ChatSelection } from '../servers/chat-selection';
import { serverInfo } from '../testing/fake-socket';
import {
  channel,
  harness,
  member,
  type OnlineHarness,
  onlineHarness,
  OTHER_KEY,
  sessionDto,
  testIdentity,
  until,
  URL_A,
} from '../testing/fixtures';
import { AuthorizeKey } from './authorize-key.component';
import type { ConfigEditor } from './config-editor.component';
import { InviteCreator } from './invite-creator.component';
import { InvitesSection } from './invites-section.component';
import { ServerSettings } from './server-settings.component';
import { SETTINGS_SECTIONS, settingsSections } from './settings-sections';

const ROLES = [
  { id: 'staff', name: 'Staff', color: '#ff8800', position: 10 },
  { id: 'helper', name: 'Helper', color: null, position: 20 },
];

async function online(permissions: readonly ServerPermission[]): Promise<OnlineHarness> {
  const h = await onlineHarness({ channels: [channel('lobby')], permissions });
  h.socket.push('server.updated', serverInfo(URL_A, { roles: ROLES }));
  return h;
}

describe('settingsSections', () => {
  it('shows each section only with its permission, in tab order', async () => {
    expect(settingsSections((await online([])).session)).toEqual([]);
    expect(settingsSections((await online(['kick', 'moderate', 'manage_roles'])).session)).toEqual([]);
    expect(settingsSections((await online(['invite'])).session)).toEqual(['invites']);
    expect(settingsSections((await online(['ban', 'view_audit_log'])).session)).toEqual(['bans', 'audit']);
    expect(settingsSections((await online(['manage_members'])).session)).toEqual(['members']);
    expect(settingsSections((await online(['manage_config'])).session)).toEqual(['config']);
    const everything = await online([
      'manage_config',
      'view_audit_log',
      'ban',
      'manage_members',
      'invite',
      'kick',
    ]);
    expect(settingsSections(everything.session)).toEqual([...SETTINGS_SECTIONS]);
  });

  it('shows nothing before the member has joined, whatever session.get reported', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    // A root key that has not picked a name yet: session.get already reports every permission.
    socket.handle('session.get', () => ({
      ok: true,
      data: { ...sessionDto(identity.publicKey.hex, null, URL_A, ['manage_config', 'ban', 'invite']) },
    }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');
    expect(session.can('ban')).toBe(true);
    expect(settingsSections(session)).toEqual([]);
  });
});

describe('ServerSettings', () => {
  async function render(permissions: readonly ServerPermission[]) {
    const h = await online(permissions);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(ServerSettings);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const tabs = () =>
      Array.from(root.querySelectorAll<HTMLButtonElement>('[role=tab]'), (t) => t.dataset['section']);
    const tab = (section: string) =>
      root.querySelector<HTMLButtonElement>(`[role=tab][data-section=${section}]`);
    const panel = (section: string) =>
      root.querySelector<HTMLElement>(`[role=tabpanel][data-section=${section}]`);
    return { h, fixture, root, tabs, tab, panel };
  }

  it('has a tab for each section the member may open and opens the first', async () => {
    const { h, root, tabs, tab, panel } = await render(['ban', 'view_audit_log']);
    expect(tabs()).toEqual(['bans', 'audit']);
    expect(tab('bans')?.getAttribute('aria-selected')).toBe('true');
    expect(tab('audit')?.getAttribute('aria-selected')).toBe('false');
    expect(panel('bans')?.hidden).toBe(false);
    expect(panel('bans')?.getAttribute('aria-labelledby')).toBe(tab('bans')?.id);
    expect(tab('bans')?.getAttribute('aria-controls')).toBe(panel('bans')?.id);
    // Only the open section loads.
    await until(() => h.socket.pending('bans.list') !== undefined, 'bans.list');
    expect(h.socket.sent('audit.list')).toHaveLength(0);
    expect(root.querySelector('[data-section=config]')).toBeNull();
    expect(root.querySelector('[data-section=invites]')).toBeNull();
  });

  it('moves between tabs by click and by arrow keys, keeping what was opened', async () => {
    const { h, fixture, tab, panel } = await render(['ban', 'view_audit_log', 'manage_config']);
    await until(() => h.socket.pending('bans.list') !== undefined, 'bans.list');
    h.socket.pending('bans.list')?.ok([]);
    tab('audit')?.click();
    await fixture.whenStable();
    expect(tab('audit')?.getAttribute('aria-selected')).toBe('true');
    expect(panel('audit')?.hidden).toBe(false);
    expect(panel('bans')?.hidden).toBe(true);
    await until(() => h.socket.pending('audit.list') !== undefined, 'audit.list');

    tab('audit')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await fixture.whenStable();
    expect(tab('config')?.getAttribute('aria-selected')).toBe('true');
    expect(tab('config')?.tabIndex).toBe(0);
    expect(tab('audit')?.tabIndex).toBe(-1);
    await until(() => document.activeElement === tab('config'), 'focus on the config tab');
    tab('config')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await fixture.whenStable();
    expect(tab('bans')?.getAttribute('aria-selected')).toBe('true');
    // Bans was loaded once and kept: going back asks nothing again.
    expect(h.socket.sent('bans.list')).toHaveLength(1);
  });

  it('follows the permissions while open: a section whose permission goes away disappears', async () => {
    const { h, fixture, tabs } = await render(['ban', 'view_audit_log']);
    h.session.permissions.set(new Set(['view_audit_log']));
    await fixture.whenStable();
    expect(tabs()).toEqual(['audit']);
  });

  it('asks before closing with unsaved edits to config.toml', async () => {
    const { h, fixture } = await render(['manage_config']);
    await until(() => h.socket.pending('config.get') !== undefined, 'config.get');
    h.socket.pending('config.get')?.ok({ text: 'a = 1\n', hash: 'a'.repeat(64) });
    const editor = fixture.debugElement.query((e) => e.name === 'mq-config-editor');
    await until(() => (editor.componentInstance as ConfigEditor).loaded() !== null, 'loaded');
    await fixture.whenStable();
    let closed = 0;
    fixture.componentInstance.closed.subscribe(() => closed++);
    await fixture.componentInstance.dismiss();
    expect(closed).toBe(1);

    const textarea = (fixture.nativeElement as HTMLElement).querySelector<HTMLTextAreaElement>(
      '[data-test=config-text]',
    );
    if (!textarea) throw new Error('no editor');
    textarea.value = 'a = 2\n';
    textarea.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    const dismissing = fixture.componentInstance.dismiss();
    await until(() => document.querySelector('[data-test=confirm-cancel]') !== null, 'the question');
    document.querySelector<HTMLButtonElement>('[data-test=confirm-cancel]')?.click();
    await dismissing;
    expect(closed).toBe(1);
  });
});

describe('ChannelSidebar settings button', () => {
  async function render(h: OnlineHarness | Awaited<ReturnType<typeof harness>>) {
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        provideServerFeatures(),
        { provide: ChatSelection, useValue: { server: signal(h.connection), channel: signal(null) } },
      ],
    });
    const fixture = TestBed.createComponent(ChannelSidebar);
    await fixture.whenStable();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }

  it('is there for a member with some admin permission, and opens the settings dialog', async () => {
    const { fixture, root } = await render(await online(['view_audit_log']));
    const gear = root.querySelector<HTMLButtonElement>('[data-test=open-settings]');
    expect(gear?.getAttribute('aria-label')).toBe('Server settings');
    gear?.click();
    await fixture.whenStable();
    const dialog = document.querySelector('cdk-dialog-container');
    expect(dialog?.getAttribute('aria-label')).toBe('Server settings: Test server');
    expect(dialog?.querySelector('[role=tab][data-section=audit]')).not.toBeNull();
    fixture.destroy();
    expect(document.querySelector('cdk-dialog-container')).toBeNull();
  });

  it('is not there for a plain member, nor before joining', async () => {
    expect((await render(await online(['kick']))).root.querySelector('[data-test=open-settings]')).toBeNull();
    TestBed.resetTestingModule();

    const h = await harness();
    await h.session.connect();
    h.factory.last.handle('session.get', () => ({
      ok: true,
      data: sessionDto(h.identity.publicKey.hex, null, URL_A, ['manage_config', 'invite']),
    }));
    h.factory.last.serverConnect();
    await until(() => h.session.status().kind === 'joining', 'joining');
    const { root } = await render(h);
    expect(root.querySelector('[data-test=open-settings]')).toBeNull();
    expect(root.querySelector('[data-test=open-invite]')).toBeNull();
  });

  it('hides the channels of a server that refused the member (banned)', async () => {
    const h = await online([]);
    const { fixture, root } = await render(h);
    expect(root.querySelector('[data-channel=lobby]')).not.toBeNull();
    h.socket.push('session.ended', { reason: 'banned', message: 'you were banned', note: 'spam' });
    await fixture.whenStable();
    expect(root.querySelector('[data-channel=lobby]')).toBeNull();
  });
});

describe('AuthorizeKey', () => {
  async function render(permissions: readonly ServerPermission[] = ['manage_members']) {
    const h = await online(permissions);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(AuthorizeKey);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const paste = async (text: string) => {
      const input = root.querySelector<HTMLTextAreaElement>('[data-test=authorize-key]');
      if (!input) throw new Error('no key field');
      input.value = text;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    };
    const submit = async () => {
      root.querySelector<HTMLButtonElement>('[data-test=authorize-submit]')?.click();
      await fixture.whenStable();
    };
    return { h, fixture, root, paste, submit };
  }

  it('refuses what is not a public key, with the parser’s reason, and sends nothing', async () => {
    const { h, root, paste, submit } = await render();
    for (const [text, says] of [
      ['not a key', 'hexadecimal'],
      ['02abcd', '66 hexadecimal characters'],
      ['02' + 'f'.repeat(64), 'not a valid public key'],
    ] as const) {
      await paste(text);
      await submit();
      expect(root.querySelector('[data-test=authorize-problem]')?.textContent).toContain(says);
      expect(root.querySelector('[data-test=authorize-key]')?.getAttribute('aria-invalid')).toBe('true');
    }
    expect(h.socket.sent('members.authorize')).toHaveLength(0);
  });

  it('sends the canonical key with the chosen roles, and says who was authorized', async () => {
    const { h, fixture, root, paste, submit } = await render();
    const identity = await testIdentity();
    const key = identity.publicKey;
    // Pasted uncompressed, in capitals, wrapped over two lines: the server's parser takes it.
    const uncompressed = bytesToHex(uncompressedPublicKey(key)).toUpperCase();
    await paste(`${uncompressed.slice(0, 60)}\n${uncompressed.slice(60)}`);
    root.querySelector<HTMLInputElement>('[data-role=staff]')?.click();
    await fixture.whenStable();
    await submit();
    await until(() => h.socket.pending('members.authorize') !== undefined, 'members.authorize');
    expect(h.socket.pending('members.authorize')?.payload).toEqual({ publicKey: key.hex, roles: ['staff'] });
    h.socket
      .pending('members.authorize')
      ?.ok({ publicKey: key.hex, roles: ['staff'], authorizedAt: '2026-01-01T00:00:00.000Z' });
    await until(() => fixture.componentInstance.done() !== null, 'done');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=authorize-done]')?.textContent).toContain(
      `Authorized ${key.hex.slice(0, 10)}`,
    );
    expect(root.querySelector('[data-test=authorize-done]')?.textContent).toContain('with Staff');
    expect(root.querySelector<HTMLTextAreaElement>('[data-test=authorize-key]')?.value).toBe('');
  });

  it("shows the server's refusal with its code", async () => {
    const { h, fixture, root, paste, submit } = await render();
    await paste((await testIdentity()).publicKey.hex);
    await submit();
    await until(() => h.socket.pending('members.authorize') !== undefined, 'members.authorize');
    h.socket
      .pending('members.authorize')
      ?.error('forbidden', 'this key is banned; unban it first (members.unban)');
    await until(() => fixture.componentInstance.refusal() !== null, 'refusal');
    await fixture.whenStable();
    const error = root.querySelector('[data-test=authorize-error]');
    expect(error?.getAttribute('data-code')).toBe('forbidden');
    expect(error?.textContent).toContain('this key is banned; unban it first');
    expect(error?.querySelector('code')?.textContent).toBe('forbidden');
  });
});

describe('InviteCreator', () => {
  it('makes an invite from the segmented choices and shows its link once', async () => {
    const h = await online(['invite']);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(InviteCreator);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    // No native select or number field: radio groups styled as the app's segmented buttons.
    expect(root.querySelector('select')).toBeNull();
    expect(root.querySelector('input[type=number]')).toBeNull();
    expect(root.querySelector<HTMLInputElement>('[data-expiry="7 days"]')?.checked).toBe(true);
    expect(root.querySelector<HTMLInputElement>('[data-uses=none]')?.checked).toBe(true);

    root.querySelector<HTMLInputElement>('[data-expiry="1 day"]')?.click();
    root.querySelector<HTMLInputElement>('[data-uses="5"]')?.click();
    const note = root.querySelector<HTMLInputElement>('[data-test=invite-note]');
    if (!note) throw new Error('no note');
    note.value = '  for the book club ';
    note.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    root.querySelector<HTMLButtonElement>('[data-test=create-invite]')?.click();
    await until(() => h.socket.pending('invites.create') !== undefined, 'invites.create');
    expect(h.socket.pending('invites.create')?.payload).toEqual({
      maxUses: 5,
      expiresInMs: 24 * 60 * 60 * 1000,
      note: 'for the book club',
    });
    const code = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXoxMjM0';
    h.socket.pending('invites.create')?.ok({ ...invite('7', { maxUses: 5 }), code });
    await until(() => fixture.componentInstance.link() !== null, 'link');
    await fixture.whenStable();
    expect(root.querySelector<HTMLInputElement>('[data-test=invite-link]')?.value).toBe(
      `${location.origin}/join/${encodeURIComponent(URL_A)}/${code}`,
    );
    expect(root.querySelector('[data-test=invite-result]')?.textContent).toContain('(5 uses)');
  });
});

function invite(id: string, overrides: Partial<InviteDto> = {}): InviteDto {
  return {
    id,
    createdBy: OTHER_KEY,
    createdAt: '2026-01-01T00:00:00.000Z',
    maxUses: null,
    uses: 0,
    expiresAt: null,
    roles: [],
    note: null,
    revokedAt: null,
    ...overrides,
  };
}

describe('InvitesSection', () => {
  it('lists the invites with their state and revokes a live one after asking', async () => {
    const h = await online(['invite']);
    h.socket.push('member.joined', member(OTHER_KEY, 'Ada'));
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(InvitesSection);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    await until(() => h.socket.pending('invites.list') !== undefined, 'invites.list');
    h.socket
      .pending('invites.list')
      ?.ok([
        invite('3', { maxUses: 2, uses: 1, note: 'book club' }),
        invite('2', { revokedAt: '2026-01-02T00:00:00.000Z' }),
        invite('1', { maxUses: 1, uses: 1 }),
      ]);
    await until(() => fixture.componentInstance.invites().length === 3, 'invites');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const entries = Array.from(root.querySelectorAll<HTMLElement>('[data-test=invite-entry]'));
    expect(entries.map((e) => e.dataset['state'])).toEqual(['live', 'revoked', 'used up']);
    expect(entries[0]?.textContent).toContain('1 / 2');
    expect(entries[0]?.textContent).toContain('by Ada');
    expect(entries[0]?.textContent).toContain('book club');
    // Only a live invite can be revoked.
    expect(root.querySelectorAll('[data-test=revoke-invite]')).toHaveLength(1);

    const confirm = jest.spyOn(fixture.componentInstance, 'confirm').mockResolvedValue(false);
    entries[0]?.querySelector<HTMLButtonElement>('[data-test=revoke-invite]')?.click();
    await until(() => confirm.mock.calls.length === 1, 'asked');
    await Promise.resolve();
    expect(h.socket.sent('invites.revoke')).toHaveLength(0);

    confirm.mockResolvedValue(true);
    entries[0]?.querySelector<HTMLButtonElement>('[data-test=revoke-invite]')?.click();
    await until(() => h.socket.pending('invites.revoke') !== undefined, 'invites.revoke');
    expect(h.socket.pending('invites.revoke')?.payload).toEqual({ id: '3' });
    h.socket.pending('invites.revoke')?.ok(invite('3', { revokedAt: '2026-01-03T00:00:00.000Z' }));
    await until(() => h.socket.pending('invites.list') !== undefined, 'invites.list again');
  });
});
