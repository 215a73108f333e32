import { CONTEXT_HINT, loadZxcvbn, MAX_ANALYSED } from './zxcvbn';

/**
 * How hard a passphrase is to guess, by zxcvbn (`@zxcvbn-ts/core` with its common and English
 * dictionaries): it prices a passphrase as the cheapest sequence of dictionary words, names, common
 * passwords, keyboard runs, repeats, sequences, dates and brute force, and the words of `context`.
 */
export interface PassphraseStrength {
  /** 0-4 by `bits`: below 25, 40, 60, 80 bits; 3 and 4 are acceptable. */
  readonly score: 0 | 1 | 2 | 3 | 4;
  /** log2 of zxcvbn's estimated guesses, rounded down. */
  readonly bits: number;
  /** bits >= ACCEPTABLE_PASSPHRASE_BITS. */
  readonly acceptable: boolean;
  /** Short English sentences for the UI, most important first; empty when acceptable. */
  readonly hints: string[];
}

/**
 * 60 bits (10^18 guesses), not zxcvbn's own score 3 or 4 (10^8, 10^10 guesses): those are meant for
 * online guessing against a rate-limited login, while a public key lets anyone test guesses offline
 * against it, at the cost of PBKDF2 each. Four random, uncommon words pass (about 70 bits); four very
 * common ones, three words, or a word with digits and symbols do not.
 */
export const ACCEPTABLE_PASSPHRASE_BITS = 60;

function scoreOf(bits: number): PassphraseStrength['score'] {
  if (bits < 25) return 0;
  if (bits < 40) return 1;
  if (bits < ACCEPTABLE_PASSPHRASE_BITS) return 2;
  if (bits < 80) return 3;
  return 4;
}

/** The words an attacker tries first: "quokka.chat.example" gives "quokka", "chat", "example". */
function contextWords(context: readonly string[]): string[] {
  return context
    .flatMap((text) =>
      text
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u),
    )
    .filter((word) => word.length >= 3);
}

/**
 * Estimates how hard `passphrase` is to guess (see PassphraseStrength). `context` holds words an
 * attacker would try first: the username, the server's name and host. Asynchronous because the
 * dictionaries load on the first call; an empty passphrase answers without loading them.
 */
export async function passphraseStrength(
  passphrase: string,
  context: readonly string[] = [],
): Promise<PassphraseStrength> {
  const text = Array.from(passphrase.normalize('NFKC')).slice(0, MAX_ANALYSED).join('');
  if (text.length === 0) return { score: 0, bits: 0, acceptable: false, hints: ['Enter a passphrase.'] };
  const zxcvbn = await loadZxcvbn();
  const result = zxcvbn.check(text, contextWords(context));
  const bits = Math.floor(result.guessesLog10 * Math.log2(10));
  const acceptable = bits >= ACCEPTABLE_PASSPHRASE_BITS;
  const hints: string[] = [];
  if (!acceptable) {
    const { warning, suggestions } = result.feedback;
    if (warning) hints.push(warning);
    // zxcvbn warns about the context words only when they are all there is; say it whenever used.
    if (result.sequence.some((match) => 'dictionaryName' in match && match.dictionaryName === 'userInputs')) {
      hints.push(CONTEXT_HINT);
    }
    // zxcvbn gives no feedback above its own score 2; a short passphrase still needs a hint.
    const more =
      text.length < 20
        ? 'Make it longer: four or more random, unrelated words make a good passphrase.'
        : 'Add another random, uncommon word or two.';
    hints.push(...suggestions, more);
  }
  return { score: scoreOf(bits), bits, acceptable, hints: [...new Set(hints)] };
}
