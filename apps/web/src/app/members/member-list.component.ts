import { CdkConnectedOverlay, type ConnectedPosition } from '@angular/cdk/overlay';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';

import { MembersState } from '../roster/members.state';
import { ChatSelection } from '../servers/chat-selection';
import { ThemePalette } from '../shared/theme-palette';
import { MemberPanel } from './member-panel.component';

/** Beside the list, to its left (the list is the page's right column), else above or below the row. */
const POPOVER_POSITIONS: ConnectedPosition[] = [
  { originX: 'start', originY: 'top', overlayX: 'end', overlayY: 'top', offsetX: -8 },
  { originX: 'start', originY: 'bottom', overlayX: 'end', overlayY: 'bottom', offsetX: -8 },
  { originX: 'end', originY: 'bottom', overlayX: 'end', overlayY: 'top', offsetY: 4 },
];

/**
 * Who is on the active server, online first; a click opens the member's panel as a popover beside
 * their row (a CDK connected overlay): Escape or a click elsewhere closes it, and focus returns to
 * the row. Server administration is in the settings view (the gear beside the server's name).
 */
@Component({
  selector: 'mq-member-list',
  imports: [MemberPanel, CdkConnectedOverlay],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <aside aria-label="Members">
      @if (selection.server(); as server) {
        <ng-template
          cdkConnectedOverlay
          [cdkConnectedOverlayOrigin]="anchor() ?? fallbackAnchor"
          [cdkConnectedOverlayOpen]="selected() !== null && anchor() !== null"
          [cdkConnectedOverlayPositions]="positions"
          [cdkConnectedOverlayPush]="true"
          [cdkConnectedOverlayViewportMargin]="8"
          (overlayOutsideClick)="close()"
          (detach)="close()"
        >
          @if (selected(); as key) {
            <mq-member-panel class="popover" [server]="server" [publicKey]="key" (closed)="close()" />
          }
        </ng-template>
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
              [attr.aria-expanded]="selected() === member.publicKey"
              aria-haspopup="dialog"
              (click)="toggle(member.publicKey, $any($event.currentTarget))"
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
    mq-member-panel.popover {
      display: block;
      width: 300px;
      max-height: calc(100vh - 16px);
      overflow-y: auto;
      border-radius: 8px;
      box-shadow: 0 8px 28px rgb(0 0 0 / 40%);
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
  readonly positions = POPOVER_POSITIONS;
  /** The member whose panel is open. */
  readonly selected = signal<string | null>(null);
  /** Their row, which the popover is placed beside. */
  readonly anchor = signal<HTMLElement | null>(null);
  /** Never shown: the overlay needs an origin before any row is chosen. */
  readonly fallbackAnchor = document.body;

  constructor() {
    // Another server on screen: its members are others.
    effect(() => {
      this.selection.server();
      this.close();
    });
  }

  toggle(publicKey: string, row: HTMLElement): void {
    if (this.selected() === publicKey) {
      this.close();
      return;
    }
    this.anchor.set(row);
    this.selected.set(publicKey);
  }

  close(): void {
    this.selected.set(null);
    this.anchor.set(null);
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
    const status = server?.session.status().kind;
    // Refused (banned, revoked, not a member): the members held from before are stale.
    if (status === 'refused') return [];
    // While disconnected nobody's presence is known: show everyone, none as online.
    if (status !== 'online') {
      return [{ title: 'Members', members: members.map((m) => ({ ...m, online: false })) }];
    }
    return [
      { title: 'Online', members: members.filter((m) => m.online) },
      { title: 'Offline', members: members.filter((m) => !m.online) },
    ];
  });
}
