import {
  CHANNEL_FLAGS,
  CHANNEL_LIMITS,
  type ChannelFlag,
  type ChannelFlags,
  type ChannelPermissions,
  type ConnectionLimits,
  type EffectiveLimits,
  type EffectivePermissions,
  type GroupPermissions,
  type Limit,
  type LimitSettings,
  type PermissionModel,
  type PermissionOverride,
  type PermissionSettings,
  type PermissionSubject,
  type RoleDefinition,
  SERVER_PERMISSIONS,
  type ServerPermission,
} from './model';

/*
 * The resolution rules are specified in docs/permissions.md ("Resolution, step by step"); the step
 * numbers in the comments below refer to that list.
 */

type MutableFlags = Record<ChannelFlag, boolean>;
type MutableLimits = Record<Limit, number>;

/** Of two values of a limit, the one that lets the member do more. */
const MORE_GENEROUS: Readonly<Record<Limit, (a: number, b: number) => number>> = {
  max_message_length: Math.max,
  slowmode_ms: Math.min,
  burst: Math.max,
  rate_per_second: Math.max,
};

const ALL_FLAGS: ChannelFlags = Object.freeze(
  Object.fromEntries(CHANNEL_FLAGS.map((flag) => [flag, true])) as Record<ChannelFlag, boolean>,
);

interface ModelIndex {
  readonly roles: ReadonlyMap<string, RoleDefinition>;
  readonly groups: ReadonlyMap<string, GroupPermissions>;
  readonly channels: ReadonlyMap<string, ChannelPermissions>;
  readonly rootLimits: EffectiveLimits;
}

/** One index per model object: the model is immutable data, so it is built once and reused. */
const indexes = new WeakMap<PermissionModel, ModelIndex>();

function indexOf(model: PermissionModel): ModelIndex {
  let index = indexes.get(model);
  if (!index) {
    index = {
      roles: new Map(model.roles.map((role) => [role.id, role])),
      groups: new Map(model.groups.map((group) => [group.id, group])),
      channels: new Map(model.channels.map((channel) => [channel.id, channel])),
      rootLimits: computeMostGenerousLimits(model),
    };
    indexes.set(model, index);
  }
  return index;
}

function toSettings(limits: EffectiveLimits): MutableLimits {
  return {
    max_message_length: limits.maxMessageLength,
    slowmode_ms: limits.slowmodeMs,
    burst: limits.burst,
    rate_per_second: limits.ratePerSecond,
  };
}

function toEffective(limits: MutableLimits): EffectiveLimits {
  return {
    maxMessageLength: limits.max_message_length,
    slowmodeMs: limits.slowmode_ms,
    burst: limits.burst,
    ratePerSecond: limits.rate_per_second,
  };
}

/**
 * For each of `keys` that at least one of `candidates` sets, replaces the current value with the
 * most generous of the values they set; candidates that do not set it take no part.
 */
function applyMostGenerous(
  limits: MutableLimits,
  candidates: readonly (LimitSettings | undefined)[],
  keys: readonly Limit[],
): void {
  for (const key of keys) {
    let best: number | undefined;
    for (const candidate of candidates) {
      const value = candidate?.[key];
      if (value !== undefined) best = best === undefined ? value : MORE_GENEROUS[key](best, value);
    }
    if (best !== undefined) limits[key] = best;
  }
}

/** Step 3: a level's `default_permissions` replace what they mention, flag by flag, limit by limit. */
function applyDefaults(
  flags: MutableFlags,
  limits: MutableLimits,
  settings: PermissionSettings | undefined,
): void {
  if (!settings) return;
  for (const flag of CHANNEL_FLAGS) {
    const value = settings[flag];
    if (value !== undefined) flags[flag] = value;
  }
  for (const key of CHANNEL_LIMITS) {
    const value = settings[key];
    if (value !== undefined) limits[key] = value;
  }
}

/** Steps 5 and 6: one level's overrides for the member's roles; deny beats allow at the level. */
function applyOverrides(
  flags: MutableFlags,
  limits: MutableLimits,
  overrides: readonly PermissionOverride[] | undefined,
  held: ReadonlySet<string>,
): void {
  const applicable = (overrides ?? []).filter((override) => held.has(override.role));
  if (applicable.length === 0) return;
  const denied = new Set<ChannelFlag>(applicable.flatMap((override) => override.deny));
  const allowed = new Set<ChannelFlag>(applicable.flatMap((override) => override.allow));
  for (const flag of CHANNEL_FLAGS) {
    if (denied.has(flag)) flags[flag] = false;
    else if (allowed.has(flag)) flags[flag] = true;
  }
  applyMostGenerous(
    limits,
    applicable.map((override) => override.limits),
    CHANNEL_LIMITS,
  );
}

/** Step 2: the member's roles that the model knows, each once, in the member's order. */
function heldRoles(index: ModelIndex, member: PermissionSubject): RoleDefinition[] {
  const roles: RoleDefinition[] = [];
  for (const id of new Set(member.roles)) {
    const role = index.roles.get(id);
    if (role) roles.push(role);
  }
  return roles;
}

