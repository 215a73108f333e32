import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  type ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
  viewChildren,
} from '@angular/core';

import type { ServerConnection } from '../connection/server-connection';
import { AuditLog } from './audit-log.component';
import { AuthorizeKey } from './authorize-key.component';
import { BansList } from './bans-list.component';
import { ConfigEditor } from './config-editor.component';
import { InvitesSection } from './invites-section.component';
import { SECTION_LABELS, type SettingsSection, settingsSections } from './settings-sections';

/**
 * A server's settings, for the members whose permissions allow some of it: one tab per section
 * (invites, members, bans, audit log, config.toml), each shown only with its permission. Opened as a
 * modal dialog from the gear beside the server's name. A section is loaded when its tab is first
 * opened and kept while the dialog is open, so unsaved edits survive a look at another tab; closing
 * asks first when config.toml has unsaved edits.
 */
@Component({
  selector: 'mq-server-settings',
  imports: [InvitesSection, AuthorizeKey, BansList, AuditLog, ConfigEditor],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="settings" data-test="server-settings">
      <header>
        <h2>
          <span class="muted">Server settings</span>
          <span class="name">{{ server().session.info()?.name ?? server().url }}</span>
        </h2>
        <button type="button" class="close" (click)="dismiss()" aria-label="Close" data-test="close-settings">
          ×
        </button>
      </header>
      <div class="body">
        <div class="tabs" role="tablist" aria-orientation="vertical" aria-label="Settings sections">
          @for (section of sections(); track section) {
            <button
              #tab
              type="button"
              role="tab"
              [id]="'mq-settings-tab-' + section"
              [attr.aria-selected]="current() === section"
              [attr.aria-controls]="'mq-settings-panel-' + section"
              [attr.data-section]="section"
              [tabindex]="current() === section ? 0 : -1"
              (click)="show(section)"
              (keydown)="onTabKey($event)"
            >
              {{ labels[section] }}
            </button>
          }
        </div>
        @for (section of sections(); track section) {
          @if (opened().has(section)) {
            <div
              class="panel"
              role="tabpanel"
              tabindex="0"
              [id]="'mq-settings-panel-' + section"
              [attr.aria-labelledby]="'mq-settings-tab-' + section"
              [attr.data-section]="section"
              [hidden]="current() !== section"
            >
              <h3>{{ labels[section] }}</h3>
              @switch (section) {
                @case ('invites') {
                  <mq-invites-section [server]="server()" />
                }
                @case ('members') {
                  <mq-authorize-key [server]="server()" />
                }
                @case ('bans') {
                  <mq-bans-list [server]="server()" />
                }
                @case ('audit') {
                  <mq-audit-log [server]="server()" />
                }
                @case ('config') {
                  <mq-config-editor [server]="server()" />
                }
              }
            </div>
          }
        } @empty {
          <p class="muted none">There is nothing here you can change.</p>
        }
      </div>
    </section>
  `,
  styleUrl: '../shared/dialog.css',
  styles: `
    .settings {
      box-sizing: border-box;
      display: flex;
      flex-direction: column;
      width: min(920px, 94vw);
      height: min(760px, 84vh);
      border-radius: 8px;
      background: var(--mq-surface);
      border: 1px solid var(--mq-border);
      overflow: hidden;
    }
    header {
      padding: 12px 16px;
      border-bottom: 1px solid var(--mq-border);
    }
    h2 {
      display: flex;
      align-items: baseline;
      gap: 8px;
      min-width: 0;
    }
    h2 .muted {
      font-size: 13px;
      font-weight: 500;
      text-transform: uppercase;
      letter-spacing: 0.02em;
      color: var(--mq-text-muted);
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .body {
      flex: 1;
      display: grid;
      grid-template-columns: 180px minmax(0, 1fr);
      min-height: 0;
    }
    .tabs {
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 12px 8px;
      background: var(--mq-background);
      border-right: 1px solid var(--mq-border);
    }
    [role='tab'] {
      padding: 8px 10px;
      border: none;
      border-radius: var(--mq-radius);
      background: none;
      color: var(--mq-text-muted);
      font: inherit;
      font-size: 14px;
      text-align: left;
      cursor: pointer;
    }
    [role='tab']:hover {
      background: var(--mq-surface-2);
      color: var(--mq-text);
    }
    [role='tab'][aria-selected='true'] {
      background: var(--mq-surface-2);
      color: var(--mq-text);
      font-weight: 600;
      box-shadow: inset 3px 0 0 var(--mq-accent);
    }
    .panel {
      overflow-y: auto;
      padding: 16px 20px 20px;
      min-width: 0;
    }
    .panel:focus-visible {
      outline: 2px solid var(--mq-accent);
      outline-offset: -2px;
    }
    h3 {
      margin: 0 0 12px;
      font-size: 16px;
    }
    .none {
      padding: 16px;
    }
    @media (max-width: 640px) {
      .body {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto minmax(0, 1fr);
      }
      .tabs {
        flex-direction: row;
        overflow-x: auto;
        border-right: none;
        border-bottom: 1px solid var(--mq-border);
      }
    }
  `,
})
export class ServerSettings {
  readonly server = input.required<ServerConnection>();
  /** The section to open first (the first one allowed when absent or not allowed). */
  readonly initial = input<SettingsSection | null>(null);
  readonly closed = output();
  readonly labels = SECTION_LABELS;
  /** The sections this member may open; follows their permissions while the dialog is open. */
  readonly sections = computed(() => settingsSections(this.server().session));
  private readonly chosen = signal<SettingsSection | null>(null);
  readonly current = computed<SettingsSection | null>(() => {
    const sections = this.sections();
    const chosen = this.chosen() ?? this.initial();
    return chosen !== null && sections.includes(chosen) ? chosen : (sections[0] ?? null);
  });
  /** The sections opened so far: loaded once, kept while the dialog is open. */
  readonly opened = signal<ReadonlySet<SettingsSection>>(new Set());
  private readonly tabs = viewChildren<ElementRef<HTMLButtonElement>>('tab');
  private readonly editor = viewChild(ConfigEditor);
  private readonly injector = inject(Injector);

  constructor() {
    effect(() => {
      const current = this.current();
      if (current === null) return;
      untracked(() => {
        if (!this.opened().has(current)) this.opened.update((opened) => new Set([...opened, current]));
      });
    });
  }

  show(section: SettingsSection): void {
    this.chosen.set(section);
  }

  /** Arrow keys, Home and End move between the tabs (and open them), as a tab list does. */
  onTabKey(event: KeyboardEvent): void {
    const sections = this.sections();
    const current = this.current();
    const at = current === null ? 0 : sections.indexOf(current);
    const last = sections.length - 1;
    const next =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? at === last
          ? 0
          : at + 1
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? at === 0
            ? last
            : at - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const section = next === null ? undefined : sections[next];
    if (section === undefined) return;
    event.preventDefault();
    this.show(section);
    afterNextRender(() => this.tabs()[next ?? 0]?.nativeElement.focus(), { injector: this.injector });
  }

  /** Close, Escape, a click outside: asks first when config.toml has unsaved edits. */
  async dismiss(): Promise<void> {
    const editor = this.editor();
    if (editor && !(await editor.discardable())) return;
    this.closed.emit();
  }
}
