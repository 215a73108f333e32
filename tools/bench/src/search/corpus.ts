/**
 * The text of the seeded messages: 3 to 30 words drawn by their frequency in real English
 * (vocabulary.ts), most messages short; about 3 % with a link, 2 % with a code span and 5 % with a
 * mention of a member (`@Name` in the text and the member's key in `mentions`, as the api stores it).
 */
import type { SeedMembers } from './members';
import { randomInt } from './random';
import type { Vocabulary } from './vocabulary';

export const LINK_SHARE = 0.03;
export const CODE_SHARE = 0.02;
export const MENTION_SHARE = 0.05;
const MIN_WORDS = 3;
const MAX_WORDS = 30;

export interface SeedText {
  readonly content: string;
  /** The mentioned member's index in the member list, if any. */
  readonly mention: number | null;
}

export class Corpus {
  constructor(
    private readonly vocabulary: Vocabulary,
    private readonly members: SeedMembers,
    private readonly random: () => number,
  ) {}

  private word(): string {
    return this.vocabulary.words[this.vocabulary.sampler.sample(this.random)] ?? 'the';
  }

  /** Chat messages are mostly short: squaring skews the length towards MIN_WORDS. */
  private length(): number {
    const r = this.random();
    return MIN_WORDS + Math.floor(r * r * (MAX_WORDS - MIN_WORDS + 1));
  }

  private insert(words: string[], item: string): void {
    words.splice(randomInt(this.random, 0, words.length), 0, item);
  }

  next(): SeedText {
    const words = Array.from({ length: this.length() }, () => this.word());
    if (this.random() < LINK_SHARE) this.insert(words, `https://example.com/${this.word()}/${this.word()}`);
    if (this.random() < CODE_SHARE) this.insert(words, `\`${this.word()}.${this.word()}()\``);
    let mention: number | null = null;
    if (this.random() < MENTION_SHARE) {
      mention = this.members.sampler.sample(this.random);
      this.insert(words, `@${this.members.list[mention]?.displayName ?? ''}`);
    }
    const first = words[0] ?? '';
    if (/^[a-z]/.test(first) && !first.startsWith('https:'))
      words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return { content: words.join(' ') + (this.random() < 0.5 ? '.' : ''), mention };
  }
}
