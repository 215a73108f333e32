import type { ServerSession } from '../connection/server-session';
import type { MembersState } from './members.state';

/** What the viewer may do to a member, from their server permissions; all false hides the actions. */
export interface MemberActions {
  readonly setRoles: boolean;
  readonly kick: boolean;
  readonly ban: boolean;
}

export function memberActions(session: ServerSession, members: MembersState, target: string): MemberActions {
  const self = target === session.publicKey;
  // Roots cannot be kicked or banned, and only a root may set a root's roles (docs/protocol.md).
  const targetIsRoot = members.members().get(target)?.isRoot ?? false;
  const viewerIsRoot = session.self()?.isRoot ?? false;
  return {
    setRoles: session.can('manage_roles') && (!targetIsRoot || viewerIsRoot),
    kick: !self && !targetIsRoot && session.can('kick'),
    ban: !self && !targetIsRoot && session.can('ban'),
  };
}
