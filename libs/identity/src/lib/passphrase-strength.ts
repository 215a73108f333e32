/**
 * A small, dependency-free passphrase strength estimator (zxcvbn would add hundreds of kB to the web bundle).
 *
 * `bits` estimates log2 of the guesses an attacker who knows common patterns needs: the passphrase
 * is split into the cheapest sequence of pieces, each priced as
 *
 * - a character guessed blind: log2 of the pool of its classes in the whole passphrase
 *   (a-z 26, A-Z 26, 0-9 10, space 1, other ASCII 33, anything else 100), digits at most log2(10);
 * - a built-in common password or very common English word (also reversed or with look-alike
 *   substitutions such as p@ssw0rd): log2 of its rank, a few bits;
 * - a word of `context` (the username, the server name): 1 bit;
 * - a repeat ("aaaa", "abcabc"): the repeated part plus log2(count);
 * - a sequence (abc, 9876) or keyboard run (qwerty, asdf): about 5 bits plus log2(length);
 * - a year 1900-2099: 7.6 bits; a separator between words (space - _ . , + /): 1 bit;
 * - any other pronounceable run of 4-10 ASCII letters, priced as a dictionary word from a large
 *   list: 10 + 1.5 bits per letter (about 17.5 bits for a five-letter word).
 * Capitals in a word add 1 bit (first or all) or 1 bit per capital letter.
 *
 * `acceptable` is bits >= 60. Four random, ordinary words ("tulip pyramid saddle oyster") pass at
 * about 75; four of the ~100 most common English words do not, nor do famous phrases: "correct horse
 * battery staple" is in the built-in list and, like every cracking dictionary, treats it as known.
 * "Password123!" scores about 15. Only the first 128 characters are analysed (and counted).
 */
export interface PassphraseStrength {
  readonly score: 0 | 1 | 2 | 3 | 4;
  /** Estimated guessing entropy, rounded down. */
  readonly bits: number;
  /** bits >= ACCEPTABLE_PASSPHRASE_BITS. */
  readonly acceptable: boolean;
  /** Short English sentences for the UI, most important first; empty when acceptable. */
  readonly hints: string[];
}

export const ACCEPTABLE_PASSPHRASE_BITS = 60;
const MAX_ANALYSED = 128;
const DIGIT_BITS = Math.log2(10);

/** Most common passwords first, then very common English words; the rank prices a match. */
const COMMON = (
  'password 123456 123456789 12345678 qwerty 12345 abc123 password1 111111 123123 1234567 ' +
  'letmein welcome monkey dragon iloveyou admin football baseball sunshine princess master ' +
  'shadow superman trustno1 qwerty123 login starwars whatever freedom hello charlie michael ' +
  'jordan hunter batman access flower mustang soccer ninja secret computer internet killer ' +
  'pepper summer winter spring autumn lovely cheese chocolate cookie pokemon naruto asdf ' +
  'zxcvbn qazwsx 1qaz2wsx zaq12wsx changeme default guest test root user pass passphrase ' +
  'mypassword chat mpqcht correcthorsebatterystaple correct horse battery staple tr0ub4dor ' +
  'the and you that was for are with his they this have from one had word but not what all ' +
  'were when your can said there use each which she how their will other about out many then ' +
  'them these some her would make like him into time has look two more write see number way ' +
  'could people than first water been call who its now find long down day did get come made ' +
  'may part love life home good great world house baby happy family friend heart blue red ' +
  'green black white sun moon star cat dog god money angel'
).split(' ');
const RANK = new Map(COMMON.map((word, rank) => [word, rank]));
const MAX_COMMON_LENGTH = Math.max(...COMMON.map((word) => word.length));

const KEYBOARD_ROWS = [
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
  '1234567890',
  '!@#$%^&*()',
];
const SEPARATORS = new Set([' ', '-', '_', '.', ',', '+', '/']);
const LEET: Record<string, string> = {
  '4': 'a',
  '@': 'a',
  '8': 'b',
  '3': 'e',
  '6': 'g',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '2': 'z',
};

