import { parseSearchQuery } from '@mpqcht/protocol';

import { Corpus } from './corpus';
import { seedMembers } from './members';
import { daysBetween, KINDS, queryMix } from './queries';
import { seededRandom, WeightedSampler } from './random';
import { loadVocabulary } from './vocabulary';

describe('search corpus', () => {
  const vocabulary = loadVocabulary();

  it('reads the 5,000 words, most frequent first', () => {
    expect(vocabulary.words).toHaveLength(5_000);
    expect(vocabulary.words[0]).toBe('the');
  });

  it('draws by weight', () => {
    const random = seededRandom(1);
    const sampler = new WeightedSampler([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 4_000; i++) {
      const index = sampler.sample(random);
      counts[index] = (counts[index] ?? 0) + 1;
    }
    expect(counts[1]).toBe(0);
    expect((counts[2] ?? 0) / (counts[0] ?? 1)).toBeGreaterThan(2.5);
  });

  it('makes members with valid, distinct keys and names', () => {
    const members = seedMembers(1_000, seededRandom(2));
    expect(members.list.every((m) => /^02[0-9a-f]{64}$/.test(m.publicKey))).toBe(true);
    expect(new Set(members.list.map((m) => m.displayName.toLowerCase())).size).toBe(1_000);
  });

  it('writes 3 to 30 words, with links, code and mentions at about their shares', () => {
    const random = seededRandom(3);
    const members = seedMembers(100, random);
    const corpus = new Corpus(vocabulary, members, random);
    const texts = Array.from({ length: 20_000 }, () => corpus.next());
    const share = (test: (content: string) => boolean) =>
      texts.filter((t) => test(t.content)).length / texts.length;
    expect(share((c) => c.includes('https://example.com/'))).toBeCloseTo(0.03, 1);
    expect(share((c) => c.includes('`'))).toBeCloseTo(0.02, 1);
    const mentions = texts.filter((t) => t.mention !== null);
    expect(mentions.length / texts.length).toBeCloseTo(0.05, 1);
    for (const t of mentions.slice(0, 50)) {
      expect(t.content).toContain(`@${members.list[t.mention ?? 0]?.displayName ?? '?'}`);
    }
    const lengths = texts.map((t) => t.content.split(' ').length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(33);
  });

  it('makes queries of every kind that the query parser reads', () => {
    const random = seededRandom(4);
    const days = daysBetween(Date.UTC(2026, 10, 20, 13), Date.UTC(2026, 11, 1, 2));
    expect(days[0]).toBe('2026-11-20');
    expect(days.at(-1)).toBe('2026-12-01');
    const queries = queryMix(2_000, {
      words: vocabulary.words,
      members: seedMembers(1_000, random),
      channels: ['s0', 's1'],
      days,
      random,
    });
    expect(new Set(queries.map((q) => q.kind)).size).toBe(KINDS.length);
    for (const { query } of queries) expect(() => parseSearchQuery(query)).not.toThrow();
  });
});
