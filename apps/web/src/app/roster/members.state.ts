import { computed, inject, Injectable, signal, untracked } from '@angular/core';

import type { MemberDto, RoleInfoDto } from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';

/**
 * Members per answer (the server's most, `MEMBERS_PAGE_CEILING`): a community of thousands loads
 * in several answers of this size rather than one of megabytes. Names resolve everywhere (message
 * authors, mentions), so the client still loads every page.
 */
export const MEMBERS_PAGE = 500;

/**
 * The members of one server with their presence, and the server's roles (names, colours, order).
 * The list is loaded at each login; presence and joins are pushed only while something on screen
 * watches it (`watch()`: the chat screen, for the server on it), so a server in the background costs
 * its members nothing when someone logs in (docs/web-client.md, Members).
 */
@Injectable()
export class MembersState {
  private readonly session = inject(ServerSession);
  readonly members = signal<ReadonlyMap<string, MemberDto>>(new Map());
  /** The names of members who left the list (revoked, banned), for what still names them (the audit log). */
  private readonly formerNames = new Map<string, string>();
  /** The server's roles by id from its info. */
  readonly roles = computed(
    () => new Map<string, RoleInfoDto>((this.session.info()?.roles ?? []).map((r) => [r.id, r])),
  );

  /** How many views watch the list now; subscribed on the server while there is one. */
  private watchers = 0;
  /** Whether this connection's socket is subscribed, as the last answered request left it. */
  private subscribed = false;
  /** A subscribe or unsubscribe on its way (reconciled again when it is answered). */
  private syncing = false;
  /** Loads in flight; pushes that arrive meanwhile are applied after the list they may be newer than. */
  private loading = 0;
  private held: (() => void)[] = [];

  constructor() {
    this.session.onLogin(() => {
      // A new socket: the server has no subscription for it yet.
      this.subscribed = false;
      return this.load();
    });
    // Someone may have started or stopped watching while the login was loading.
    this.session.onResume(() => {
      this.sync();
      return Promise.resolve();
    });
    this.session.onSession((session) => {
      if (session.member) this.setMember(session.member);
    });
    this.session.on('presence.updated', ({ publicKey, online }) =>
      this.afterLoad(() => {
        const member = this.members().get(publicKey);
        if (member) this.setMember({ ...member, online });
      }),
    );
    this.session.on('member.joined', (member) => this.afterLoad(() => this.setMember(member)));
    this.session.on('member.removed', ({ publicKey }) =>
      this.afterLoad(() => {
        const name = this.members().get(publicKey)?.displayName;
        if (name !== undefined) this.formerNames.set(publicKey, name);
        const next = new Map(this.members());
        next.delete(publicKey);
        this.members.set(next);
      }),
    );
  }

  /**
   * Keeps the list live while the caller shows it: the first watcher subscribes (with a fresh list),
   * the last one to let go unsubscribes. Returns the release. Whatever happens meanwhile (a login,
   * a reconnect), the subscription is brought back in line with the watchers once online.
   */
  watch(): () => void {
    this.watchers += 1;
    this.sync();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watchers -= 1;
      this.sync();
    };
  }

  /** Subscribes or unsubscribes when that differs from what the watchers want; one request at a time. */
  private sync(): void {
    const online = untracked(() => this.session.status().kind === 'online');
    if (!online || this.loading > 0 || this.syncing) return;
    const wanted = this.watchers > 0;
    if (wanted === this.subscribed) return;
    this.syncing = true;
    const request = wanted
      ? this.load()
      : this.session.request('members.unsubscribe', {}).then(() => {
          this.subscribed = false;
        });
    request.then(
      () => {
        this.syncing = false;
        this.sync();
      },
      // Refused or lost: left as it is until the next watch, release or login.
      () => {
        this.syncing = false;
      },
    );
  }

  /**
   * The whole list, page by page, subscribed to its changes when someone watches it (the first page
   * subscribes; pushes cover every page, and those that arrive meanwhile wait for the last page).
   */
  private async load(): Promise<void> {
    this.loading += 1;
    const subscribe = this.watchers > 0;
    try {
      let page = await this.session.request(subscribe ? 'members.subscribe' : 'members.list', {
        limit: MEMBERS_PAGE,
      });
      this.subscribed = subscribe || this.subscribed;
      const members = [...page];
      for (let last = page.at(-1); page.length === MEMBERS_PAGE && last; last = page.at(-1)) {
        page = await this.session.request('members.list', {
          limit: MEMBERS_PAGE,
          after: { joinedAt: last.joinedAt, publicKey: last.publicKey },
        });
        members.push(...page);
      }
      this.members.set(new Map(members.map((m) => [m.publicKey, m])));
    } finally {
      this.loading -= 1;
      if (this.loading === 0) {
        const held = this.held;
        this.held = [];
        held.forEach((apply) => apply());
      }
    }
  }

  private afterLoad(apply: () => void): void {
    if (this.loading > 0) this.held.push(apply);
    else apply();
  }

  /** A member's name; a former member's (seen in this session) as it was; else the key, shortened. */
  memberName(publicKey: string): string {
    return (
      this.members().get(publicKey)?.displayName ??
      this.formerNames.get(publicKey) ??
      `${publicKey.slice(0, 10)}…`
    );
  }

  /** A member's known roles, highest position first (unknown role ids are left out). */
  memberRoles(publicKey: string): RoleInfoDto[] {
    const roles = this.roles();
    return (this.members().get(publicKey)?.roles ?? [])
      .map((id) => roles.get(id))
      .filter((r): r is RoleInfoDto => r !== undefined)
      .sort((a, b) => b.position - a.position);
  }

  /** The colour of the member's highest-positioned role that has one, or null. */
  memberColor(publicKey: string): string | null {
    return this.memberRoles(publicKey).find((r) => r.color !== null)?.color ?? null;
  }

  setMember(member: MemberDto): void {
    const next = new Map(this.members());
    next.set(member.publicKey, member);
    this.members.set(next);
    if (member.publicKey === this.session.publicKey) this.session.self.set(member);
  }
}
