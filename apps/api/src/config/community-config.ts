import { z } from 'zod';

import { parseAnyPublicKey, type PublicKeyParseError } from '@mpqcht/identity';
import {
  CHANNEL_FLAGS,
  type ChannelFlag,
  DEFAULT_BURST,
  DEFAULT_CHANNEL_FLAGS,
  DEFAULT_RATE_PER_SECOND,
  type PermissionModel,
  type PermissionOverride,
  SERVER_PERMISSIONS,
  type ServerPermission,
} from '@mpqcht/permissions';
import { DEFAULT_MAX_MESSAGE_LENGTH, ID_PATTERN, MESSAGE_LENGTH_CEILING } from '@mpqcht/protocol';

import { type PowSettings, powSettings, PowSettingsSchema } from './pow-settings';

const id = z.string().regex(ID_PATTERN, 'ids are lowercase letters, digits, - and _ (max 64)');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #5865f2');

const KEY_ERRORS: Record<PublicKeyParseError, string> = {
  not_hex: 'is not hex',
  bad_length: 'must be 33 (compressed) or 65 (uncompressed) bytes of SEC1 hex',
  invalid_point: 'is not a point on the P-256 curve',
};

const publicKey = z.string().transform((value, ctx) => {
  const parsed = parseAnyPublicKey(value);
  if (parsed.ok) return parsed.key.hex;
  ctx.addIssue({ code: 'custom', message: `public key ${KEY_ERRORS[parsed.error]}` });
  return z.NEVER;
});

/** Longest slowmode a channel can have: six hours. */
export const SLOWMODE_CEILING_MS = 6 * 60 * 60 * 1000;
/** Upper bound for `burst` and `rate_per_second`. */
export const FLOOD_LIMIT_CEILING = 10_000;
/** Upper bound for the per-IP limits (`challenges_per_minute`, `challenge_burst`, `failed_logins_per_minute`). */
export const PER_IP_LIMIT_CEILING = 1_000_000;
const perIpLimit = z.number().int().min(1).max(PER_IP_LIMIT_CEILING);
/** Default for `connections_per_key`: several tabs and devices of one person. */
export const DEFAULT_CONNECTIONS_PER_KEY = 8;
/** Upper bound for `connections_per_key`. */
export const CONNECTIONS_PER_KEY_CEILING = 1_000;
/**
 * A voice channel's participants by default, and at most: every participant sends its media to
 * every other (a full mesh), so uplink and CPU grow with the room (docs/operations.md, Voice).
 */
export const DEFAULT_MAX_PARTICIPANTS = 8;
export const MAX_PARTICIPANTS_CEILING = 16;
/** Opus audio bitrate (bits/s): its range, and the default (clear speech and some music). */
export const BITRATE_FLOOR = 6_000;
export const BITRATE_CEILING = 510_000;
export const DEFAULT_BITRATE = 64_000;

/** How long a thread may go without messages before it is archived: by default, and the bounds. */
/**
 * `[search] language`: PostgreSQL's built-in text search configurations (15 to 17). `simple` keeps
 * every word as written; a language also finds other forms of a word and skips its stop words.
 */
export const SEARCH_LANGUAGES = [
  'simple',
  'arabic',
  'armenian',
  'basque',
  'catalan',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'greek',
  'hindi',
  'hungarian',
  'indonesian',
  'irish',
  'italian',
  'lithuanian',
  'nepali',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'serbian',
  'spanish',
  'swedish',
  'tamil',
  'turkish',
  'yiddish',
] as const;
export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

export const DEFAULT_THREAD_ARCHIVE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
const THREAD_ARCHIVE_AFTER_FLOOR_MS = 1000;
const THREAD_ARCHIVE_AFTER_CEILING_MS = 365 * 24 * 60 * 60 * 1000;
const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `thread_archive_after`: a number and a unit, `30s`, `45m`, `12h` or `3d`, read as milliseconds. */
const threadArchiveAfter = z
  .string()
  .regex(/^[1-9][0-9]{0,5}[smhd]$/, 'a duration like "30m", "12h" or "3d" (s, m, h, d)')
  .transform((text) => Number(text.slice(0, -1)) * (DURATION_UNITS_MS[text.slice(-1)] ?? 0))
  .refine(
    (ms) => ms >= THREAD_ARCHIVE_AFTER_FLOOR_MS && ms <= THREAD_ARCHIVE_AFTER_CEILING_MS,
    'between 1s and 365d',
  );

