import { inject, Injectable } from '@angular/core';

import type { AuditPageDto } from '@mpqcht/protocol';

import { ServerSession } from '../connection/server-session';
import { MembersState } from './members.state';

/** What a moderator does to members of one server: roles, kick, ban, and the audit log. */
@Injectable()
export class MemberModeration {
  private readonly session = inject(ServerSession);
  private readonly members = inject(MembersState);

  /** Replaces a member's roles (`members.setRoles`) and shows the result at once. */
  async setRoles(publicKey: string, roles: readonly string[]): Promise<void> {
    const result = await this.session.request('members.setRoles', { publicKey, roles: [...roles] });
    const member = this.members.members().get(publicKey);
    if (member) this.members.setMember({ ...member, roles: result.roles });
  }

  async kick(publicKey: string, reason?: string): Promise<void> {
    await this.session.request('members.kick', reason ? { publicKey, reason } : { publicKey });
  }

  async ban(publicKey: string, reason: string): Promise<void> {
    await this.session.request('members.ban', { publicKey, reason });
  }

  /** One page of the audit log, newest first; `before` is the last entry id already shown. */
  auditPage(before?: string): Promise<AuditPageDto> {
    return this.session.request('audit.list', before ? { before } : {});
  }
}
