import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { ServerConnection } from '../connection/server-connection';
import { InviteCreator } from './invite-creator.component';

/** The quick way to an invite link (the + beside the server's name): a dialog around the creator. */
@Component({
  selector: 'mq-invite-dialog',
  imports: [InviteCreator],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="dialog" data-test="invite-dialog">
      <header>
        <h2>Invite people to {{ server().session.info()?.name ?? server().url }}</h2>
        <button type="button" class="close" (click)="closed.emit()" aria-label="Close">×</button>
      </header>
      <mq-invite-creator [server]="server()" />
    </section>
  `,
  styleUrl: '../shared/dialog.css',
  styles: `
    .dialog {
      width: min(560px, 92vw);
    }
    header {
      margin-bottom: 14px;
    }
  `,
})
export class InviteDialog {
  readonly server = input.required<ServerConnection>();
  readonly closed = output();
}
