import { SetMetadata } from '@nestjs/common';
import type { ServerPermission } from '../config/community-config';

export const ALLOW_BEFORE_JOIN = 'mpqcht:allow-before-join';
export const REQUIRED_PERMISSION = 'mpqcht:required-permission';

/** The handler also serves keys that are authorized but have not picked a display name yet. */
export const AllowBeforeJoin = () => SetMetadata(ALLOW_BEFORE_JOIN, true);

/** The handler needs a server-wide permission (roots have every permission). */
export const RequirePermission = (permission: ServerPermission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);
