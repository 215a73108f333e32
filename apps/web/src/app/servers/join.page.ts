import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { parseJoinLink } from '../connection/join-link';
import { IdentityStore } from '../identity/identity.store';
import { ServersStore } from './servers.store';

/**
 * `/join/<server origin, URL-encoded>/<code>`: adds the server with the invite (sent with the first
 * login only, never saved), selects it and goes on to the chat, where the join form follows. The
 * route's guard sends a visitor without an unlocked identity to the unlock page first, which
 * returns here.
 */
@Component({
  selector: 'mq-join-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (invalid()) {
      <main class="join-invalid" data-test="join-invalid">
        <p>This invite link is not valid. Check that you copied all of it.</p>
        <a routerLink="/chat">Go to your servers</a>
      </main>
    }
  `,
})
export class JoinPage {
  private readonly identity = inject(IdentityStore);
  private readonly servers = inject(ServersStore);
  private readonly router = inject(Router);
  readonly invalid = signal(false);

  constructor() {
    const params = inject(ActivatedRoute).snapshot.paramMap;
    const link = parseJoinLink(params.get('server'), params.get('code'));
    const identity = this.identity.identity();
    if (!identity) {
      void this.router.navigateByUrl('/unlock');
      return;
    }
    if (!link) {
      this.invalid.set(true);
      return;
    }
    if (this.servers.servers().length === 0) this.servers.start(identity);
    this.servers.add(link.origin, link.code);
    this.servers.select(link.origin);
    void this.router.navigateByUrl('/chat', { replaceUrl: true });
  }
}
