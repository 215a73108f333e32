import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';

import { AuditLog } from '../admin/audit-log.component';
import { BansList } from '../admin/bans-list.component';
import { ConfigEditor } from '../admin/config-editor.component';
import type { ServerConnection } from '../connection/server-connection';
import { MembersState } from '../roster/members.state';
import { ChatSelection } from '../servers/chat-selection';
import { injectDialogs } from '../shared/dialogs';
import { ThemePalette } from '../shared/theme-palette';
import { MemberPanel } from './member-panel.component';

/** Who is on the active server, online first; a click opens the member's panel. */
@Component({
  selector: 'mq-member-list',
  imports: [MemberPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <aside aria-label="Members">
      @if (selection.server(); as server) {
        @if (server.session.can('view_audit_log')) {
          <button type="button" class="audit" (click)="openAudit(server)" data-test="open-audit">
            Audit log
          </button>
        }
        @if (server.session.can('manage_config')) {
          <button type="button" class="audit" (click)="openConfig(server)" data-test="open-config">
            Edit config
          </button>
        }
        @if (server.session.can('ban')) {
          <button type="button" class="audit" (click)="openBans(server)" data-test="open-bans">Bans</button>
        }
        @if (selected(); as key) {
          <mq-member-panel [server]="server" [publicKey]="key" (closed)="selected.set(null)" />
        }
      }
      @for (section of sections(); track section.title) {
        @if (section.members.length > 0) {
          <h2>{{ section.title }} — {{ section.members.length }}</h2>
          @for (member of section.members; track member.publicKey) {
            <button
              type="button"
              class="member"
              [class.offline]="!member.online"
              [class.selected]="selected() === member.publicKey"
              [attr.title]="member.publicKey"
              [attr.data-member]="member.displayName"
              (click)="toggle(member.publicKey)"
            >
              <span class="dot" [class.on]="member.online" aria-hidden="true"></span>
              <span class="who">
                <span class="name" [style.color]="member.color">{{ member.displayName }}</span>
                @if (member.roleNames) {
                  <span class="roles" data-test="member-role-names">{{ member.roleNames }}</span>
                }
              </span>
              @if (member.isRoot) {
                <span class="tag">admin</span>
              }
            </button>
          }
        }
      }
    </aside>
  `,
  styles: `
    :host {
      display: block;
      overflow-y: auto;
      background: var(--mq-surface);
      border-left: 1px solid var(--mq-border);
      padding: 8px;
    }
    h2 {
      margin: 16px 8px 4px;
      font-size: 12px;
      text-transform: uppercase;
      color: var(--mq-text-muted);
    }
    .member {
      display: flex;
      align-items: center;
      gap: 8px;
      width: 100%;
      padding: 5px 8px;
      border: none;
      border-radius: var(--mq-radius);
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    .member:hover,
    .member.selected {
      background: var(--mq-surface-2);
    }
    .who {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .roles {
      font-size: 11px;
      color: var(--mq-text-muted);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .audit {
      width: 100%;
      margin: 4px 0 8px;
      padding: 4px 8px;
      border: 1px solid var(--mq-border);
      border-radius: var(--mq-radius);
      background: none;
      color: var(--mq-text);
      font: inherit;
      font-size: 13px;
      cursor: pointer;
    }
    mq-member-panel {
      display: block;
      margin-bottom: 8px;
    }
    .member.offline {
      opacity: 0.5;
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 4px;
      background: var(--mq-text-muted);
      flex: none;
    }
    .dot.on {
      background: #23a55a;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .tag {
      margin-left: auto;
      font-size: 10px;
      padding: 0 4px;
      border-radius: 3px;
      background: var(--mq-accent);
      color: #fff;
    }
  `,
})
export class MemberList {
  readonly selection = inject(ChatSelection);
  private readonly palette = inject(ThemePalette);
  /** The member whose panel is open. */
  readonly selected = signal<string | null>(null);
  private readonly dialogs = injectDialogs();

  constructor() {
    // Another server on screen: its members are others.
    effect(() => {
      this.selection.server();
      this.selected.set(null);
      this.dialogs.closeAll();
    });
  }

  openAudit(server: ServerConnection): void {
    this.dialogs.open(AuditLog, { label: 'Audit log', inputs: { server } });
  }

  openConfig(server: ServerConnection): void {
    this.dialogs.open(ConfigEditor, {
      label: 'Edit config.toml',
      inputs: { server },
      dismiss: (editor) => editor.cancel(),
    });
  }

  openBans(server: ServerConnection): void {
    this.dialogs.open(BansList, { label: 'Bans', inputs: { server } });
  }

  toggle(publicKey: string): void {
    this.selected.update((key) => (key === publicKey ? null : publicKey));
  }

  readonly sections = computed(() => {
    const server = this.selection.server();
    const state = server?.get(MembersState);
    const members = [...(state?.members().values() ?? [])]
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((m) => {
        const roles = state?.memberRoles(m.publicKey) ?? [];
        return {
          ...m,
          color: this.palette.nameColour(roles.find((r) => r.color !== null)?.color ?? null),
          roleNames: roles.map((r) => r.name).join(', '),
        };
      });
    // While disconnected nobody's presence is known: show everyone, none as online.
    if (server?.session.status().kind !== 'online') {
      return [{ title: 'Members', members: members.map((m) => ({ ...m, online: false })) }];
    }
    return [
      { title: 'Online', members: members.filter((m) => m.online) },
      { title: 'Offline', members: members.filter((m) => !m.online) },
    ];
  });
}