type Kind =
  'common' | 'context' | 'word' | 'repeat' | 'sequence' | 'year' | 'separator' | 'leet' | 'reversed';

interface Piece {
  readonly start: number;
  readonly end: number;
  readonly bits: number;
  readonly kinds: readonly Kind[];
}

interface Analysis {
  readonly bits: number;
  readonly kinds: ReadonlySet<Kind>;
}

const HINTS: Partial<Record<Kind, string>> = {
  common: 'Avoid common passwords, famous phrases and the most common words.',
  context: 'Do not use your username or the server name in your passphrase.',
  repeat: 'Avoid repeated characters and repeated words.',
  sequence: 'Avoid sequences such as abc, 1234 or qwerty.',
  year: 'Avoid years and dates: they are easy to guess.',
  leet: 'Look-alike swaps such as @ for a or 0 for o are well known to attackers.',
  reversed: 'Reversed words are barely harder to guess than the words themselves.',
};

const CLASS_SIZES: [RegExp, number][] = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/ /, 1],
  [/[!-/:-@[-`{-~]/, 33],
  [/[^\x20-\x7e]/, 100],
];

/** The string as code points: a letter outside the BMP is one character, not two. */
function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Sum of the sizes of the character classes that occur in the passphrase. */
function poolSize(chars: readonly string[]): number {
  return CLASS_SIZES.reduce(
    (sum, [pattern, size]) => (chars.some((c) => pattern.test(c)) ? sum + size : sum),
    0,
  );
}

/** Extra bits for capitals in a matched piece: none, first-or-all, or one per capital. */
function capitalBits(piece: string): number {
  const capitals = codePoints(piece).filter((c) => c !== c.toLowerCase()).length;
  if (capitals === 0) return 0;
  const letters = codePoints(piece).filter((c) => c.toLowerCase() !== c.toUpperCase()).length;
  const first = piece[0] ?? '';
  return capitals === letters || (capitals === 1 && first !== first.toLowerCase()) ? 1 : capitals;
}

function unleet(text: string, one: string): string {
  return codePoints(text)
    .map((c) => (c === '1' ? one : (LEET[c] ?? c)))
    .join('');
}

function contextWords(context: readonly string[]): Set<string> {
  const words = new Set<string>();
  for (const entry of context) {
    const lower = entry.normalize('NFKC').trim().toLowerCase();
    const parts = lower.split(/[^\p{L}\p{N}]+/u);
    for (const word of [lower, parts.join(''), ...parts]) if (codePoints(word).length >= 3) words.add(word);
  }
  return words;
}

function looksLikeWord(lower: string): boolean {
  return /^[a-z]+$/.test(lower) && /[aeiouy]/.test(lower) && !/[^aeiouy]{4}/.test(lower);
}

class Estimator {
  private readonly memo = new Map<string, Analysis>();

  constructor(
    private readonly charBits: number,
    private readonly context: ReadonlySet<string>,
  ) {}

  /** The cheapest cover of `chars` by pieces (dynamic programming over end positions). */
  analyse(chars: readonly string[]): Analysis {
    const key = chars.join('');
    const known = this.memo.get(key);
    if (known) return known;
    const n = chars.length;
    const byEnd: Piece[][] = Array.from({ length: n + 1 }, () => []);
    for (const piece of this.pieces(chars)) byEnd[piece.end]?.push(piece);
    // best[end]: the cheapest cover of chars[0..end) and its last piece.
    const best: { bits: number; last: Piece | null }[] = [{ bits: 0, last: null }];
    for (let end = 1; end <= n; end++) {
      const blindBits = /[0-9]/.test(chars[end - 1] ?? '')
        ? Math.min(this.charBits, DIGIT_BITS)
        : this.charBits;
      const blind: Piece = { start: end - 1, end, bits: blindBits, kinds: [] };
      let choice = { bits: (best[end - 1]?.bits ?? 0) + blindBits, last: blind };
      for (const piece of byEnd[end] ?? []) {
        const bits = (best[piece.start]?.bits ?? 0) + piece.bits;
        if (bits < choice.bits) choice = { bits, last: piece };
      }
      best.push(choice);
    }
    const kinds = new Set<Kind>();
    for (let last = best[n]?.last; last; last = best[last.start]?.last) {
      for (const kind of last.kinds) kinds.add(kind);
    }
    const result = { bits: best[n]?.bits ?? 0, kinds };
    this.memo.set(key, result);
    return result;
  }

  private *pieces(chars: readonly string[]): Generator<Piece> {
    const n = chars.length;
    const lower = chars.map((c) => c.toLowerCase());
    for (let start = 0; start < n; start++) {
      for (let end = start + 3; end <= Math.min(n, start + MAX_COMMON_LENGTH); end++) {
        yield* this.dictionary(
          chars.slice(start, end).join(''),
          lower.slice(start, end).join(''),
          start,
          end,
        );
      }
      yield* this.repeats(chars, start);
      const c = chars[start] ?? '';
      if (SEPARATORS.has(c)) yield { start, end: start + 1, bits: 1, kinds: ['separator'] };
      const year = lower.slice(start, start + 4).join('');
      if (/^(19|20)\d\d$/.test(year)) yield { start, end: start + 4, bits: Math.log2(200), kinds: ['year'] };
    }
    yield* this.sequences(lower);
    yield* this.words(chars, lower);
    // The whole passphrase with its separators removed, e.g. "correct horse battery staple".
    const joined = lower.filter((c) => !SEPARATORS.has(c)).join('');
    const rank = RANK.get(joined);
    if (rank !== undefined) yield { start: 0, end: n, bits: Math.log2(rank + 2), kinds: ['common'] };
    const leetRank = RANK.get(unleet(joined, 'i')) ?? RANK.get(unleet(joined, 'l'));
    if (rank === undefined && leetRank !== undefined) {
      yield { start: 0, end: n, bits: Math.log2(leetRank + 2) + 1, kinds: ['common', 'leet'] };
    }
    if (this.context.has(joined)) yield { start: 0, end: n, bits: 1, kinds: ['context'] };
  }

  private *dictionary(original: string, lower: string, start: number, end: number): Generator<Piece> {
    const caps = capitalBits(original);
    const reversed = codePoints(lower).reverse().join('');
    if (this.context.has(lower)) yield { start, end, bits: 1 + caps, kinds: ['context'] };
    if (this.context.has(reversed)) yield { start, end, bits: 2 + caps, kinds: ['context', 'reversed'] };
    const rank = RANK.get(lower);
    if (rank !== undefined) yield { start, end, bits: Math.log2(rank + 2) + caps, kinds: ['common'] };
    const reversedRank = RANK.get(reversed);
    if (reversedRank !== undefined) {
      yield { start, end, bits: Math.log2(reversedRank + 2) + 1 + caps, kinds: ['common', 'reversed'] };
    }
    if (/[a-z]/.test(lower) && /[0-9@!$+]/.test(lower)) {
      for (const one of ['i', 'l']) {
        const plain = unleet(lower, one);
        const leetRank = RANK.get(plain);
        if (leetRank !== undefined)
          yield { start, end, bits: Math.log2(leetRank + 2) + 1 + caps, kinds: ['common', 'leet'] };
        if (this.context.has(plain)) yield { start, end, bits: 2 + caps, kinds: ['context', 'leet'] };
      }
    }
  }

  /**
   * chars[start, start + u) repeated k >= 2 times: the unit's own cost plus log2(k). Only repeats
   * that do not extend further left, with the shortest period, are listed (the others are covered by
   * them), which keeps "aaaa…" cheap.
   */
  private *repeats(chars: readonly string[], start: number): Generator<Piece> {
    const n = chars.length;
    const sameUnit = (from: number, u: number): boolean => {
      for (let i = 0; i < u; i++) if (chars[from + i] !== chars[start + i]) return false;
      return true;
    };
    const periods: number[] = [];
    for (let u = 1; start + 2 * u <= n; u++) {
      // A multiple of a period already found ("xx" after "x") is the same repeat, priced worse.
      if (chars[start + u] !== chars[start] || periods.some((p) => u % p === 0)) continue;
      // The same period one character further left: a longer repeat starts earlier.
      if (start > 0 && chars[start - 1] === chars[start - 1 + u]) continue;
      let k = 1;
      while (start + (k + 1) * u <= n && sameUnit(start + k * u, u)) k++;
      if (k < 2) continue;
      periods.push(u);
      const unit = this.analyse(chars.slice(start, start + u));
      yield { start, end: start + k * u, bits: unit.bits + Math.log2(k), kinds: ['repeat', ...unit.kinds] };
    }
  }

  /** Runs of 3+ with a constant step of +1 or -1 (abc, 987) or along a keyboard row (qwe, lkj). */
  private *sequences(lower: readonly string[]): Generator<Piece> {
    const n = lower.length;
    for (let start = 0; start < n; start++) {
      for (let end = start + 3; end <= n; end++) {
        const piece = lower.slice(start, end);
        const text = piece.join('');
        const codes = piece.map((c) => c.codePointAt(0) ?? 0);
        const step = (codes[1] ?? 0) - (codes[0] ?? 0);
        const stepped =
          Math.abs(step) === 1 && codes.every((code, i) => i === 0 || code - (codes[i - 1] ?? 0) === step);
        const reversed = piece.slice().reverse().join('');
        const keyboard = KEYBOARD_ROWS.some((row) => row.includes(text) || row.includes(reversed));
        if (!stepped && !keyboard) break;
        yield { start, end, bits: 5 + Math.log2(end - start), kinds: ['sequence'] };
      }
    }
  }

  /** Pronounceable runs of 4-10 ASCII letters not in the built-in list: words of a large dictionary. */
  private *words(chars: readonly string[], lower: readonly string[]): Generator<Piece> {
    const n = chars.length;
    for (let start = 0; start < n; start++) {
      for (let end = start + 4; end <= Math.min(n, start + 10); end++) {
        const text = lower.slice(start, end).join('');
        if (!/^[a-z]+$/.test(text)) break;
        if (!looksLikeWord(text)) continue;
        const caps = capitalBits(chars.slice(start, end).join(''));
        yield { start, end, bits: 10 + 1.5 * (end - start) + caps, kinds: ['word'] };
      }
    }
  }
}

function scoreOf(bits: number): 0 | 1 | 2 | 3 | 4 {
  if (bits < 25) return 0;
  if (bits < 40) return 1;
  if (bits < ACCEPTABLE_PASSPHRASE_BITS) return 2;
  if (bits < 80) return 3;
  return 4;
}

/**
 * Estimates how hard `passphrase` is to guess (see PassphraseStrength). `context` holds words an
 * attacker would try first: the username, the server's name and host.
 */
export function passphraseStrength(passphrase: string, context: string[] = []): PassphraseStrength {
  const chars = codePoints(passphrase.normalize('NFKC')).slice(0, MAX_ANALYSED);
  if (chars.length === 0) return { score: 0, bits: 0, acceptable: false, hints: ['Enter a passphrase.'] };
  const estimator = new Estimator(Math.log2(poolSize(chars)), contextWords(context));
  const analysis = estimator.analyse(chars);
  const bits = Math.floor(analysis.bits);
  const acceptable = bits >= ACCEPTABLE_PASSPHRASE_BITS;
  const hints: string[] = [];
  if (!acceptable) {
    for (const kind of ['common', 'context', 'repeat', 'sequence', 'year', 'leet', 'reversed'] as const) {
      const hint = HINTS[kind];
      if (hint && analysis.kinds.has(kind)) hints.push(hint);
    }
    hints.push(
      chars.length < 20
        ? 'Make it longer: four or more random, unrelated words make a good passphrase.'
        : 'Add another random word or two.',
    );
  }
  return { score: scoreOf(bits), bits, acceptable, hints };
}
