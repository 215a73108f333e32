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

const EnvSchema = z.object({
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
});

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
  };
}
