import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';

import { OutageRefusals, type RefusedAt } from '../common/outage-refusals';
import { ProtocolError } from '../common/protocol-error';
import { isDatabaseUnreachable } from './database-unreachable';

/** What a client is told to wait before retrying while the database cannot be reached. */
export const DATABASE_RETRY_MS = 1000;
/** How often an outage checks whether the database is back. */
const PROBE_INTERVAL_MS = 1000;
const PROBE_TIMEOUT_MS = 2000;

interface Outage {
  readonly since: number;
  readonly refused: Record<RefusedAt, number>;
  /** An error said "unreachable" since the last probe: the outage is not over yet. */
  seenSinceProbe: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The one place that decides that the database cannot be reached, and what to do about it: such
 * errors are answered `database_unavailable` with `retryAfterMs` (not `internal_error` with a
 * stack), and an outage is logged once when it starts and once when it ends, with the number of
 * refusals, instead of once per request. It ends when a probe (a fresh connection to the same URL
 * as the pool's) succeeds and no request was refused since the previous probe, so a database that
 * answers a probe but still fails writes (a full disk) does not flap in the log.
 */
export class DatabaseAvailability extends OutageRefusals implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private outage: Outage | undefined;
  private closed = false;

  constructor(private readonly probe: () => Promise<void>) {
    super();
  }

  get isDown(): boolean {
    return this.outage !== undefined;
  }

  /**
   * The answer to give instead of `error` when it says the database cannot be reached (counted as
   * a refusal of the outage, which starts now if it had not), or undefined for any other error.
   */
  override refusalFor(error: unknown, at: RefusedAt): ProtocolError | undefined {
    if (!isDatabaseUnreachable(error)) return undefined;
    this.noticed(error).refused[at] += 1;
    return new ProtocolError('database_unavailable', 'the database cannot be reached; retry later', {
      retryAfterMs: DATABASE_RETRY_MS,
    });
  }

  /** An error of an idle pooled connection: a dropped one is part of an outage. */
  poolError(error: unknown): void {
    if (isDatabaseUnreachable(error)) this.noticed(error);
    else this.logger.warn(`an idle database connection failed: ${describe(error)}`);
  }

  onApplicationShutdown(): void {
    this.closed = true;
    clearTimeout(this.outage?.timer);
  }

  private noticed(error: unknown): Outage {
    if (this.outage) {
      this.outage.seenSinceProbe = true;
      return this.outage;
    }
    const outage: Outage = {
      since: Date.now(),
      refused: { request: 0, handshake: 0, http: 0 },
      seenSinceProbe: true,
      timer: undefined,
    };
    this.outage = outage;
    // The driver's message names the server's address at most; never a query or its parameters.
    this.logger.warn(
      `database outage started (${describe(error)}); requests needing the database are answered ` +
        'database_unavailable until it is back',
    );
    this.scheduleProbe(outage);
    return outage;
  }

  private scheduleProbe(outage: Outage): void {
    if (this.closed) return;
    outage.timer = setTimeout(() => void this.check(outage), PROBE_INTERVAL_MS);
    outage.timer.unref();
  }

  private async check(outage: Outage): Promise<void> {
    const quiet = !outage.seenSinceProbe;
    outage.seenSinceProbe = false;
    const reachable = await this.probe().then(
      () => true,
      () => false,
    );
    if (this.outage !== outage) return;
    // Read again after the probe: a refusal may have come in while it ran.
    const seenDuringProbe = this.outage.seenSinceProbe;
    if (!reachable || !quiet || seenDuringProbe) {
      this.scheduleProbe(outage);
      return;
    }
    this.outage = undefined;
    const { request, handshake, http } = outage.refused;
    const seconds = ((Date.now() - outage.since) / 1000).toFixed(1);
    this.logger.log(
      `database outage ended after ${seconds} s: ${plural(request, 'request')}, ` +
        `${plural(handshake, 'handshake')}, ${plural(http, 'HTTP request')} refused`,
    );
  }
}

/** Connects to `url` (as the pool would), runs `SELECT 1` and disconnects. */
export async function probeDatabase(url: string): Promise<void> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    application_name: 'mpqcht-api-probe',
  });
  // A connection lost during the probe must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : 'no message';
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
