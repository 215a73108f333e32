/** The word list of the search corpus (README.md beside it says where it comes from). */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { WeightedSampler } from './random';

export interface Vocabulary {
  /** Most frequent first: `words[0]` has rank 1. */
  readonly words: readonly string[];
  /** Draws a word index by the words' counts. */
  readonly sampler: WeightedSampler;
}

/** Reads `word count` lines. */
export function parseWordList(text: string): Vocabulary {
  const words: string[] = [];
  const counts: number[] = [];
  for (const line of text.split('\n')) {
    const [word, count] = line.trim().split(/\s+/);
    if (!word || !count || !(Number(count) > 0)) continue;
    words.push(word);
    counts.push(Number(count));
  }
  return { words, sampler: new WeightedSampler(counts) };
}

export function loadVocabulary(): Vocabulary {
  return parseWordList(fs.readFileSync(path.join(__dirname, 'words.txt'), 'utf8'));
}
