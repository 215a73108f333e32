/**
 * The permission model: plain, already validated data (the api builds it from config.toml). Field
 * names inside the model follow config.toml (`default_permissions`, `max_message_length`, ...);
 * resolved results use camelCase. See docs/permissions.md for what each part means.
 */

/** Server-wide permissions a role can grant. Roots have all of them. */
export const SERVER_PERMISSIONS = [
  'manage_members',
  'manage_roles',
  'manage_config',
  'moderate',
  'invite',
  'view_audit_log',
  'kick',
  'ban',
] as const;
export type ServerPermission = (typeof SERVER_PERMISSIONS)[number];

/**
 * What a member may do in one channel. `view` is a prerequisite for the others: where a member
 * cannot view a channel, every flag is false. The voice flags (`connect` to join a voice channel,
 * `speak`, `video`, `screen_share`, and `mute_members` / `move_members` for moderators) resolve like
 * the others in every channel; only voice channels use them.
 */
export const VOICE_FLAGS = [
  'connect',
  'speak',
  'video',
  'screen_share',
  'mute_members',
  'move_members',
] as const;
export type VoiceFlag = (typeof VOICE_FLAGS)[number];
/**
 * Threads (channels under messages): `create_threads` to start one on a message, `manage_threads`
 * to rename, lock, archive or delete anyone's (and to write in a locked one).
 */
export const THREAD_FLAGS = ['create_threads', 'manage_threads'] as const;
export type ThreadFlag = (typeof THREAD_FLAGS)[number];
export const CHANNEL_FLAGS = [
  'view',
  'write',
  'moderate',
  'manage',
  ...THREAD_FLAGS,
  ...VOICE_FLAGS,
] as const;
export type ChannelFlag = (typeof CHANNEL_FLAGS)[number];

/** A value for every channel flag. */
export type ChannelFlags = Readonly<Record<ChannelFlag, boolean>>;

/**
 * What everyone may do where nothing more specific is said: view, write and start threads, and in a
 * voice channel connect, speak, show a camera and share a screen (as on Discord); nothing of a
 * moderator's.
 */
export const DEFAULT_CHANNEL_FLAGS: ChannelFlags = Object.freeze({
  view: true,
  write: true,
  moderate: false,
  manage: false,
  create_threads: true,
  manage_threads: false,
  connect: true,
  speak: true,
  video: true,
  screen_share: true,
  mute_members: false,
  move_members: false,
});

/** Flood bucket defaults (per connection) when `[limits]` does not set them. */
export const DEFAULT_BURST = 30;
export const DEFAULT_RATE_PER_SECOND = 10;

/** The two limits that can differ by channel. */
export const CHANNEL_LIMITS = ['max_message_length', 'slowmode_ms'] as const;
export type ChannelLimit = (typeof CHANNEL_LIMITS)[number];

/** All four limits: the channel ones and the per-connection flood bucket. */
export const LIMITS = ['max_message_length', 'slowmode_ms', 'burst', 'rate_per_second'] as const;
export type Limit = (typeof LIMITS)[number];

/** Limits as written in config.toml: each one optional. */
export type LimitSettings = { readonly [K in Limit]?: number };
export type ChannelLimitSettings = { readonly [K in ChannelLimit]?: number };

/** A group's or channel's `default_permissions`: flags and channel limits, each optional. */
export type PermissionSettings = { readonly [K in ChannelFlag]?: boolean } & ChannelLimitSettings;

/** Resolved limits: every value present. */
export interface EffectiveLimits {
  /** Longest message in Unicode code points. */
  readonly maxMessageLength: number;
  /** Minimum time between two messages of the member in the channel; 0 for none. */
  readonly slowmodeMs: number;
  /** Size of the per-connection token bucket. */
  readonly burst: number;
  /** Tokens the bucket regains per second. */
  readonly ratePerSecond: number;
}

/** What members holding `role` get at one level (a group or a channel). */
export interface PermissionOverride {
  readonly role: string;
  readonly allow: readonly ChannelFlag[];
  readonly deny: readonly ChannelFlag[];
  readonly limits?: ChannelLimitSettings;
}

export interface RoleDefinition {
  readonly id: string;
  readonly name: string;
  readonly color?: string;
  /** Display order (highest first) and name colour; resolution does not depend on it. */
  readonly position: number;
  readonly permissions: readonly ServerPermission[];
  readonly limits?: LimitSettings;
}

export interface GroupPermissions {
  readonly id: string;
  readonly default_permissions?: PermissionSettings;
  readonly overrides?: readonly PermissionOverride[];
}

export interface ChannelPermissions {
  readonly id: string;
  /** The group's id; a group the model does not have contributes nothing. */
  readonly group: string;
  readonly default_permissions?: PermissionSettings;
  readonly overrides?: readonly PermissionOverride[];
}

export interface PermissionModel {
  /** What everyone gets when nothing more specific is said (`[server] default_permissions`, `[limits]`). */
  readonly defaults: {
    readonly permissions: ChannelFlags;
    readonly limits: EffectiveLimits;
  };
  readonly roles: readonly RoleDefinition[];
  readonly groups: readonly GroupPermissions[];
  readonly channels: readonly ChannelPermissions[];
}

/** Who is asking: roots are keys listed in `[server] root_keys`; `roles` may name unknown roles. */
export interface PermissionSubject {
  readonly isRoot: boolean;
  readonly roles: readonly string[];
}

export interface EffectivePermissions {
  readonly flags: ChannelFlags;
  readonly limits: EffectiveLimits;
}

/** A flood bucket's settings, the same in every channel. */
export type ConnectionLimits = Pick<EffectiveLimits, 'burst' | 'ratePerSecond'>;