const maxMessageLength = z.number().int().min(1).max(MESSAGE_LENGTH_CEILING);
const slowmodeMs = z.number().int().min(0).max(SLOWMODE_CEILING_MS);
const burst = z.number().int().min(1).max(FLOOD_LIMIT_CEILING);
const ratePerSecond = z.number().positive().max(FLOOD_LIMIT_CEILING);

const flag = z.enum(CHANNEL_FLAGS);
const flagSettings = Object.fromEntries(CHANNEL_FLAGS.map((f) => [f, z.boolean().optional()])) as Record<
  ChannelFlag,
  z.ZodOptional<z.ZodBoolean>
>;
const channelLimitSettings = {
  max_message_length: maxMessageLength.optional(),
  slowmode_ms: slowmodeMs.optional(),
};

/** `[server] default_permissions`: flags only (the server's limits are `[limits]`). */
const ServerDefaultPermissionsSchema = z.strictObject(flagSettings);
/** A group's or channel's `default_permissions`: flags and the two channel limits. */
const DefaultPermissionsSchema = z.strictObject({ ...flagSettings, ...channelLimitSettings });
/** `[[roles]] limits`: all four limits. */
const RoleLimitsSchema = z.strictObject({
  ...channelLimitSettings,
  burst: burst.optional(),
  rate_per_second: ratePerSecond.optional(),
});
const OverrideSchema = z.strictObject({
  role: id,
  allow: z.array(flag).default([]),
  deny: z.array(flag).default([]),
  limits: z.strictObject(channelLimitSettings).optional(),
});

const ThemeSchema = z.strictObject({
  accent: colour.optional(),
  background: colour.optional(),
  surface: colour.optional(),
  text: colour.optional(),
  text_muted: colour.optional(),
  danger: colour.optional(),
});

const CommunityConfigSchema = z
  .strictObject({
    server: z.strictObject({
      name: z.string().trim().min(1).max(100),
      description: z.string().max(1000).default(''),
      root_keys: z.array(publicKey).default([]),
      default_permissions: ServerDefaultPermissionsSchema.optional(),
    }),
    limits: z
      .strictObject({
        max_message_length: maxMessageLength.default(DEFAULT_MAX_MESSAGE_LENGTH),
        slowmode_ms: slowmodeMs.default(0),
        burst: burst.default(DEFAULT_BURST),
        rate_per_second: ratePerSecond.default(DEFAULT_RATE_PER_SECOND),
        challenges_per_minute: perIpLimit.default(30),
        challenge_burst: perIpLimit.default(10),
        failed_logins_per_minute: perIpLimit.default(10),
        connections_per_key: z
          .number()
          .int()
          .min(1)
          .max(CONNECTIONS_PER_KEY_CEILING)
          .default(DEFAULT_CONNECTIONS_PER_KEY),
      })
      .prefault({}),
    roles: z
      .array(
        z.strictObject({
          id,
          name: z.string().trim().min(1).max(64),
          color: colour.optional(),
          position: z.number().int().min(0).max(1_000_000).default(0),
          permissions: z.array(z.enum(SERVER_PERMISSIONS)).default([]),
          limits: RoleLimitsSchema.optional(),
        }),
      )
      .default([]),
    groups: z
      .array(
        z.strictObject({
          id,
          name: z.string().trim().min(1).max(64),
          thread_archive_after: threadArchiveAfter.optional(),
          default_permissions: DefaultPermissionsSchema.optional(),
          overrides: z.array(OverrideSchema).default([]),
        }),
      )
      .default([]),
    channels: z
      .array(
        z.strictObject({
          id,
          name: z.string().trim().min(1).max(64),
          group: id,
          topic: z.string().max(1024).default(''),
          /** A voice channel is also a text channel (its own chat), as on Discord. */
          kind: z.enum(['text', 'voice']).default('text'),
          max_participants: z.number().int().min(2).max(MAX_PARTICIPANTS_CEILING).optional(),
          bitrate: z.number().int().min(BITRATE_FLOOR).max(BITRATE_CEILING).optional(),
          thread_archive_after: threadArchiveAfter.optional(),
          default_permissions: DefaultPermissionsSchema.optional(),
          overrides: z.array(OverrideSchema).default([]),
        }),
      )
      .default([]),
    theme: ThemeSchema.prefault({}),
    pow: PowSettingsSchema,
    search: z
      .strictObject({
        language: z.enum(SEARCH_LANGUAGES).default('simple'),
      })
      .prefault({}),
    web: z
      .strictObject({
        allowed_origins: z
          .array(
            z.union([z.literal('*'), z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin)]),
          )
          .default(['*']),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const unique = (items: readonly { id: string }[], key: string) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.id)) {
          ctx.addIssue({ code: 'custom', path: [key, index, 'id'], message: `duplicate id "${item.id}"` });
        }
        seen.add(item.id);
      });
    };
    unique(config.roles, 'roles');
    unique(config.groups, 'groups');
    unique(config.channels, 'channels');
    const groups = new Set(config.groups.map((g) => g.id));
    config.channels.forEach((channel, index) => {
      if (channel.kind === 'voice') return;
      for (const key of ['max_participants', 'bitrate'] as const) {
        if (channel[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['channels', index, key],
            message: `only a voice channel has ${key} (add kind = "voice")`,
          });
        }
      }
    });
    config.channels.forEach((channel, index) => {
      if (!groups.has(channel.group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', index, 'group'],
          message: `unknown group "${channel.group}" (declare it under [[groups]])`,
        });
      }
    });
    const roles = new Set(config.roles.map((r) => r.id));
    const checkOverrides = (
      key: 'groups' | 'channels',
      index: number,
      overrides: readonly OverrideInput[],
    ) => {
      const seen = new Set<string>();
      overrides.forEach((override, o) => {
        const path = [key, index, 'overrides', o];
        if (!roles.has(override.role)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'role'],
            message: `unknown role "${override.role}" (declare it under [[roles]])`,
          });
        } else if (seen.has(override.role)) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'role'],
            message: `a second override for role "${override.role}" here (merge them into one)`,
          });
        }
        seen.add(override.role);
        const both = override.allow.filter((f) => override.deny.includes(f));
        if (both.length > 0) {
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'deny'],
            message: `${both.map((f) => `"${f}"`).join(', ')} both allowed and denied (deny wins; say one)`,
          });
        }
      });
    };
    config.groups.forEach((group, index) => {
      checkOverrides('groups', index, group.overrides);
    });
    config.channels.forEach((channel, index) => {
      checkOverrides('channels', index, channel.overrides);
    });
  });

