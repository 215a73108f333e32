/**
 * The query mix: every operator of the query language (docs/protocol.md, Search queries) alone and
 * combined, with words picked at several ranks of the frequency list (a common word matches a large
 * share of the corpus, a rare one a handful of messages; the search must be fast for both), members
 * who write a lot and members who write little, and days inside the seeded time span.
 */
import type { SeedMembers } from './members';
import { randomInt, WeightedSampler } from './random';

export interface SearchQuerySpec {
  readonly kind: string;
  readonly query: string;
}

export interface QueryContext {
  /** Most frequent first. */
  readonly words: readonly string[];
  readonly members: SeedMembers;
  readonly channels: readonly string[];
  /** The UTC days (`YYYY-MM-DD`) the seeded messages span. */
  readonly days: readonly string[];
  readonly random: () => number;
}

interface Kind {
  readonly kind: string;
  readonly weight: number;
  readonly make: (q: Picker) => string;
}

/** Picks the parts of a query. */
class Picker {
  constructor(private readonly context: QueryContext) {}

  private pick<T>(list: readonly T[]): T {
    const item = list[Math.floor(this.context.random() * list.length)];
    if (item === undefined) throw new Error('nothing to pick from');
    return item;
  }

  /** A plain word (letters only) ranked between `from` and `to` (1 = most frequent). */
  word(from: number, to: number): string {
    const words = this.context.words;
    for (;;) {
      const word = words[randomInt(this.context.random, from, Math.min(to, words.length)) - 1];
      if (word && /^[a-z]+$/.test(word)) return word;
    }
  }

  /** The first letters of a word of at least 6 letters: `hard*`. */
  prefix(from: number, to: number): string {
    for (;;) {
      const word = this.word(from, to);
      if (word.length >= 6) return `${word.slice(0, 4)}*`;
    }
  }

  /** A member's name: a busy writer, an average one or a quiet one. */
  name(): string {
    const ranks: [number, number][] = [
      [0, 9],
      [10, 199],
      [200, this.context.members.list.length - 1],
    ];
    const [from, to] = this.pick(ranks);
    return this.context.members.list[randomInt(this.context.random, from, to)]?.displayName ?? '';
  }

  channel(): string {
    return this.pick(this.context.channels);
  }

  day(): string {
    return this.pick(this.context.days);
  }

  dayFilter(): string {
    return `${this.pick(['before', 'after', 'during'])}:${this.day()}`;
  }
}

export const KINDS: readonly Kind[] = [
  { kind: 'word, common (rank 1-20)', weight: 8, make: (q) => q.word(1, 20) },
  { kind: 'word, middle (rank 100-1000)', weight: 10, make: (q) => q.word(100, 1000) },
  { kind: 'word, rare (rank 2000-5000)', weight: 8, make: (q) => q.word(2000, 5000) },
  { kind: 'two words', weight: 8, make: (q) => `${q.word(30, 600)} ${q.word(30, 600)}` },
  { kind: 'prefix', weight: 6, make: (q) => q.prefix(50, 2000) },
  { kind: 'phrase', weight: 6, make: (q) => `"${q.word(1, 40)} ${q.word(1, 40)}"` },
  // The two words from ranks that do not overlap: `use -use` would match nothing.
  { kind: 'exclusion', weight: 5, make: (q) => `${q.word(41, 300)} -${q.word(1, 40)}` },
  { kind: 'from:', weight: 6, make: (q) => `from:${q.name()}` },
  { kind: 'word in:', weight: 6, make: (q) => `${q.word(20, 500)} in:${q.channel()}` },
  { kind: 'mentions:', weight: 4, make: (q) => `mentions:${q.name()}` },
  { kind: 'has:link', weight: 3, make: () => 'has:link' },
  { kind: 'has:code', weight: 2, make: () => 'has:code' },
  { kind: 'has:mention', weight: 2, make: () => 'has:mention' },
  { kind: 'word before:/after:/during:', weight: 6, make: (q) => `${q.word(20, 500)} ${q.dayFilter()}` },
  { kind: 'from: has:link', weight: 4, make: (q) => `from:${q.name()} has:link` },
  {
    kind: '"phrase" after:',
    weight: 4,
    make: (q) => `"${q.word(1, 40)} ${q.word(1, 40)}" after:${q.day()}`,
  },
  { kind: 'word in: from:', weight: 4, make: (q) => `${q.word(20, 500)} in:${q.channel()} from:${q.name()}` },
];

/** `count` queries drawn from KINDS by weight. */
export function queryMix(count: number, context: QueryContext): SearchQuerySpec[] {
  const picker = new Picker(context);
  const sampler = new WeightedSampler(KINDS.map((k) => k.weight));
  return Array.from({ length: count }, () => {
    const kind = KINDS[sampler.sample(context.random)] ?? KINDS[0];
    if (!kind) throw new Error('no query kinds');
    return { kind: kind.kind, query: kind.make(picker) };
  });
}

/** The UTC days from `firstMs` to `lastMs`, both included. */
export function daysBetween(firstMs: number, lastMs: number): string[] {
  const days: string[] = [];
  const DAY_MS = 86_400_000;
  for (let t = Math.floor(firstMs / DAY_MS) * DAY_MS; t <= lastMs; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
