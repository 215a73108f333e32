import {
  type ChannelFlag,
  type ChannelLimitSettings,
  DEFAULT_CHANNEL_FLAGS,
  type EffectiveLimits,
  type PermissionModel,
  type PermissionOverride,
  type PermissionSubject,
  type RoleDefinition,
} from '../lib/model';

/** Builders for small models in the specs; not part of the library's API. */

export const DEFAULT_LIMITS: EffectiveLimits = {
  maxMessageLength: 4000,
  slowmodeMs: 0,
  burst: 30,
  ratePerSecond: 10,
};

export function model(parts: Partial<PermissionModel> = {}): PermissionModel {
  return {
    defaults: { permissions: DEFAULT_CHANNEL_FLAGS, limits: DEFAULT_LIMITS },
    roles: [],
    groups: [],
    channels: [],
    ...parts,
  };
}

export function role(id: string, extra: Partial<Omit<RoleDefinition, 'id'>> = {}): RoleDefinition {
  return { id, name: id, position: 0, permissions: [], ...extra };
}

export function override(
  roleId: string,
  allow: readonly ChannelFlag[] = [],
  deny: readonly ChannelFlag[] = [],
  limits?: ChannelLimitSettings,
): PermissionOverride {
  return limits ? { role: roleId, allow, deny, limits } : { role: roleId, allow, deny };
}

export function member(...roles: string[]): PermissionSubject {
  return { isRoot: false, roles };
}

export const ROOT: PermissionSubject = { isRoot: true, roles: [] };

export const NOTHING = { view: false, write: false, moderate: false, manage: false } as const;
