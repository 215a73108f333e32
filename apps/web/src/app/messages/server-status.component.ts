import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';

import { Outbox } from '../channels/outbox';
import { RequestFailed } from '../connection/request-failed';
import type { ServerConnection } from '../connection/server-connection';
import { ServersStore } from '../servers/servers.store';
import { Autofocus } from '../shared/autofocus.directive';
import { Countdown } from '../shared/countdown';
import { injectDialogs } from '../shared/dialogs';
import { ProofOfWorkProgress } from './proof-of-work.component';

/** Why a server's channels are not on screen, in words a person understands, and what to do. */
@Component({
  selector: 'mq-server-status',
  imports: [Autofocus, ProofOfWorkProgress],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let server = this.server().session;
    @let status = server.status();
    <section class="panel" data-test="server-status" [attr.data-kind]="status.kind">
      @switch (status.kind) {
        @case ('connecting') {
          <h2>Connecting to {{ server.url }}…</h2>
          <mq-proof-of-work [server]="this.server()" />
        }
        @case ('reconnecting') {
          @if (status.reason) {
            <h2>{{ server.url }} is not answering</h2>
            <p>{{ status.reason }}. The server may be down or restarting, or the address may be wrong.</p>
          } @else {
            <h2>Connection lost</h2>
          }
          <p data-test="reconnect-attempt" [attr.data-attempt]="status.attempt">
            @if (countdown.running()) {
              Trying again in {{ countdown.seconds() }} s (attempt {{ status.attempt }})…
            } @else {
              Reconnecting to {{ server.url }} (attempt {{ status.attempt }})…
            }
          </p>
          <mq-proof-of-work [server]="this.server()" />
          @if (waiting() > 0) {
            <p data-test="outbox-waiting">
              {{ waiting() === 1 ? '1 message is' : waiting() + ' messages are' }} waiting to be sent when the
              connection is back.
            </p>
          }
          <div class="actions">
            <button
              class="button primary"
              type="button"
              [disabled]="status.retryAt === null"
              (click)="server.reconnectNow('button')"
              data-test="reconnect-now"
            >
              Reconnect now
            </button>
          </div>
        }
        @case ('rate_limited') {
          <h2>Too many logins from here</h2>
          <p>
            {{ server.url }} limits how often this address may log in. Trying again
            @if (countdown.running()) {
              in {{ countdown.seconds() }} s
            }
            …
          </p>
        }
        @case ('joining') {
          <h2>Welcome to {{ server.info()?.name }}</h2>
          <p>Your key is authorized here. Pick the name others will see.</p>
          <form (submit)="$event.preventDefault(); join(name.value)">
            <input #name maxlength="32" placeholder="Display name" mqAutofocus data-test="display-name" />
            <button class="button primary" type="submit" [disabled]="busy()" data-test="join">Join</button>
          </form>
          @if (error(); as message) {
            <p class="error" role="alert">{{ message }}</p>
          }
        }
        @case ('refused') {
          @switch (status.code) {
            @case ('not_a_member') {
              <h2>You are not a member of {{ server.info()?.name ?? server.url }} yet</h2>
              <p>Send your public key to one of its admins. Once they have authorized it, try again.</p>
              <code class="key" data-test="not-member-key">{{ server.publicKey }}</code>
              <div class="actions">
                <button class="button" type="button" (click)="copy(server.publicKey)">
                  {{ copied() ? 'Copied!' : 'Copy public key' }}
                </button>
                <button
                  class="button primary"
                  type="button"
                  (click)="server.reconnect()"
                  data-test="try-again"
                >
                  Try again
                </button>
              </div>
            }
            @case ('revoked') {
              <h2>Your access to {{ server.info()?.name ?? server.url }} was revoked</h2>
              <p>{{ status.message }}</p>
              <div class="actions">
                <button class="button danger" type="button" (click)="remove()" data-test="remove-server">
                  Remove this server
                </button>
              </div>
            }
            @case ('banned') {
              <div class="banned" data-test="banned">
                <h2>You were banned from {{ server.info()?.name ?? server.url }}</h2>
                @if (status.note) {
                  <p class="reason" data-test="ban-reason">
                    <span class="label">Reason</span> <q>{{ status.note }}</q>
                  </p>
                }
                <p>
                  You can no longer read or write here. If you think this is a mistake, ask one of its admins
                  some other way.
                </p>
                <div class="actions">
                  <button class="button danger" type="button" (click)="remove()" data-test="remove-server">
                    Remove this server
                  </button>
                </div>
              </div>
            }
            @case ('kicked') {
              <h2>You were removed from {{ server.info()?.name ?? server.url }}</h2>
              <p>{{ status.message }} You may come back.</p>
              <button class="button primary" type="button" (click)="server.reconnect()">Reconnect</button>
            }
            @case ('too_many_connections') {
              <h2>Too many open connections to {{ server.info()?.name ?? server.url }}</h2>
              <p>
                Your key is connected to this server from too many tabs or devices at once. Close one of them,
                then try again.
              </p>
              <button class="button primary" type="button" (click)="server.reconnect()">Try again</button>
            }
            @case ('flooding') {
              <h2>Disconnected from {{ server.info()?.name ?? server.url }}</h2>
              <p>{{ status.message }}</p>
              <button class="button primary" type="button" (click)="server.reconnect()">Reconnect</button>
            }
            @default {
              <h2>Could not log in to {{ server.url }}</h2>
              <p>{{ status.message }}</p>
              <button class="button primary" type="button" (click)="server.reconnect()">Try again</button>
            }
          }
        }
      }
    </section>
  `,
  styles: `
    .panel {
      max-width: 560px;
      margin: 15vh auto 0;
      padding: 24px;
      display: grid;
      gap: 12px;
    }
    h2 {
      margin: 0;
    }
    p {
      margin: 0;
      color: var(--mq-text-muted);
    }
    form,
    .actions {
      display: flex;
      gap: 8px;
    }
    .key {
      padding: 10px;
      border-radius: var(--mq-radius);
      border: 1px solid var(--mq-border);
      background: var(--mq-surface);
      font: 13px var(--mq-mono);
      word-break: break-all;
      user-select: all;
    }
    .error {
      color: var(--mq-danger);
    }
    .banned {
      display: grid;
      gap: 12px;
      padding: 20px;
      border: 1px solid var(--mq-danger);
      border-radius: 8px;
      background: var(--mq-surface);
    }
    .reason {
      color: var(--mq-text);
      overflow-wrap: anywhere;
    }
    .reason .label {
      margin-right: 4px;
      font-size: 12px;
      font-weight: 700;
      text-transform: uppercase;
      letter-spacing: 0.03em;
      color: var(--mq-text-muted);
    }
  `,
})
export class ServerStatus {
  readonly server = input.required<ServerConnection>();
  readonly busy = signal(false);
  readonly error = signal<string | null>(null);
  readonly copied = signal(false);
  /** Seconds until the next attempt (rate limited, or reconnecting). */
  readonly countdown = new Countdown();
  /** Messages typed before the connection went, sent when it is back. */
  readonly waiting = computed(() => this.server().get(Outbox).size());
  private readonly servers = inject(ServersStore);
  private readonly dialogs = injectDialogs();

  constructor() {
    effect(() => {
      const status = this.server().session.status();
      const retryAt =
        status.kind === 'rate_limited' || status.kind === 'reconnecting' ? status.retryAt : null;
      untracked(() => this.countdown.start(retryAt));
    });
    inject(DestroyRef).onDestroy(() => this.countdown.stop());
  }

  async join(name: string): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.server().session.join(name.trim());
    } catch (error) {
      this.error.set(
        error instanceof RequestFailed && error.code === 'display_name_taken'
          ? 'That name is taken on this server.'
          : error instanceof RequestFailed && error.code === 'validation_failed'
            ? 'Names are 1 to 32 letters, digits, spaces and . _ - \u2019'
            : error instanceof Error
              ? error.message
              : 'Could not join.',
      );
    } finally {
      this.busy.set(false);
    }
  }

  /** Takes the server off this page (after asking); its messages waiting to be sent go with it. */
  async remove(): Promise<void> {
    const { url } = this.server();
    const name = this.server().session.info()?.name ?? url;
    const sure = await this.dialogs.confirm({
      title: 'Remove server',
      message: `Remove ${name} (${url}) from your servers?`,
      confirmLabel: 'Remove',
      danger: true,
    });
    if (sure) this.servers.remove(url);
  }

  async copy(text: string): Promise<void> {
    await navigator.clipboard.writeText(text);
    this.copied.set(true);
  }
}
