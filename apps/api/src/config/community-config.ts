import { parseAnyPublicKey, type PublicKeyParseError } from '@mpqcht/identity';
import { DEFAULT_MAX_MESSAGE_LENGTH, MESSAGE_LENGTH_CEILING } from '@mpqcht/protocol';
import { z } from 'zod';

/** Server-wide permissions a role can grant. Roots have all of them. */
export const SERVER_PERMISSIONS = [
  'manage_members',
  'manage_roles',
  'manage_config',
  'moderate',
  'invite',
  'view_audit_log',
] as const;
export type ServerPermission = (typeof SERVER_PERMISSIONS)[number];

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'ids are lowercase letters, digits, - and _ (max 64)');
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
    }),
    limits: z
      .strictObject({
        max_message_length: z
          .number()
          .int()
          .min(1)
          .max(MESSAGE_LENGTH_CEILING)
          .default(DEFAULT_MAX_MESSAGE_LENGTH),
      })
      .prefault({}),
    roles: z
      .array(
        z.strictObject({
          id,
          name: z.string().trim().min(1).max(64),
          color: colour.optional(),
          permissions: z.array(z.enum(SERVER_PERMISSIONS)).default([]),
        }),
      )
      .default([]),
    groups: z.array(z.strictObject({ id, name: z.string().trim().min(1).max(64) })).default([]),
    channels: z
      .array(
        z.strictObject({
          id,
          name: z.string().trim().min(1).max(64),
          group: id,
          topic: z.string().max(1024).default(''),
        }),
      )
      .default([]),
    theme: ThemeSchema.prefault({}),
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
      if (!groups.has(channel.group)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channels', index, 'group'],
          message: `unknown group "${channel.group}" (declare it under [[groups]])`,
        });
      }
    });
  });

type ParsedConfig = z.output<typeof CommunityConfigSchema>;

export interface RoleConfig {
  readonly id: string;
  readonly name: string;
  readonly color: string | undefined;
  readonly permissions: readonly ServerPermission[];
}

export interface ChannelConfig {
  readonly id: string;
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
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
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, '');
}

export class CommunityConfigError extends Error {}

function normalise(parsed: ParsedConfig): CommunityConfig {
  const channels = parsed.channels.map((c) => ({ id: c.id, name: c.name, groupId: c.group, topic: c.topic }));
  const theme: Record<string, string> = Object.fromEntries(Object.entries(parsed.theme));
  return {
    serverName: parsed.server.name,
    description: parsed.server.description,
    rootKeys: new Set(parsed.server.root_keys),
    maxMessageLength: parsed.limits.max_message_length,
    roles: parsed.roles.map((r) => ({ id: r.id, name: r.name, color: r.color, permissions: r.permissions })),
    groups: parsed.groups,
    channels,
    channelsById: new Map(channels.map((c) => [c.id, c])),
    theme,
    allowedOrigins: parsed.web.allowed_origins,
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
