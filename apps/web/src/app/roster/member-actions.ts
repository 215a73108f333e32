import { MEMBER_ACTION_PERMISSIONS, type MemberAction, memberActionRefusal } from '@mpqcht/permissions';

import type { ServerSession } from '../connection/server-session';
import type { MembersState } from './members.state';

/** What the viewer may do to a member, from their server permissions; all false hides the actions. */
export interface MemberActions {
  readonly setRoles: boolean;
  readonly kick: boolean;
  readonly ban: boolean;
}

export function memberActions(session: ServerSession, members: MembersState, target: string): MemberActions {
  // The permission, then who the two are: the rule the server enforces (@mpqcht/permissions).
  const viewer = { publicKey: session.publicKey, isRoot: session.self()?.isRoot ?? false };
  const subject = { publicKey: target, isRoot: members.members().get(target)?.isRoot ?? false };
  const allowed = (action: MemberAction): boolean =>
    session.can(MEMBER_ACTION_PERMISSIONS[action]) && memberActionRefusal(action, viewer, subject) === null;
  return { setRoles: allowed('setRoles'), kick: allowed('kick'), ban: allowed('ban') };
}
