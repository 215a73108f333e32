/**
 * Seeds the search corpus straight into mpqcht's database, as the api would have written it
 * (apps/api/src/database/migrations): members, then messages in batches of `unnest` arrays (one
 * statement per 10,000 rows; one row per statement would take hours), then the channels' sequence
 * rows moved past them. Message i of the whole corpus was sent one second after message i-1, in a
 * channel drawn by its activity; seq and rev count per channel, and ids come from
 * `mpqcht_uuid7(ms, seq)` so that id order is seq order in every channel. The api's own trigger fills
 * the search columns on insert: this measures its index, not one of the harness's.
 */
import type { BenchDb } from '../database';
import { Corpus } from './corpus';
import type { SeedMembers } from './members';
import { WeightedSampler, zipfWeights } from './random';
import type { Vocabulary } from './vocabulary';

const BATCH = 10_000;
/** Busy channels get more traffic, but none is empty. */
const CHANNEL_SKEW = 0.8;

export interface Seeded {
  /** The first and last message's time (ms since the epoch). */
  readonly firstMs: number;
  readonly lastMs: number;
  readonly perChannel: readonly number[];
}

async function insertMembers(db: BenchDb, members: SeedMembers): Promise<void> {
  await db.query(
    `INSERT INTO members (public_key, display_name, display_name_key, joined_at)
     SELECT k, n, lower(n), now() FROM unnest($1::text[], $2::text[]) AS t(k, n)`,
    [members.list.map((m) => m.publicKey), members.list.map((m) => m.displayName)],
  );
}

export async function seedCorpus(
  db: BenchDb,
  options: {
    readonly count: number;
    readonly channels: readonly string[];
    readonly members: SeedMembers;
    readonly vocabulary: Vocabulary;
    readonly random: () => number;
    readonly onProgress: (inserted: number) => void;
  },
): Promise<Seeded> {
  const { count, channels, members, random } = options;
  await insertMembers(db, members);
  const corpus = new Corpus(options.vocabulary, members, random);
  const channelSampler = new WeightedSampler(zipfWeights(channels.length, CHANNEL_SKEW));
  const seqs = channels.map(() => 0);
  const lastMsOf = channels.map(() => 0);
  // Whole seconds, ending a minute before now: every message is in the past.
  const firstMs = (Math.floor(Date.now() / 1000) - count - 60) * 1000;
  for (let start = 0; start < count; start += BATCH) {
    const rows = Math.min(BATCH, count - start);
    const ms: number[] = [];
    const channelIds: string[] = [];
    const seq: number[] = [];
    const authors: string[] = [];
    const contents: string[] = [];
    const mentions: (string | null)[] = [];
    for (let i = 0; i < rows; i++) {
      const channel = channelSampler.sample(random);
      const at = firstMs + (start + i) * 1000;
      seqs[channel] = (seqs[channel] ?? 0) + 1;
      lastMsOf[channel] = at;
      const text = corpus.next();
      ms.push(at);
      channelIds.push(channels[channel] ?? '');
      seq.push(seqs[channel] ?? 0);
      authors.push(members.list[members.sampler.sample(random)]?.publicKey ?? '');
      contents.push(text.content);
      mentions.push(text.mention === null ? null : (members.list[text.mention]?.publicKey ?? null));
    }
    await db.query(
      `INSERT INTO messages (id, channel_id, seq, rev, author_key, client_id, content, mentions, created_at)
       SELECT mpqcht_uuid7(ms, seq), ch, seq, seq, author, gen_random_uuid(), content,
              CASE WHEN mention IS NULL THEN '{}'::text[] ELSE ARRAY[mention] END,
              to_timestamp(ms / 1000.0)
       FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
         AS t(ms, ch, seq, author, content, mention)`,
      [ms, channelIds, seq, authors, contents, mentions],
    );
    options.onProgress(start + rows);
  }
  await db.query(
    `INSERT INTO channel_sequences (channel_id, last_seq, last_rev, last_ms)
     SELECT ch, n, n, ms FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS t(ch, n, ms) WHERE n > 0
     ON CONFLICT (channel_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, last_rev = EXCLUDED.last_rev,
       last_ms = EXCLUDED.last_ms`,
    [channels, seqs, lastMsOf],
  );
  await db.query('VACUUM ANALYZE messages');
  return { firstMs, lastMs: firstMs + (count - 1) * 1000, perChannel: seqs };
}