type OverrideInput = z.output<typeof OverrideSchema>;

type ParsedConfig = z.output<typeof CommunityConfigSchema>;

export interface RoleConfig {
  readonly id: string;
  readonly name: string;
  readonly color: string | undefined;
  /** Display order, highest first (see docs/permissions.md). */
  readonly position: number;
  readonly permissions: readonly ServerPermission[];
}

/** What a voice channel adds to a text channel (`kind = "voice"`). */
export interface VoiceSettings {
  readonly maxParticipants: number;
  /** Opus audio bitrate in bits/s. */
  readonly bitrate: number;
}

export interface ChannelConfig {
  readonly id: string;
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
  /** Set for voice channels only. */
  readonly voice: VoiceSettings | null;
  /** A thread here is archived after this long without messages (the channel's, its group's, or 3 days). */
  readonly threadArchiveAfterMs: number;
}

/** Per-IP limits: challenge issuance (a token bucket) and failed logins (per minute). */
export interface IpLimits {
  readonly challengesPerMinute: number;
  readonly challengeBurst: number;
  readonly failedLoginsPerMinute: number;
}

/** The community's structure from config.toml, validated and normalised (keys canonical, ids checked). */
export interface CommunityConfig {
  readonly serverName: string;
  readonly description: string;
  readonly rootKeys: ReadonlySet<string>;
  readonly maxMessageLength: number;
  readonly roles: readonly RoleConfig[];
  readonly groups: readonly { readonly id: string; readonly name: string }[];
  readonly channels: readonly ChannelConfig[];
  readonly channelsById: ReadonlyMap<string, ChannelConfig>;
  readonly theme: Readonly<Record<string, string>>;
  /** Browser origins allowed to connect; `*` for any. */
  readonly allowedOrigins: readonly string[];
  /** The text search configuration messages are searched with (`[search] language`). */
  readonly searchLanguage: SearchLanguage;
  /** Roles, groups, channels and defaults as `@mpqcht/permissions` resolves them (docs/permissions.md). */
  readonly permissions: PermissionModel;
  /** Per-IP limits on logging in (`[limits]`, see docs/configuration.md). */
  readonly ipLimits: IpLimits;
  /** Most sockets one key may hold open at once in one api process (`[limits] connections_per_key`). */
  readonly connectionsPerKey: number;
  /** Adaptive proof-of-work in front of challenge issuance (`[pow]`). */
  readonly pow: PowSettings;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

export class CommunityConfigError extends Error {}

function normaliseOverride(override: OverrideInput): PermissionOverride {
  const { role, allow, deny, limits } = override;
  return limits ? { role, allow, deny, limits } : { role, allow, deny };
}

/** The permission model: plain data with the defaults filled in and optional parts left out. */
function permissionModel(parsed: ParsedConfig): PermissionModel {
  const levelSettings = (level: {
    default_permissions?: z.output<typeof DefaultPermissionsSchema> | undefined;
    overrides: readonly OverrideInput[];
  }) => ({
    ...(level.default_permissions ? { default_permissions: level.default_permissions } : {}),
    overrides: level.overrides.map(normaliseOverride),
  });
  return {
    defaults: {
      permissions: { ...DEFAULT_CHANNEL_FLAGS, ...parsed.server.default_permissions },
      limits: {
        maxMessageLength: parsed.limits.max_message_length,
        slowmodeMs: parsed.limits.slowmode_ms,
        burst: parsed.limits.burst,
        ratePerSecond: parsed.limits.rate_per_second,
      },
    },
    roles: parsed.roles.map((r) => ({
      id: r.id,
      name: r.name,
      ...(r.color ? { color: r.color } : {}),
      position: r.position,
      permissions: r.permissions,
      ...(r.limits ? { limits: r.limits } : {}),
    })),
    groups: parsed.groups.map((g) => ({ id: g.id, ...levelSettings(g) })),
    channels: parsed.channels.map((c) => ({ id: c.id, group: c.group, ...levelSettings(c) })),
  };
}

function normalise(parsed: ParsedConfig): CommunityConfig {
  const groupArchiveAfter = new Map(parsed.groups.map((g) => [g.id, g.thread_archive_after]));
  const channels: ChannelConfig[] = parsed.channels.map((c) => ({
    id: c.id,
    name: c.name,
    groupId: c.group,
    topic: c.topic,
    voice:
      c.kind === 'voice'
        ? {
            maxParticipants: c.max_participants ?? DEFAULT_MAX_PARTICIPANTS,
            bitrate: c.bitrate ?? DEFAULT_BITRATE,
          }
        : null,
    threadArchiveAfterMs:
      c.thread_archive_after ?? groupArchiveAfter.get(c.group) ?? DEFAULT_THREAD_ARCHIVE_AFTER_MS,
  }));
  const theme: Record<string, string> = Object.fromEntries(Object.entries(parsed.theme));
  return {
    serverName: parsed.server.name,
    description: parsed.server.description,
    rootKeys: new Set(parsed.server.root_keys),
    maxMessageLength: parsed.limits.max_message_length,
    roles: parsed.roles.map((r) => ({
      id: r.id,
      name: r.name,
      color: r.color,
      position: r.position,
      permissions: r.permissions,
    })),
    groups: parsed.groups.map((g) => ({ id: g.id, name: g.name })),
    channels,
    channelsById: new Map(channels.map((c) => [c.id, c])),
    theme,
    allowedOrigins: parsed.web.allowed_origins,
    searchLanguage: parsed.search.language,
    permissions: permissionModel(parsed),
    ipLimits: {
      challengesPerMinute: parsed.limits.challenges_per_minute,
      challengeBurst: parsed.limits.challenge_burst,
      failedLoginsPerMinute: parsed.limits.failed_logins_per_minute,
    },
    connectionsPerKey: parsed.limits.connections_per_key,
    pow: powSettings(parsed.pow),
  };
}

/**
 * Validates a parsed TOML document as a whole. Errors name the file, the key path and the problem,
 * one per line, e.g. `config.toml: channels[2].group: unknown group "foo"`.
 */
export function validateCommunityConfig(document: unknown, fileName: string): CommunityConfig {
  const parsed = CommunityConfigSchema.safeParse(document);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const where = formatPath(issue.path);
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
          : issue.message;
      return `${fileName}: ${where ? `${where}: ` : ''}${message}`;
    });
    throw new CommunityConfigError(lines.join('\n'));
  }
  return normalise(parsed.data);
}
