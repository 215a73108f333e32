import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideMarkdown } from 'ngx-markdown';

import type { ServerPermission } from '@mpqcht/permissions';

import { MemberPanel } from '../members/member-panel.component';
import { Composer } from '../messages/composer.component';
import { memberActions } from '../roster/member-actions';
import { Countdown } from '../shared/countdown';
import { serverInfo } from '../testing/fake-socket';
import {
  answerLogin,
  channel,
  harness,
  member,
  type OnlineHarness,
  onlineHarness,
  OTHER_KEY,
  sessionDto,
  until,
  URL_A,
} from '../testing/fixtures';
import { AuditLog } from './audit-log.component';

const ROLES = [
  { id: 'staff', name: 'Staff', color: '#ff8800', position: 10 },
  { id: 'helper', name: 'Helper', color: null, position: 20 },
  { id: 'vip', name: 'VIP', color: '#00aa00', position: 5 },
];

async function online(permissions: readonly ServerPermission[] = []): Promise<OnlineHarness> {
  const h = await onlineHarness({
    channels: [channel('lobby')],
    permissions,
    members: [],
  });
  h.socket.push('server.updated', serverInfo(URL_A, { roles: ROLES }));
  h.socket.push('member.joined', h.self);
  h.socket.push('member.joined', member(OTHER_KEY, 'Ada', { roles: ['vip', 'helper', 'staff', 'gone'] }));
  return h;
}

