import { Client } from 'pg';

/**
 * Holds the row lock of a channel's `channel_sequences` row from outside the api, so that every
 * send, edit and delete in that channel waits in the database until `release()`: a deterministic
 * way to keep sends "in flight" (group commit backlog, graceful shutdown) without timing.
 * The row must exist (the channel has had a message).
 */
export interface ChannelLock {
  /** Resolves once at least `count` statements of the api wait for a lock in this database. */
  waiters(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Commits the holder's transaction; with `drain` (for an api that was killed meanwhile), also
   * waits until no other statement runs in the database: the dead api's statements that waited for
   * the lock have then run, and committed, with nobody left to ack them.
   */
  release(options?: { drain?: boolean }): Promise<void>;
}

async function lockWaiters(client: Client): Promise<number> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return Number(result.rows[0]?.n ?? 0);
}

async function activeStatements(client: Client): Promise<number> {
  const result = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
  );
  return Number(result.rows[0]?.n ?? 0);
}

async function poll(done: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
  for (let waited = 0; !(await done()); waited += 20) {
    if (waited >= timeoutMs) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function lockChannel(databaseUrl: string, channelId: string): Promise<ChannelLock> {
  const holder = new Client({ connectionString: databaseUrl });
  await holder.connect();
  let released = false;
  try {
    await holder.query('BEGIN');
    const locked = await holder.query('SELECT 1 FROM channel_sequences WHERE channel_id = $1 FOR UPDATE', [
      channelId,
    ]);
    if (locked.rowCount !== 1) throw new Error(`channel ${channelId} has no channel_sequences row yet`);
  } catch (error) {
    await holder.end();
    throw error;
  }
  return {
    waiters: (count, timeoutMs = 10_000) =>
      poll(
        async () => (await lockWaiters(holder)) >= count,
        timeoutMs,
        `fewer than ${count} statements waited for the lock`,
      ),
    release: async (options) => {
      if (released) return;
      released = true;
      try {
        await holder.query('COMMIT');
        if (options?.drain) {
          await poll(async () => (await activeStatements(holder)) === 0, 10_000, 'statements still run');
        }
      } finally {
        await holder.end();
      }
    },
  };
}
