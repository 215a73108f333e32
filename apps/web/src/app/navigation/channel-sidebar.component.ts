import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';

import { InviteDialog } from '../admin/invite-dialog.component';
import { ServerSettings } from '../admin/server-settings.component';
import { settingsSections } from '../admin/settings-sections';
import { ChannelsState } from '../channels/channels.state';
import type { ServerConnection } from '../connection/server-connection';
import { IdentityStore } from '../identity/identity.store';
import { ChatSelection } from '../servers/chat-selection';
import { ServersStore } from '../servers/servers.store';
import { injectDialogs } from '../shared/dialogs';
import { ThreadsState } from '../threads/threads.state';
import { VoiceState } from '../voice/voice.state';
import { VOICE_ICONS } from './voice-icons';
import { VoicePanel } from './voice-panel.component';

/** The active server's name and status, its channels in groups, and the person's own panel. */
@Component({
  selector: 'mq-channel-sidebar',
  imports: [VoicePanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (selection.server(); as server) {
      <header class="server-name" [attr.title]="server.url">
        <span>{{ server.session.info()?.name ?? server.url }}</span>
        @if (settingsSections(server.session).length > 0) {
          <button
            type="button"
            class="icon"
            title="Server settings"
            (click)="openSettings(server)"
            aria-label="Server settings"
            data-test="open-settings"
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2" />
              <path
                d="M19.4 15a1.7 1.7 0 00.3 1.8l.1.1a2 2 0 11-2.8 2.8l-.1-.1a1.7 1.7 0 00-1.8-.3 1.7 1.7 0 00-1 1.5V21a2 2 0 11-4 0v-.1a1.7 1.7 0 00-1.1-1.5 1.7 1.7 0 00-1.8.3l-.1.1a2 2 0 11-2.8-2.8l.1-.1a1.7 1.7 0 00.3-1.8 1.7 1.7 0 00-1.5-1H3a2 2 0 110-4h.1a1.7 1.7 0 001.5-1.1 1.7 1.7 0 00-.3-1.8l-.1-.1a2 2 0 112.8-2.8l.1.1a1.7 1.7 0 001.8.3H9a1.7 1.7 0 001-1.5V3a2 2 0 114 0v.1a1.7 1.7 0 001 1.5 1.7 1.7 0 001.8-.3l.1-.1a2 2 0 112.8 2.8l-.1.1a1.7 1.7 0 00-.3 1.8V9a1.7 1.7 0 001.5 1H21a2 2 0 110 4h-.1a1.7 1.7 0 00-1.5 1z"
                fill="none"
                stroke="currentColor"
                stroke-width="2"
                stroke-linejoin="round"
              />
            </svg>
          </button>
        }
        @if (server.session.can('invite') && server.session.self()) {
          <button
            type="button"
            class="icon"
            title="Invite people"
            (click)="invite(server)"
            aria-label="Invite people"
            data-test="open-invite"
          >
            +
          </button>
        }
        <button
          type="button"
          class="icon"
          title="Remove this server"
          (click)="remove(server.url)"
          aria-label="Remove this server"
        >
          ×
        </button>
      </header>
      <nav class="channels" aria-label="Channels">
        <!-- Refused (banned, revoked, not a member): the channels held from before are stale. -->
        @for (group of server.session.status().kind === 'refused' ? [] : grouped(); track group.id) {
          <h2 class="group">{{ group.name }}</h2>
          @for (channel of group.channels; track channel.id) {
            @let inThreads = threadCounts().get(channel.id);
            <div class="row">
              <button
                type="button"
                class="channel"
                [class.active]="selection.channel()?.id === channel.id"
                [class.unread]="channel.unread > 0 || (inThreads?.unread ?? 0) > 0"
                [attr.aria-current]="selection.channel()?.id === channel.id"
                [attr.data-channel]="channel.id"
                (click)="selection.selectChannel(server, channel.id)"
              >
                @if (channel.voice) {
                  <svg class="hash" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                    <path [attr.d]="icons.speaker" />
                  </svg>
                } @else {
                  <span class="hash" aria-hidden="true">#</span>
                }
                <span class="name">{{ channel.name }}</span>
                @if (channel.voice) {
                  <span class="sr-only">(voice channel)</span>
                }
                @if (channel.mentions + (inThreads?.mentions ?? 0) > 0) {
                  <span class="badge" data-test="channel-mentions">{{
                    channel.mentions + (inThreads?.mentions ?? 0)
                  }}</span>
                } @else if ((inThreads?.unread ?? 0) > 0) {
                  <span
                    class="badge threads"
                    data-test="channel-thread-unread"
                    [attr.title]="(inThreads?.unread ?? 0) + ' new in followed threads'"
                    >{{ inThreads?.unread }}</span
                  >
                }
              </button>
              @if (channel.voice && voice()?.self()?.channelId !== channel.id) {
                <button
                  type="button"
                  class="join"
                  [disabled]="!channel.voice.rights.connect || voice()?.joining() !== null"
                  [attr.aria-label]="'Join voice in ' + channel.name"
                  [title]="channel.voice.rights.connect ? 'Join voice' : 'You may not join this call'"
                  (click)="joinVoice(server, channel.id)"
                  [attr.data-join-voice]="channel.id"
                >
                  Join
                </button>
              }
            </div>
            @if (channel.voice && voice()?.room(channel.id); as participants) {
              @if (participants.length > 0) {
                <ul
                  class="voice-members"
                  [attr.aria-label]="'In the call in ' + channel.name"
                  [attr.data-voice-members]="channel.id"
                >
                  @for (p of participants; track p.participantId) {
                    <li
                      class="voice-member"
                      [class.speaking]="p.speaking"
                      [attr.data-participant]="p.displayName"
                    >
                      <span class="avatar" aria-hidden="true">{{
                        p.displayName.slice(0, 1).toUpperCase()
                      }}</span>
                      <span class="name">{{ p.displayName }}</span>
                      @if (p.speaking) {
                        <span class="sr-only">(speaking)</span>
                      }
                      @if (p.muted) {
                        <svg
                          class="state"
                          viewBox="0 0 24 24"
                          width="14"
                          height="14"
                          role="img"
                          [attr.aria-label]="p.serverMuted ? 'Muted by a moderator' : 'Muted'"
                          data-test="participant-muted"
                        >
                          <title>{{ p.serverMuted ? 'Muted by a moderator' : 'Muted' }}</title>
                          <path [attr.d]="icons.micOff" />
                        </svg>
                      }
                      @if (p.deafened) {
                        <svg
                          class="state"
                          viewBox="0 0 24 24"
                          width="14"
                          height="14"
                          role="img"
                          aria-label="Deafened"
                          data-test="participant-deafened"
                        >
                          <title>Deafened</title>
                          <path [attr.d]="icons.headphonesOff" />
                        </svg>
                      }
                      @if (p.camera) {
                        <svg
                          class="state video"
                          viewBox="0 0 24 24"
                          width="14"
                          height="14"
                          role="img"
                          aria-label="Camera on"
                          data-test="participant-camera"
                        >
                          <title>Camera on</title>
                          <path [attr.d]="icons.camera" />
                        </svg>
                      }
                      @if (p.screen) {
                        <span class="live" title="Sharing their screen" data-test="participant-screen"
                          >LIVE</span
                        >
                      }
                    </li>
                  }
                </ul>
              }
            }
          }
        }
      </nav>
      @if (voice()?.notice(); as notice) {
        <p class="voice-notice" role="status" data-test="voice-notice">{{ notice }}</p>
      }
    } @else {
      <div class="empty">
        <p>Add a server with the <strong>+</strong> on the left.</p>
      </div>
    }
    <mq-voice-panel />
    @if (identity.identity(); as me) {
      <footer class="me">
        <div class="who">
          <strong>{{ selection.server()?.session?.self()?.displayName ?? me.label }}</strong>
          <button
            type="button"
            class="key"
            (click)="copyKey(me.publicKey.hex)"
            title="Copy your public key"
            data-test="copy-key"
          >
            {{ copied() ? 'Copied!' : me.publicKey.hex.slice(0, 16) + '…' }}
          </button>
        </div>
        <button
          type="button"
          class="icon"
          title="Log out"
          aria-label="Log out"
          (click)="logOut()"
          data-test="log-out"
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
            <path
              d="M10 17l5-5-5-5M15 12H3M14 3h5a2 2 0 012 2v14a2 2 0 01-2 2h-5"
              fill="none"
              stroke="currentColor"
              stroke-width="2"
              stroke-linecap="round"
              stroke-linejoin="round"
            />
          </svg>
        </button>
      </footer>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      background: var(--mq-surface);
      border-right: 1px solid var(--mq-border);
      min-height: 0;
    }
    .server-name {
      display: flex;
      align-items: center;
      justify-content: space-between;
      height: 48px;
      padding: 0 12px 0 16px;
      font-weight: 600;
      border-bottom: 1px solid var(--mq-border);
      white-space: nowrap;
      overflow: hidden;
    }
    .server-name span {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .channels {
      flex: 1;
      overflow-y: auto;
      padding: 8px;
    }
    .group {
      margin: 16px 8px 4px;
      font-size: 12px;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.02em;
      color: var(--mq-text-muted);
    }
    .channel {
      display: flex;
      align-items: center;
      gap: 6px;
      width: 100%;
      padding: 6px 8px;
      border: none;
      border-radius: var(--mq-radius);
      background: none;
      color: var(--mq-text-muted);
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    .channel:hover {
      background: var(--mq-surface-2);
      color: var(--mq-text);
    }
    .channel.active {
      background: var(--mq-surface-2);
      color: var(--mq-text);
    }
    .channel.unread {
      color: var(--mq-text);
      font-weight: 700;
    }
    .row {
      display: flex;
      align-items: center;
      gap: 4px;
    }
    .hash path,
    .state path {
      fill: none;
      stroke: currentColor;
      stroke-width: 2;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    .row .channel {
      flex: 1;
      min-width: 0;
    }
    .join {
      flex: none;
      padding: 2px 8px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      background: none;
      color: var(--mq-text);
      font: inherit;
      font-size: 12px;
      cursor: pointer;
    }
    .join:hover:not(:disabled) {
      background: var(--mq-surface-2);
    }
    .join:disabled {
      color: var(--mq-text-muted);
      cursor: not-allowed;
    }
    .voice-members {
      margin: 0 0 4px;
      padding: 0 0 0 28px;
      list-style: none;
    }
    .voice-member {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 2px 4px;
      color: var(--mq-text-muted);
      font-size: 13px;
    }
    .avatar {
      display: grid;
      flex: none;
      place-items: center;
      width: 20px;
      height: 20px;
      border-radius: 50%;
      background: var(--mq-surface-2);
      color: var(--mq-text);
      font-size: 11px;
      font-weight: 700;
    }
    /* The speaking ring: driven by the participant's speaking flag (media comes next). */
    .voice-member.speaking .avatar {
      box-shadow: 0 0 0 2px var(--mq-link);
    }
    .voice-member .state {
      flex: none;
      color: var(--mq-danger);
    }
    .voice-member .state.video {
      color: var(--mq-text-muted);
    }
    .voice-member .live {
      flex: none;
      padding: 0 4px;
      border-radius: 4px;
      background: var(--mq-danger-fill);
      color: #fff;
      font-size: 10px;
      font-weight: 700;
    }
    .voice-notice {
      margin: 0;
      padding: 4px 12px;
      color: var(--mq-text-muted);
      font-size: 12px;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
    .name {
      flex: 1;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .badge {
      min-width: 16px;
      padding: 0 5px;
      border-radius: 8px;
      background: var(--mq-danger-fill);
      color: #fff;
      font-size: 11px;
      font-weight: 700;
      line-height: 16px;
      text-align: center;
    }
    /* New messages in followed threads (no mention): quieter than a mention. */
    .badge.threads {
      background: var(--mq-surface);
      color: var(--mq-text);
      border: 1px solid var(--mq-border);
    }
    .me {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 8px 12px;
      background: var(--mq-background);
    }
    .who {
      display: grid;
      min-width: 0;
    }
    .key {
      padding: 0;
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font: 12px var(--mq-mono);
      text-align: left;
      cursor: pointer;
    }
    .icon {
      border: none;
      background: none;
      color: var(--mq-text-muted);
      font-size: 18px;
      cursor: pointer;
    }
    .server-name .icon {
      display: grid;
      place-items: center;
      width: 28px;
      height: 28px;
      padding: 0;
      border-radius: var(--mq-radius);
    }
    .icon:hover {
      color: var(--mq-text);
    }
    .empty {
      flex: 1;
      padding: 16px;
      color: var(--mq-text-muted);
    }
  `,
})
export class ChannelSidebar {
  readonly selection = inject(ChatSelection);
  readonly identity = inject(IdentityStore);
  private readonly servers = inject(ServersStore);
  private readonly router = inject(Router);
  readonly copied = signal(false);
  private readonly dialogs = injectDialogs();
  readonly settingsSections = settingsSections;
  readonly icons = VOICE_ICONS;
  /** The voice state of the server on screen. */
  readonly voice = computed(() => this.selection.server()?.get(VoiceState) ?? null);
  /** Per channel: what is new in the threads the member follows there. */
  readonly threadCounts = computed(
    () => this.selection.server()?.get(ThreadsState).followedCounts() ?? new Map<string, never>(),
  );

  constructor() {
    // Another server on screen: its dialogs (settings, invite) are about the one that left.
    effect(() => {
      this.selection.server();
      this.dialogs.closeAll();
    });
  }

  readonly grouped = computed(() => {
    const server = this.selection.server();
    if (!server) return [];
    const state = server.get(ChannelsState);
    const channels = state.channels();
    return state
      .groups()
      .map((group) => ({ ...group, channels: channels.filter((c) => c.groupId === group.id) }))
      .filter((group) => group.channels.length > 0);
  });

  /** The server's settings, for members whose permissions allow some of it. */
  openSettings(server: ServerConnection): void {
    this.dialogs.open(ServerSettings, {
      label: `Server settings: ${server.session.info()?.name ?? server.url}`,
      inputs: { server },
      dismiss: (settings) => void settings.dismiss(),
    });
  }

  /** The invite dialog, for members who hold `invite`. */
  invite(server: ServerConnection): void {
    this.dialogs.open(InviteDialog, { label: 'Invite people', inputs: { server } });
  }

  /** Joins the call of a voice channel and opens its text chat. */
  joinVoice(server: ServerConnection, channelId: string): void {
    this.selection.selectChannel(server, channelId);
    // A refusal shows as the voice notice.
    server
      .get(VoiceState)
      .join(channelId)
      .catch(() => undefined);
  }

  async copyKey(hex: string): Promise<void> {
    await navigator.clipboard.writeText(hex);
    this.copied.set(true);
    setTimeout(() => this.copied.set(false), 1_500);
  }

  async remove(url: string): Promise<void> {
    const sure = await this.dialogs.confirm({
      title: 'Remove server',
      message: `Remove ${url} from your servers? You can add it again later.`,
      confirmLabel: 'Remove',
      danger: true,
    });
    if (sure) this.servers.remove(url);
  }

  logOut(): void {
    this.servers.stop();
    this.identity.logOut();
    void this.router.navigateByUrl('/unlock');
  }
}