function computeMostGenerousLimits(model: PermissionModel): EffectiveLimits {
  const limits = toSettings(model.defaults.limits);
  const levels = [...model.groups, ...model.channels];
  const candidates: (LimitSettings | undefined)[] = [
    ...model.roles.map((role) => role.limits),
    ...levels.map((level) => level.default_permissions),
    ...levels.flatMap((level) => (level.overrides ?? []).map((override) => override.limits)),
  ];
  for (const key of ['max_message_length', 'burst', 'rate_per_second'] as const) {
    for (const candidate of candidates) {
      const value = candidate?.[key];
      if (value !== undefined) limits[key] = MORE_GENEROUS[key](limits[key], value);
    }
  }
  limits.slowmode_ms = 0;
  return toEffective(limits);
}

/**
 * The limits roots get: the largest `max_message_length`, `burst` and `rate_per_second` that the
 * server defaults, any role, any `default_permissions` or any override sets, and no slowmode. No
 * member's resolved limits exceed them, so they also bound e.g. the size of an incoming frame.
 */
export function mostGenerousLimits(model: PermissionModel): EffectiveLimits {
  return indexOf(model).rootLimits;
}

/**
 * What `member` may do in the channel `channelId`, following docs/permissions.md exactly; `null`
 * when the model has no such channel.
 */
export function resolvePermissions(
  model: PermissionModel,
  member: PermissionSubject,
  channelId: string,
): EffectivePermissions | null {
  const index = indexOf(model);
  const channel = index.channels.get(channelId);
  if (!channel) return null; // step 0
  if (member.isRoot) return { flags: ALL_FLAGS, limits: index.rootLimits }; // step 1

  const roles = heldRoles(index, member); // step 2
  const held = new Set(roles.map((role) => role.id));
  const group = index.groups.get(channel.group);

  const flags: MutableFlags = { ...model.defaults.permissions }; // step 3
  const limits = toSettings(model.defaults.limits);
  applyDefaults(flags, limits, group?.default_permissions);
  applyDefaults(flags, limits, channel.default_permissions);

  if (roles.some((role) => role.permissions.includes('moderate'))) flags.moderate = true; // step 4
  applyMostGenerous(
    limits,
    roles.map((role) => role.limits),
    ['max_message_length', 'slowmode_ms', 'burst', 'rate_per_second'],
  );

  applyOverrides(flags, limits, group?.overrides, held); // step 5
  applyOverrides(flags, limits, channel.overrides, held); // step 6

  if (!flags.view) for (const flag of CHANNEL_FLAGS) flags[flag] = false; // step 7
  // Step 8: a thread is started by writing in it, and a thread's members write as in its channel.
  if (!flags.write) flags.create_threads = false;
  return { flags, limits: toEffective(limits) };
}

/** One channel flag; `false` for a channel the model does not have. */
export function can(
  model: PermissionModel,
  member: PermissionSubject,
  channelId: string,
  flag: ChannelFlag,
): boolean {
  return resolvePermissions(model, member, channelId)?.flags[flag] ?? false;
}

/** Whether the member can see the channel at all; `false` for a channel the model does not have. */
export function canView(model: PermissionModel, member: PermissionSubject, channelId: string): boolean {
  return can(model, member, channelId, 'view');
}

/** The ids of the channels the member can view, in the model's (config.toml's) order. */
export function visibleChannels(model: PermissionModel, member: PermissionSubject): string[] {
  return model.channels.filter((channel) => canView(model, member, channel.id)).map((channel) => channel.id);
}

/** Every server permission for a root; otherwise the union over the member's known roles. */
export function resolveServerPermissions(
  model: PermissionModel,
  member: PermissionSubject,
): ReadonlySet<ServerPermission> {
  if (member.isRoot) return new Set(SERVER_PERMISSIONS);
  return new Set(heldRoles(indexOf(model), member).flatMap((role) => role.permissions));
}

export function hasServerPermission(
  model: PermissionModel,
  member: PermissionSubject,
  permission: ServerPermission,
): boolean {
  if (member.isRoot) return true;
  return heldRoles(indexOf(model), member).some((role) => role.permissions.includes(permission));
}

/** The member's flood bucket: the same in every channel (steps 1, 3 and 4 only). */
export function resolveConnectionLimits(model: PermissionModel, member: PermissionSubject): ConnectionLimits {
  const index = indexOf(model);
  if (member.isRoot) return { burst: index.rootLimits.burst, ratePerSecond: index.rootLimits.ratePerSecond };
  const limits = toSettings(model.defaults.limits);
  applyMostGenerous(
    limits,
    heldRoles(index, member).map((role) => role.limits),
    ['burst', 'rate_per_second'],
  );
  return { burst: limits.burst, ratePerSecond: limits.rate_per_second };
}

/**
 * The member's known roles, highest `position` first; roles with equal positions keep the model's
 * (config.toml's) order.
 */
export function rolesOf(model: PermissionModel, member: PermissionSubject): RoleDefinition[] {
  const held = new Set(member.roles);
  return model.roles.filter((role) => held.has(role.id)).sort((a, b) => b.position - a.position);
}

/** The member's name colour: the colour of their highest-positioned role that has one. */
export function memberColor(model: PermissionModel, member: PermissionSubject): string | undefined {
  return rolesOf(model, member).find((role) => role.color !== undefined)?.color;
}