describe('Countdown', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('counts whole seconds down to the deadline and stops its interval at 0', () => {
    let now = 10_000;
    const countdown = new Countdown(() => now, 250);
    countdown.start(now + 2_400);
    expect(countdown.seconds()).toBe(3);
    expect(countdown.running()).toBe(true);
    now += 1_000;
    jest.advanceTimersByTime(250);
    expect(countdown.seconds()).toBe(2);
    now += 1_500;
    jest.advanceTimersByTime(250);
    expect(countdown.seconds()).toBe(0);
    expect(countdown.running()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not run for a past or missing deadline, and a new start replaces the old one', () => {
    const now = 10_000;
    const countdown = new Countdown(() => now, 250);
    countdown.start(now - 1);
    expect(countdown.running()).toBe(false);
    countdown.start(null);
    expect(jest.getTimerCount()).toBe(0);
    countdown.start(now + 5_000);
    countdown.start(now + 1_000);
    expect(countdown.seconds()).toBe(1);
    expect(jest.getTimerCount()).toBe(1);
    countdown.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('ServerConnection for admin views', () => {
  it('keeps when a rate-limited send may go again on the failed message', async () => {
    const h = await online();
    const sending = h.timelines.send('lobby', 'hello');
    await until(() => h.socket.pending('messages.send') !== undefined, 'messages.send');
    h.socket.pending('messages.send')?.error('rate_limited', 'slow down', { retryAfterMs: 4_200 });
    await sending;
    expect(h.timelines.timeline('lobby').messages()).toEqual([
      expect.objectContaining({ state: 'failed', error: 'slow down', retryAt: h.clock.now + 4_200 }),
    ]);
  });

  it('asks for the permissions again after joining, with the roles the key was authorized with', async () => {
    const { session, factory, identity } = await harness();
    await session.connect();
    const socket = factory.last;
    socket.handle('session.get', () => ({ ok: true, data: sessionDto(identity.publicKey.hex, null) }));
    socket.serverConnect();
    await until(() => session.status().kind === 'joining', 'joining');
    expect(session.can('kick')).toBe(false);

    const self = member(identity.publicKey.hex, 'Mod', { roles: ['staff'] });
    answerLogin(socket, self, { permissions: ['kick'] });
    socket.handle('member.join', () => ({ ok: true, data: self }));
    await session.join('Mod');
    expect(session.can('kick')).toBe(true);
  });

  it('takes the permissions from session.get and orders a member’s roles by position', async () => {
    const h = await online(['kick', 'view_audit_log']);
    expect(h.session.can('kick')).toBe(true);
    expect(h.session.can('ban')).toBe(false);
    expect(h.members.memberRoles(OTHER_KEY).map((r) => r.id)).toEqual(['helper', 'staff', 'vip']);
    // Helper has no colour: the next role's colour is the name's.
    expect(h.members.memberColor(OTHER_KEY)).toBe('#ff8800');
    expect(h.members.memberColor(h.self.publicKey)).toBeNull();
  });

  it('offers no action to a plain member and only what each permission allows', async () => {
    const plain = await online();
    expect(memberActions(plain.session, plain.members, OTHER_KEY)).toEqual({
      setRoles: false,
      kick: false,
      ban: false,
    });
    const moderator = await online(['kick', 'ban']);
    expect(memberActions(moderator.session, moderator.members, OTHER_KEY)).toEqual({
      setRoles: false,
      kick: true,
      ban: true,
    });
    // Roots are neither kicked nor banned, and only a root sets a root's roles.
    moderator.socket.push('member.joined', member(OTHER_KEY, 'Ada', { isRoot: true }));
    const manager = await online(['manage_roles', 'kick']);
    manager.socket.push('member.joined', member(OTHER_KEY, 'Ada', { isRoot: true }));
    expect(memberActions(moderator.session, moderator.members, OTHER_KEY)).toEqual({
      setRoles: false,
      kick: false,
      ban: false,
    });
    expect(memberActions(manager.session, manager.members, OTHER_KEY)).toEqual({
      setRoles: false,
      kick: false,
      ban: false,
    });
    // Nobody kicks or bans themselves from the panel.
    expect(memberActions(moderator.session, moderator.members, moderator.self.publicKey)).toEqual({
      setRoles: false,
      kick: false,
      ban: false,
    });
  });
});

describe('MemberPanel', () => {
  async function render(permissions: readonly ServerPermission[]) {
    const h = await online(permissions);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(MemberPanel);
    fixture.componentRef.setInput('server', h.connection);
    fixture.componentRef.setInput('publicKey', OTHER_KEY);
    await fixture.whenStable();
    return { h, fixture, root: fixture.nativeElement as HTMLElement };
  }

  it('shows name, key and roles, but no actions to a member without permissions', async () => {
    const { root } = await render([]);
    expect(root.querySelector('[data-test=member-key]')?.textContent).toContain(OTHER_KEY);
    expect(root.querySelector('[data-test=member-roles]')?.textContent).toContain('Helper');
    expect(root.querySelector('[data-test=member-actions]')).toBeNull();
  });

  it('shows role checkboxes, kick and ban to a holder, and the refusal inline', async () => {
    const { h, fixture, root } = await render(['manage_roles', 'kick', 'ban']);
    expect(root.querySelectorAll('[data-test=member-actions] input[type=checkbox]')).toHaveLength(3);
    expect(root.querySelector('[data-test=kick]')).not.toBeNull();
    (root.querySelector('[data-test=ban]') as HTMLButtonElement).click();
    await fixture.whenStable();
    const confirm = root.querySelector('[data-test=confirm-action]') as HTMLButtonElement;
    // A ban needs a reason.
    expect(confirm.disabled).toBe(true);
    fixture.componentInstance.reason.set('spam');
    await fixture.whenStable();
    confirm.click();
    await until(() => h.socket.pending('members.ban') !== undefined, 'members.ban');
    expect(h.socket.pending('members.ban')?.payload).toEqual({ publicKey: OTHER_KEY, reason: 'spam' });
    h.socket.pending('members.ban')?.error('forbidden', 'no', { missing: ['ban'] });
    await until(() => fixture.componentInstance.error() !== null, 'error');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=member-error]')?.textContent).toContain('you lack ban');
  });
  it('stays after a ban removes the member, says so, and offers nothing more', async () => {
    const { h, fixture, root } = await render(['kick', 'ban']);
    (root.querySelector('[data-test=ban]') as HTMLButtonElement).click();
    fixture.componentInstance.reason.set('spam');
    await fixture.whenStable();
    (root.querySelector('[data-test=confirm-action]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('members.ban') !== undefined, 'members.ban');
    // The server removes the member from everyone's list before it answers.
    h.socket.push('member.removed', { publicKey: OTHER_KEY, reason: 'banned' });
    h.socket.pending('members.ban')?.ok({
      publicKey: OTHER_KEY,
      reason: 'spam',
      bannedBy: h.self.publicKey,
      bannedAt: '2026-01-01T00:00:00.000Z',
    });
    await until(() => fixture.componentInstance.done() !== null, 'done');
    await fixture.whenStable();
    expect(root.querySelector('[data-test=member-panel]')?.textContent).toContain('Ada was banned.');
    expect(root.querySelector('[data-test=member-actions]')).toBeNull();
  });

  it('is a dialog named after the member that takes focus and closes on Escape', async () => {
    const { fixture, root } = await render([]);
    const panel = root.querySelector('[data-test=member-panel]') as HTMLElement;
    expect(panel.getAttribute('role')).toBe('dialog');
    const name = document.getElementById(panel.getAttribute('aria-labelledby') ?? '');
    expect(name?.textContent).toContain('Ada');
    await until(() => document.activeElement === panel, 'focus in the panel');
    let closed = 0;
    fixture.componentInstance.closed.subscribe(() => closed++);
    root
      .querySelector('[data-test=member-copy-key]')
      ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toBe(1);
  });
});

describe('AuditLog', () => {
  const entry = (id: number) => ({
    id: String(id),
    at: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(),
    actor: OTHER_KEY,
    action: 'member.kicked' as const,
    target: OTHER_KEY,
    details: { reason: `reason ${id}` },
  });

  it('lists the newest page, then the next one from the last id with "Load more"', async () => {
    const h = await online(['view_audit_log']);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    const fixture = TestBed.createComponent(AuditLog);
    fixture.componentRef.setInput('server', h.connection);
    await fixture.whenStable();
    await until(() => h.socket.pending('audit.list') !== undefined, 'audit.list');
    expect(h.socket.pending('audit.list')?.payload).toEqual({});
    h.socket.pending('audit.list')?.ok({ entries: [entry(9), entry(8)], hasMore: true });
    await until(() => fixture.componentInstance.entries().length === 2, 'first page');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    (root.querySelector('[data-test=audit-more]') as HTMLButtonElement).click();
    await until(() => h.socket.pending('audit.list') !== undefined, 'next page');
    expect(h.socket.pending('audit.list')?.payload).toEqual({ before: '8' });
    h.socket.pending('audit.list')?.ok({ entries: [entry(7)], hasMore: false });
    await until(() => fixture.componentInstance.entries().length === 3, 'second page');
    await fixture.whenStable();
    expect(root.querySelectorAll('[data-test=audit-entry]')).toHaveLength(3);
    expect(root.querySelector('[data-test=audit-more]')).toBeNull();
    // One request per page: loading does not start itself again.
    expect(h.socket.sent('audit.list')).toHaveLength(2);
  });
});

describe('Composer under a rate limit', () => {
  // Real timers: the zoneless scheduler and the countdown's interval both run (about 1.2 s).

  it('counts down, refuses Enter until 0, and notes the slowmode', async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), provideMarkdown()] });
    const fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('slowmodeMs', 5_000);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelector('[data-test=slowmode]')?.textContent).toContain('one message every 5 s');

    const sent: string[] = [];
    fixture.componentInstance.sent.subscribe((text) => sent.push(text));
    fixture.componentRef.setInput('retryAt', Date.now() + 1_200);
    await fixture.whenStable();
    expect(root.querySelector('[data-test=rate-limited]')?.textContent).toContain(
      'You can send again in 2 s',
    );
    fixture.componentInstance.text.set('again');
    fixture.componentInstance.onKey(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sent).toEqual([]);

    const deadline = Date.now() + 5_000;
    while (fixture.componentInstance.countdown.running() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await fixture.whenStable();
    expect(root.querySelector('[data-test=rate-limited]')).toBeNull();
    fixture.componentInstance.onKey(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(sent).toEqual(['again']);
  });
});
