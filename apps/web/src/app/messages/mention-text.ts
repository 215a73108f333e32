/**
 * Mentions in text, as the server reads them (docs/protocol.md, Mentions): `@` and a member's
 * display name, compared after NFKC and lower-casing, not preceded by a letter or digit and not
 * running on into one, the longest name winning. `#` and a channel's name follows the same rules on
 * the client only (the server stores no channel mentions). These are the pure parts of the
 * composer's autocompletion (where a mention is being typed, what matches it, what picking one
 * inserts) and of the chips a rendered message shows.
 */

export type MentionSigil = '@' | '#';

/** Something a mention can name: a member (id: public key) or a channel (id: channel id). */
export interface Nameable {
  readonly id: string;
  readonly name: string;
}

/** A mention being typed: the sigil at `start`, the query up to the caret at `end`. */
export interface MentionTrigger {
  readonly sigil: MentionSigil;
  readonly start: number;
  readonly end: number;
  readonly query: string;
}

/** A mention found in text: `text.slice(start, end)` is the sigil and the name. */
export interface NameMatch {
  readonly start: number;
  readonly end: number;
  readonly id: string;
}

/** The longest query looked back for: a channel name (64; display names are at most 32). */
const MAX_QUERY = 64;
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** How the server compares names (apps/api `displayNameKey`): NFKC, then lower case. */
export function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char);
}

/** The code point that ends just before `index` (a surrogate pair counts as one). */
function charBefore(text: string, index: number): string | undefined {
  if (index <= 0) return undefined;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return String.fromCodePoint(text.codePointAt(start) ?? 0);
}

function charAt(text: string, index: number): string | undefined {
  const codePoint = text.codePointAt(index);
  return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
}

/**
 * Whether `index` lies in code as a person typing sees it: inside a fenced block (an odd number of
 * fence lines above its line) or a code span (an odd number of backticks before it on its line).
 * A mention there does not count, so nothing is offered.
 */
function insideCode(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const fences = text
    .slice(0, lineStart)
    .split('\n')
    .filter((line) => FENCE.test(line)).length;
  if (fences % 2 === 1) return true;
  const ticks = text.slice(lineStart, index).split('`').length - 1;
  return ticks % 2 === 1;
}

/**
 * The mention being typed at the caret, if any: the nearest `@` or `#` before it on its line that
 * does not follow a letter or digit (`bob@example.org` is no mention), with at most MAX_QUERY
 * characters after it, no leading or double space (names have none), outside code.
 */
export function findTrigger(text: string, caret: number): MentionTrigger | null {
  const lineStart = text.lastIndexOf('\n', caret - 1) + 1;
  for (let i = caret - 1; i >= lineStart && caret - i <= MAX_QUERY + 1; i--) {
    const char = text.charAt(i);
    if (char !== '@' && char !== '#') continue;
    if (isWordChar(charBefore(text, i))) return null;
    const query = text.slice(i + 1, caret);
    if (query.startsWith(' ') || query.includes('  ') || insideCode(text, i)) return null;
    return { sigil: char, start: i, end: caret, query };
  }
  return null;
}

/**
 * How well a folded name matches a folded query; -1 for not at all. The whole name, then a name
 * that starts with the query, then one with a word that does, then one that contains it. A query
 * with a space only matches the start of a name (it is the name being spelled out).
 */
function score(name: string, query: string): number {
  if (name === query) return 0;
  if (name.startsWith(query)) return 1;
  if (query.includes(' ')) return -1;
  if (name.split(/[\s._'-]+/).some((word) => word.startsWith(query))) return 2;
  return name.includes(query) ? 3 : -1;
}

/**
 * The items matching `query`, best first, at most `limit`; items that match equally keep their
 * order (the caller's: online members first, say). An empty query matches everything.
 */
export function matchNames<T extends Nameable>(items: readonly T[], query: string, limit = 8): T[] {
  const folded = foldName(query);
  return items
    .map((item, order) => ({ item, order, score: folded ? score(foldName(item.name), folded) : 1 }))
    .filter((entry) => entry.score >= 0)
    .sort((a, b) => a.score - b.score || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.item);
}

/**
 * The text after picking `name` for the mention being typed, and where the caret goes: the sigil and
 * the name replace the query (and the rest of a word the caret was in), followed by one space (an
 * existing space is kept and stepped over), so the name ends where the server expects it to.
 */
export function completeMention(
  text: string,
  trigger: MentionTrigger,
  name: string,
): { text: string; caret: number } {
  const inserted = text.slice(0, trigger.start) + trigger.sigil + name;
  const after = text.slice(trigger.end).replace(/^[\p{L}\p{N}\p{M}]+/u, '');
  if (after === '') return { text: `${inserted} `, caret: inserted.length + 1 };
  if (/^\s/.test(after)) return { text: inserted + after, caret: inserted.length + 1 };
  return { text: inserted + after, caret: inserted.length };
}

/**
 * The mentions of `names` in `text` with `sigil`, in order: at each sigil not preceded by a letter
 * or digit, the longest folded name that follows and does not run on into a letter or digit. Text
 * is folded one code point at a time, so each match maps back to the original characters (a name
 * that only matches after NFKC composed several code points is missed: it stays plain text).
 */
export function findNameMatches(text: string, sigil: MentionSigil, names: readonly Nameable[]): NameMatch[] {
  const candidates = names
    .map((n) => ({ id: n.id, folded: foldName(n.name) }))
    .filter((n) => n.folded.length > 0)
    .sort((a, b) => b.folded.length - a.folded.length);
  if (candidates.length === 0) return [];
  let folded = '';
  /** For each UTF-16 unit of `folded`, where its code point starts in `text`. */
  const origin: number[] = [];
  for (let offset = 0; offset < text.length;) {
    const char = charAt(text, offset) ?? '';
    const part = foldName(char);
    for (let k = 0; k < part.length; k++) origin.push(offset);
    folded += part;
    offset += char.length;
  }
  origin.push(text.length);

  const found: NameMatch[] = [];
  for (let at = folded.indexOf(sigil); at !== -1; at = folded.indexOf(sigil, at + 1)) {
    if (isWordChar(charBefore(folded, at))) continue;
    const match = candidates.find(
      (c) => folded.startsWith(c.folded, at + 1) && !isWordChar(charAt(folded, at + 1 + c.folded.length)),
    );
    if (!match) continue;
    const end = at + 1 + match.folded.length;
    found.push({ start: origin[at] ?? 0, end: origin[end] ?? text.length, id: match.id });
    at = end - 1;
  }
  return found;
}
