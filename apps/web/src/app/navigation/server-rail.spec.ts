import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import type { ServerConnection } from '../connection/server-connection';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { channel, onlineHarness } from '../testing/fixtures';
import { ServerRail } from './server-rail.component';

describe('the server rail', () => {
  it("shows a server's unread dot and mention count, and drops them once the server bans the member", async () => {
    const h = await onlineHarness({
      channels: [channel('lobby', {}, { unreadCount: 3, mentionCount: 2 }), channel('random')],
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: ServersStore, useValue: { servers: signal<ServerConnection[]>([h.connection]) } },
        { provide: ChatSelection, useValue: { server: signal(null) } },
      ],
    });
    const fixture = TestBed.createComponent(ServerRail);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const button = () => root.querySelector(`button.server[data-server="${h.connection.url}"]`);
    expect(button()?.classList.contains('unread')).toBe(true);
    expect(root.querySelector('[data-test=rail-mentions]')?.textContent).toBe('2');

    h.socket.push('session.ended', { reason: 'banned', message: 'you were banned from this server' });
    await fixture.whenStable();
    expect(button()?.classList.contains('unread')).toBe(false);
    expect(root.querySelector('[data-test=rail-mentions]')).toBeNull();
    expect(button()?.querySelector('.state.refused')).not.toBeNull();
  });
});
