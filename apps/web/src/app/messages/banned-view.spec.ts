import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { ServersStore } from '../servers/servers.store';
import { channel, harness, onlineHarness, until } from '../testing/fixtures';
import { ServerStatus } from './server-status.component';

/** A member banned while online (session.ended), or refused as banned at a later login. */
describe('the banned view', () => {
  function mount(server: Awaited<ReturnType<typeof harness>>['connection']) {
    const removed: string[] = [];
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ServersStore, useValue: { remove: (url: string) => removed.push(url) } },
      ],
    });
    const fixture = TestBed.createComponent(ServerStatus);
    fixture.componentRef.setInput('server', server);
    return { fixture, removed, root: fixture.nativeElement as HTMLElement };
  }

  it('says so with the reason when the server bans the member while online, and offers to remove the server', async () => {
    const h = await onlineHarness({ channels: [channel('lobby')] });
    h.socket.push('session.ended', {
      reason: 'banned',
      message: 'you were banned from this server: spamming the lobby',
      note: 'spamming the lobby',
    });
    expect(h.session.status()).toEqual({
      kind: 'refused',
      code: 'banned',
      message: 'you were banned from this server: spamming the lobby',
      note: 'spamming the lobby',
    });
    const { fixture, removed, root } = mount(h.connection);
    await fixture.whenStable();
    const banned = root.querySelector('[data-test=banned]');
    expect(banned?.querySelector('h2')?.textContent).toBe('You were banned from Test server');
    expect(banned?.querySelector('[data-test=ban-reason]')?.textContent).toContain('spamming the lobby');

    // Removing asks first, in the app's dialog.
    root.querySelector<HTMLButtonElement>('[data-test=remove-server]')?.click();
    await until(() => document.querySelector('[data-test=confirm-accept]') !== null, 'the question');
    await fixture.whenStable();
    expect(document.querySelector('[role=alertdialog]')?.textContent).toContain('Remove Test server');
    document.querySelector<HTMLButtonElement>('[data-test=confirm-accept]')?.click();
    await until(() => removed.length === 1, 'removed');
    expect(removed).toEqual([h.connection.url]);
  });

  it('shows the ban reason the handshake refusal carries after a reload, and no reason when there is none', async () => {
    const { session, factory, connection } = await harness();
    await session.connect();
    factory.last.connectError('banned', 'this key is banned from this server', {
      publicKey: '02' + 'a'.repeat(64),
      reason: 'spam',
    });
    expect(session.status()).toMatchObject({ kind: 'refused', code: 'banned', note: 'spam' });
    const { fixture, root } = mount(connection);
    await fixture.whenStable();
    expect(root.querySelector('[data-test=ban-reason]')?.textContent).toContain('spam');

    session.status.set({ kind: 'refused', code: 'banned', message: 'this key is banned from this server' });
    await fixture.whenStable();
    expect(root.querySelector('[data-test=banned] h2')?.textContent).toBe('You were banned from Test server');
    expect(root.querySelector('[data-test=ban-reason]')).toBeNull();
  });
});
