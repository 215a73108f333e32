import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { ChatSelection } from './chat-selection';

/** Who is on the active server, online first. */
@Component({
  selector: 'mq-member-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <aside aria-label="Members">
      @for (section of sections(); track section.title) {
        @if (section.members.length > 0) {
          <h2>{{ section.title }} — {{ section.members.length }}</h2>
          @for (member of section.members; track member.publicKey) {
            <div
              class="member"
              [class.offline]="!member.online"
              [attr.title]="member.publicKey"
              [attr.data-member]="member.displayName"
            >
              <span class="dot" [class.on]="member.online" aria-hidden="true"></span>
              <span class="name">{{ member.displayName }}</span>
              @if (member.isRoot) {
                <span class="tag">admin</span>
              }
            </div>
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
      padding: 5px 8px;
      border-radius: var(--mq-radius);
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
  private readonly selection = inject(ChatSelection);

  readonly sections = computed(() => {
    const server = this.selection.server();
    const members = [...(server?.members().values() ?? [])].sort((a, b) =>
      a.displayName.localeCompare(b.displayName),
    );
    // While disconnected nobody's presence is known: show everyone, none as online.
    if (server?.status().kind !== 'online') {
      return [{ title: 'Members', members: members.map((m) => ({ ...m, online: false })) }];
    }
    return [
      { title: 'Online', members: members.filter((m) => m.online) },
      { title: 'Offline', members: members.filter((m) => !m.online) },
    ];
  });
}
