import { computed, inject, Injectable, signal } from '@angular/core';

import type { MemberDto, RoleInfoDto } from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';

/** The members of one server with their presence, and the server's roles (names, colours, order). */
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

  constructor() {
    this.session.onLogin(async () => {
      const members = await this.session.request('members.list', {});
      this.members.set(new Map(members.map((m) => [m.publicKey, m])));
    });
    this.session.onSession((session) => {
      if (session.member) this.setMember(session.member);
    });
    this.session.on('presence.updated', ({ publicKey, online }) => {
      const member = this.members().get(publicKey);
      if (member) this.setMember({ ...member, online });
    });
    this.session.on('member.joined', (member) => this.setMember(member));
    this.session.on('member.removed', ({ publicKey }) => {
      const name = this.members().get(publicKey)?.displayName;
      if (name !== undefined) this.formerNames.set(publicKey, name);
      const next = new Map(this.members());
      next.delete(publicKey);
      this.members.set(next);
    });
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
