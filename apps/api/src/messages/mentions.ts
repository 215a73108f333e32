import { MAX_MENTIONS_PER_MESSAGE } from '@mpqcht/protocol';

import { displayNameKey } from '../members/display-name-key';

/**
 * Mentions: `@` and a joined member's display name, compared after the folding that makes names
 * unique (`displayNameKey`: NFKC, lower case), so `@ada`, `@ADA` and `@Ａｄａ` all mention "Ada".
 * NFKC also folds `＠` (U+FF20) and `﹫` (U+FE6B) to `@`. The name must not run on into a letter,
 * digit or combining mark (`@Ada` does not mention "Adam", `@Adam` does not mention "Ada"); when
 * several names match at one `@`, the longest wins. Code spans and fenced code blocks are removed
 * first, so a mention inside code does not count.
 */

/** The characters that fold to `@`: without one of them a message mentions no one. */
const AT_SIGNS = /[@\uFE6B\uFF20]/;
/** What a name must not be followed by: it would be a longer word. */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** A blank line ends a paragraph, and no code span reaches across one. */
const PARAGRAPH_BREAK = /(\r?\n[ \t]*\r?\n)/;

/** Cheap pre-check: whether `content` could mention anyone at all. */
export function mayMention(content: string): boolean {
  return AT_SIGNS.test(content);
}

/**
 * Blanks out fenced code blocks (CommonMark: a line of at least three backticks or tildes indented
 * at most three spaces, to a closing fence of the same character at least as long, or to the end)
 * and code spans (a run of n backticks to the next run of exactly n; an unmatched run is literal;
 * a backslash-escaped backtick opens nothing). Removed code leaves a space, so the text on either
 * side does not join into one word.
 */
export function stripCode(content: string): string {
  return stripFencedBlocks(content).split(PARAGRAPH_BREAK).map(stripCodeSpans).join('');
}

function stripFencedBlocks(content: string): string {
  const kept: string[] = [];
  let fence: { char: string; length: number } | null = null;
  for (const line of content.split('\n')) {
    if (fence) {
      const close = FENCE_CLOSE.exec(line.replace(/\r$/, ''));
      const run = close?.[1];
      if (run?.startsWith(fence.char) && run.length >= fence.length) fence = null;
      kept.push('');
      continue;
    }
    const open = FENCE_OPEN.exec(line.replace(/\r$/, ''));
    const run = open?.[1];
    const info = open?.[2] ?? '';
    // A backtick fence's info string cannot contain a backtick (```a``` is a code span).
    if (run && !(run.startsWith('`') && info.includes('`'))) {
      fence = { char: run.charAt(0), length: run.length };
      kept.push('');
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

function backtickRun(text: string, from: number): number {
  let end = from;
  while (text.charAt(end) === '`') end++;
  return end - from;
}

/** Index of the next run of exactly `length` backticks at or after `from`, or -1. */
function closingRun(text: string, from: number, length: number): number {
  let at = text.indexOf('`', from);
  while (at !== -1) {
    const run = backtickRun(text, at);
    if (run === length) return at;
    at = text.indexOf('`', at + run);
  }
  return -1;
}

function stripCodeSpans(paragraph: string): string {
  if (!paragraph.includes('`')) return paragraph;
  let out = '';
  let i = 0;
  while (i < paragraph.length) {
    const char = paragraph.charAt(i);
    if (char === '\\' && i + 1 < paragraph.length) {
      out += paragraph.slice(i, i + 2);
      i += 2;
    } else if (char === '`') {
      const run = backtickRun(paragraph, i);
      const close = closingRun(paragraph, i + run, run);
      if (close === -1) {
        out += paragraph.slice(i, i + run);
        i += run;
      } else {
        out += ' ';
        i = close + run;
      }
    } else {
      out += char;
      i++;
    }
  }
  return out;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** The member whose folded name ends here. */
  publicKey?: string;
}

/** The joined members' names, folded, for matching mentions. */
export class MemberNames {
  /** Folded name → public key. */
  private readonly byName = new Map<string, string>();
  /** Public key → folded name. */
  private readonly byKey = new Map<string, string>();
  /** Rebuilt on the first match after a change; joins and revocations are rare. */
  private trie: TrieNode | null = null;

  get size(): number {
    return this.byKey.size;
  }

  /** Records a joined member (again, after a rename or a re-join: the old name is dropped). */
  set(publicKey: string, displayName: string): void {
    this.remove(publicKey);
    const key = displayNameKey(displayName);
    this.byName.set(key, publicKey);
    this.byKey.set(publicKey, key);
    this.trie = null;
  }

  remove(publicKey: string): void {
    const key = this.byKey.get(publicKey);
    if (key === undefined) return;
    this.byKey.delete(publicKey);
    if (this.byName.get(key) === publicKey) this.byName.delete(key);
    this.trie = null;
  }

  /** The member whose folded name is the longest one starting at `from` and ending a word, if any. */
  longestAt(folded: string, from: number): string | undefined {
    let node: TrieNode | undefined = this.root();
    let found: string | undefined;
    for (let i = from; i < folded.length;) {
      node = node.children.get(folded.charAt(i));
      if (!node) break;
      i++;
      if (node.publicKey !== undefined && !startsWord(folded, i)) found = node.publicKey;
    }
    return found;
  }

  private root(): TrieNode {
    if (this.trie) return this.trie;
    const root: TrieNode = { children: new Map() };
    for (const [name, publicKey] of this.byName) {
      let node = root;
      for (const char of name.split('')) {
        let next = node.children.get(char);
        if (!next) {
          next = { children: new Map() };
          node.children.set(char, next);
        }
        node = next;
      }
      node.publicKey = publicKey;
    }
    this.trie = root;
    return root;
  }
}

function startsWord(text: string, at: number): boolean {
  const codePoint = text.codePointAt(at);
  return codePoint !== undefined && WORD_CHAR.test(String.fromCodePoint(codePoint));
}

/**
 * The members that `content` mentions: public keys in order of first mention, each once, at most
 * MAX_MENTIONS_PER_MESSAGE.
 */
export function findMentions(content: string, names: MemberNames): string[] {
  if (!mayMention(content) || names.size === 0) return [];
  const folded = displayNameKey(stripCode(content));
  const found = new Set<string>();
  for (let at = folded.indexOf('@'); at !== -1; at = folded.indexOf('@', at + 1)) {
    // An `@` inside a word (`bob@example.org`) is not a mention.
    if (at > 0 && WORD_CHAR.test(folded.charAt(at - 1))) continue;
    const publicKey = names.longestAt(folded, at + 1);
    if (publicKey === undefined) continue;
    found.add(publicKey);
    if (found.size === MAX_MENTIONS_PER_MESSAGE) break;
  }
  return [...found];
}
