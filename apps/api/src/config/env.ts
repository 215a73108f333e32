import { isIPv6 } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const port = z.coerce.number().int().min(0).max(65535);

const ORIGIN_RULE =
  'must be an origin like https://chat.example.org (scheme and host, no path or trailing slash)';

/**
 * PUBLIC_ORIGIN is bound into every login signature byte for byte, so it is not normalised: it must
 * already be its own WHATWG URL serialisation (`new URL(v).origin`): lower-case scheme and host, an
 * international name as punycode, no default port. Anything else is refused, naming that form.
 */
const origin = z.string().superRefine((value, context) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    context.addIssue({ code: 'custom', message: ORIGIN_RULE });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    context.addIssue({ code: 'custom', message: ORIGIN_RULE });
  } else if (url.origin !== value) {
    const path = url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '';
    const hint = path ? '' : ` (write it as ${url.origin})`;
    context.addIssue({ code: 'custom', message: `${ORIGIN_RULE}${hint}` });
  }
});

const databaseUrl = z.string().refine((value) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a postgres:// URL');

const redisUrl = z.string().refine((value) => {
  try {
    return ['redis:', 'rediss:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be a redis:// or rediss:// URL');

/**
 * What a connection may have waiting to be written before it is dropped (realtime/outbound-backlog.ts).
 * 1 MiB (about one catch-up page of 4,000-character messages) dropped a busy but live sender that
 * lost its core for ~1 s at 200 messages/s of 4 KB (docs/performance.md); 4 MiB is ~5 s of that
 * traffic and still keeps 200 stalled sockets near the api's normal memory.
 */
export const DEFAULT_SOCKET_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * How long TURN credentials are valid (TURN_TTL_SECONDS). coturn refuses the refresh of an
 * allocation whose credentials have expired, so this bounds a call's relay unless the client
 * joins again; a few hours covers a long evening, and a leaked credential dies the same day.
 */
export const DEFAULT_TURN_TTL_SECONDS = 6 * 3600;

const URL_RULE =
  'is not a stun:, turn: or turns: URL (e.g. turn:chat.example.org:3478?transport=udp; RFC 7064/7065)';
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const ICE_URL = /^(stun|turns?):(\[[^\]]+\]|[^:?[\]]+)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/;

/** One ICE server URL as RFC 7064 (stun:) and RFC 7065 (turn:, turns:) spell it, or why not. */
function iceUrlProblem(url: string): string | undefined {
  const match = ICE_URL.exec(url);
  if (!match) return `"${url}" ${URL_RULE}`;
  const [, scheme, host = '', port, transport] = match;
  const hostOk = host.startsWith('[') ? isIPv6(host.slice(1, -1)) : HOST_NAME.test(host);
  if (!hostOk) return `"${url}": "${host}" is not a host name or an IP address`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    return `"${url}": port ${port} is not 1-65535`;
  }
  if (transport !== undefined && scheme === 'stun') return `"${url}": ?transport is for turn: URLs only`;
  return undefined;
}

/**
 * TURN_URLS: the ICE servers clients are told about, comma-separated. `stun:` URLs are handed out
 * as they are; `turn:` and `turns:` ones with fresh credentials, so they need TURN_SECRET.
 */
const iceUrls = z.string().transform((value, context) => {
  const urls = value.split(',').map((entry) => entry.trim());
  for (const url of urls) {
    const problem = url === '' ? 'an empty entry (a stray comma?)' : iceUrlProblem(url);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }
  return urls;
});

/**
 * coturn's `static-auth-secret`. Characters that survive coturn's config file, a compose `.env`
 * and a shell unquoted; the message never repeats the value (it is a secret).
 */
const turnSecret = z
  .string()
  .regex(
    /^[A-Za-z0-9+/=._~-]{16,512}$/,
    'must be 16 to 512 letters, digits or "+/=._~-" (make one with `openssl rand -hex 32`)',
  );

const isTurnUrl = (url: string) => url.startsWith('turn:') || url.startsWith('turns:');

const EnvSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    PUBLIC_ORIGIN: origin.optional(),
    DATABASE_URL: databaseUrl.optional(),
    DATA_DIR: z.string().min(1).default('data'),
    CONFIG_PATH: z.string().min(1).default('config.toml'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('log'),
    REDIS_URL: redisUrl.optional(),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:._-]{1,64}$/, 'letters, digits, ":", ".", "_" and "-" (max 64)')
      .default('mpqcht:rl:'),
    SOCKET_BACKLOG_BYTES: z.coerce
      .number()
      .int()
      .min(64 * 1024, 'at least 65536 (64 KiB)')
      .default(DEFAULT_SOCKET_BACKLOG_BYTES),
    TURN_SECRET: turnSecret.optional(),
    TURN_URLS: iceUrls.optional(),
    TURN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(600, 'at least 600 (10 minutes)')
      .max(86400, 'at most 86400 (24 hours)')
      .default(DEFAULT_TURN_TTL_SECONDS),
  })
  // Half a TURN set-up is a mistake to stop on, not to run with: clients would be told of relays
  // they cannot use, or a secret would wait for URLs nobody gets.
  .superRefine((e, context) => {
    const turnUrls = (e.TURN_URLS ?? []).filter(isTurnUrl);
    if (turnUrls.length > 0 && e.TURN_SECRET === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['TURN_SECRET'],
        message: 'required when TURN_URLS lists a turn: or turns: URL (the secret coturn shares)',
      });
    }
    if (turnUrls.length === 0 && e.TURN_SECRET !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['TURN_URLS'],
        message: 'must list a turn: or turns: URL when TURN_SECRET is set',
      });
    }
  });

/** TURN relays and their shared secret (TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS). */
export interface TurnSettings {
  /** The `turn:` and `turns:` URLs of TURN_URLS, in their order. */
  readonly urls: readonly string[];
  /** coturn's static-auth-secret: never logged, never sent. */
  readonly secret: string;
  /** How long each member's credentials are valid. */
  readonly ttlSeconds: number;
}

/** The process settings: everything mpqcht reads from the environment, validated once at start. */
export interface Env {
  readonly port: number;
  readonly host: string;
  /** The origin clients reach this server at; it is bound into every login signature. */
  readonly publicOrigin: string;
  /** Unset: the api runs an embedded PostgreSQL in `dataDir/postgres`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logLevel: LogLevel;
  /** Unset: rate-limit buckets live in this process; set: in this Redis, shared by every process. */
  readonly redisUrl: string | undefined;
  /** Prepended to every rate-limit key in Redis. */
  readonly redisKeyPrefix: string;
  /** A socket with more than this waiting to be written to its client is dropped. */
  readonly socketBacklogBytes: number;
  /** The `stun:` URLs of TURN_URLS: handed to every voice client as they are. */
  readonly stunUrls: readonly string[];
  /** Unset: no TURN relay (voice uses STUN and host candidates only). */
  readonly turn: TurnSettings | undefined;
}

export class EnvError extends Error {}

/** Reads and validates the environment; throws an EnvError naming every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new EnvError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicOrigin: e.PUBLIC_ORIGIN ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    configPath: path.resolve(e.CONFIG_PATH),
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    socketBacklogBytes: e.SOCKET_BACKLOG_BYTES,
    stunUrls: (e.TURN_URLS ?? []).filter((url) => !isTurnUrl(url)),
    turn:
      e.TURN_SECRET === undefined
        ? undefined
        : {
            urls: (e.TURN_URLS ?? []).filter(isTurnUrl),
            secret: e.TURN_SECRET,
            ttlSeconds: e.TURN_TTL_SECONDS,
          },
  };
}
