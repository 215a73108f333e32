import { SetMetadata } from '@nestjs/common';

import type { ChannelFlag, ServerPermission } from '@mpqcht/permissions';

export const ALLOW_BEFORE_JOIN = 'mpqcht:allow-before-join';
export const REQUIRED_PERMISSION = 'mpqcht:required-permission';
export const REQUIRED_CHANNEL_FLAG = 'mpqcht:required-channel-flag';

/** The handler also serves keys that are authorized but have not picked a display name yet. */
export const AllowBeforeJoin = () => SetMetadata(ALLOW_BEFORE_JOIN, true);

/** The handler needs a server-wide permission (roots have every permission). */
export const RequirePermission = (permission: ServerPermission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);

/**
 * The payload's `channelId` must be a channel the member can see (`view`; otherwise `not_found`,
 * as for a channel that does not exist), and the member must hold `flag` there (`forbidden`).
 */
export const RequireChannel = (flag: ChannelFlag) => SetMetadata(REQUIRED_CHANNEL_FLAG, flag);
