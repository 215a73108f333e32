import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { ServerConnection } from '../connection/server-connection';

/**
 * "Proving work for Alpha… 42 %": shown while a login solves the proof-of-work a flooded server
 * asks for (docs/web-client.md, Proof of work). Nothing while there is none.
 */
@Component({
  selector: 'mq-proof-of-work',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let session = this.server().session;
    @if (session.proofOfWork(); as work) {
      @let name = session.info()?.name ?? session.url;
      <div class="work" data-test="pow-progress" [attr.data-percent]="work.percent">
        <p role="status">Proving work for {{ name }}… {{ work.percent }} %</p>
        <div
          class="track"
          role="progressbar"
          aria-valuemin="0"
          aria-valuemax="100"
          [attr.aria-valuenow]="work.percent"
          [attr.aria-label]="'Proof of work for ' + name"
        >
          <div class="bar" [style.width.%]="work.percent"></div>
        </div>
        <p class="why">
          The server is under heavy load and asks new logins to do some computing first. Once you have logged
          in, it will not ask this browser again for a while.
        </p>
      </div>
    }
  `,
  styles: `
    .work {
      display: grid;
      gap: 8px;
    }
    p {
      margin: 0;
      color: var(--mq-text-muted);
    }
    .why {
      font-size: 13px;
    }
    .track {
      height: 8px;
      border-radius: 4px;
      background: var(--mq-border);
      overflow: hidden;
    }
    .bar {
      height: 100%;
      background: var(--mq-accent);
      transition: width 0.2s linear;
    }
  `,
})
export class ProofOfWorkProgress {
  readonly server = input.required<ServerConnection>();
}
