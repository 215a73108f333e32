/*
 * The search query language (docs/protocol.md, Search), parsed the same way by the api and the web
 * client. Plain TypeScript, no zod: the web client imports it through `@mpqcht/protocol/plain`.
 */

/** The `has:` filters. */
export const SEARCH_HAS = ['link', 'code', 'mention'] as const;
export type SearchHas = (typeof SEARCH_HAS)[number];

/** The operators, as written before the colon. */
export const SEARCH_OPERATORS = ['from', 'in', 'mentions', 'has', 'before', 'after', 'during'] as const;
export type SearchOperator = (typeof SEARCH_OPERATORS)[number];

/** Longest query, in UTF-16 units. */
export const SEARCH_QUERY_MAX_LENGTH = 512;
/** Most words, phrases and operators in one query. */
export const SEARCH_QUERY_MAX_PARTS = 32;

/** A word to match: whole, or as a prefix (`word*`). */
export interface SearchWord {
  readonly text: string;
  readonly prefix: boolean;
}

/** A filter's value (`ada` in `from:ada`) and where its filter starts in the query (for errors). */
export interface SearchName {
  readonly value: string;
  readonly at: number;
}

/** A day, `YYYY-MM-DD`, in UTC. */
export type SearchDay = string;

/** What a query asks for. Every part must hold for a message to match. */
export interface SearchQuery {
  /** Words that must all appear. */
  readonly words: readonly SearchWord[];
  /** Exact phrases that must all appear (`"..."`). */
  readonly phrases: readonly string[];
  /** Words and phrases that must not appear (`-word`, `-"..."`). */
  readonly excluded: readonly (SearchWord | { readonly phrase: string })[];
  /** `from:` members (a display name or a public key); any of them. */
  readonly from: readonly SearchName[];
  /** `in:` channels (by name or id), or `thread` for messages of threads; any of them. */
  readonly in: readonly SearchName[];
  /** `mentions:` members; all of them. */
  readonly mentions: readonly SearchName[];
  /** `has:` filters; all of them. */
  readonly has: readonly SearchHas[];
  /** Messages before this day (exclusive), after it (exclusive), or during it. */
  readonly before: SearchDay | null;
  readonly after: SearchDay | null;
  readonly during: SearchDay | null;
}

/** Why a query cannot be read, and where (the UTF-16 offset of the part at fault). */
export class SearchQueryError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'SearchQueryError';
  }
}

interface Token {
  /** Where it starts in the query. */
  readonly at: number;
  readonly negated: boolean;
  /** `from` in `from:ada`; null for a word or phrase. */
  readonly operator: string | null;
  readonly value: string;
  /** Written in double quotes. */
  readonly quoted: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads the query into tokens: words, "phrases", `-` negations and `operator:value` pairs. */
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const space = (c: string | undefined) => c !== undefined && /\s/u.test(c);
  while (i < query.length) {
    if (space(query[i])) {
      i++;
      continue;
    }
    const at = i;
    let negated = false;
    if (query[i] === '-' && i + 1 < query.length && !space(query[i + 1])) {
      negated = true;
      i++;
    }
    let operator: string | null = null;
    const head = /^([a-z]+):/iu.exec(query.slice(i));
    const after = query.slice(i + (head?.[0].length ?? 0));
    // `https://...` is a word (a link), not a filter named https.
    if (head?.[1] && after !== '' && !space(after[0]) && !after.startsWith('//')) {
      operator = head[1].toLowerCase();
      i += head[0].length;
    }
    if (query[i] === '"') {
      const end = query.indexOf('"', i + 1);
      if (end < 0) throw new SearchQueryError('a quote is not closed', i);
      tokens.push({ at, negated, operator, value: query.slice(i + 1, end), quoted: true });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !space(query[end])) end++;
    tokens.push({ at, negated, operator, value: query.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

function day(token: Token): SearchDay {
  const match = DAY.exec(token.value);
  const [, y = '', m = '', d = ''] = match ?? [];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (
    !match ||
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(m) - 1 ||
    date.getUTCDate() !== Number(d)
  ) {
    throw new SearchQueryError(`${token.operator ?? ''}: wants a day like 2026-12-03`, token.at);
  }
  return token.value;
}

/** A word as it is searched: a trailing `*` makes it a prefix; nothing left is no word. */
function word(token: Token): SearchWord | null {
  const prefix = token.value.endsWith('*');
  const text = (prefix ? token.value.replace(/\*+$/u, '') : token.value).trim();
  if (text.includes('*')) throw new SearchQueryError('`*` goes only at the end of a word', token.at);
  return text ? { text, prefix } : null;
}

/**
 * Parses a search query. Throws `SearchQueryError` (with the position of the part at fault) for a
 * query it cannot read: an unclosed quote, an unknown operator, an operator without a value, a
 * bad day or `has:` value, two `before:` (or `after:`, `during:`), a negated operator, a query
 * without anything to search by, or one that is too long.
 */
export function parseSearchQuery(query: string): SearchQuery {
  if (query.length > SEARCH_QUERY_MAX_LENGTH) {
    throw new SearchQueryError(`at most ${SEARCH_QUERY_MAX_LENGTH} characters`, SEARCH_QUERY_MAX_LENGTH);
  }
  const tokens = tokenize(query);
  if (tokens.length > SEARCH_QUERY_MAX_PARTS) {
    throw new SearchQueryError(
      `at most ${SEARCH_QUERY_MAX_PARTS} words and filters`,
      tokens[SEARCH_QUERY_MAX_PARTS]?.at ?? 0,
    );
  }
  const words: SearchWord[] = [];
  const phrases: string[] = [];
  const excluded: (SearchWord | { phrase: string })[] = [];
  const from: SearchName[] = [];
  const inChannels: SearchName[] = [];
  const mentions: SearchName[] = [];
  const has: SearchHas[] = [];
  const days: Record<'before' | 'after' | 'during', SearchDay | null> = {
    before: null,
    after: null,
    during: null,
  };

  for (const token of tokens) {
    if (token.operator === null) {
      if (token.quoted) {
        const phrase = token.value.trim();
        if (!phrase) continue;
        if (token.negated) excluded.push({ phrase });
        else phrases.push(phrase);
        continue;
      }
      const found = word(token);
      if (!found) continue;
      if (token.negated) excluded.push(found);
      else words.push(found);
      continue;
    }
    if (!(SEARCH_OPERATORS as readonly string[]).includes(token.operator)) {
      throw new SearchQueryError(
        `unknown filter "${token.operator}:" (${SEARCH_OPERATORS.map((o) => `${o}:`).join(', ')})`,
        token.at,
      );
    }
    if (token.negated) throw new SearchQueryError(`-${token.operator}: is not supported`, token.at);
    const value = token.value.trim();
    if (!value) throw new SearchQueryError(`${token.operator}: wants a value`, token.at);
    switch (token.operator as SearchOperator) {
      case 'from':
        from.push({ value, at: token.at });
        break;
      case 'in':
        inChannels.push({ value: value.replace(/^#/u, ''), at: token.at });
        break;
      case 'mentions':
        mentions.push({ value: value.replace(/^@/u, ''), at: token.at });
        break;
      case 'has': {
        const kind = value.toLowerCase();
        if (!(SEARCH_HAS as readonly string[]).includes(kind)) {
          throw new SearchQueryError(`has: is one of ${SEARCH_HAS.join(', ')}`, token.at);
        }
        if (!has.includes(kind as SearchHas)) has.push(kind as SearchHas);
        break;
      }
      case 'before':
      case 'after':
      case 'during': {
        const operator = token.operator as 'before' | 'after' | 'during';
        if (days[operator] !== null) throw new SearchQueryError(`${operator}: is given twice`, token.at);
        days[operator] = day(token);
        break;
      }
    }
  }
  const parsed: SearchQuery = {
    words,
    phrases,
    excluded,
    from,
    in: inChannels,
    mentions,
    has,
    ...days,
  };
  if (!searchesAnything(parsed)) {
    throw new SearchQueryError('search for a word, a phrase or a filter', 0);
  }
  return parsed;
}

/** Whether a query narrows anything down (only excluded words do not). */
function searchesAnything(q: SearchQuery): boolean {
  return (
    q.words.length + q.phrases.length + q.from.length + q.in.length + q.mentions.length + q.has.length > 0 ||
    q.before !== null ||
    q.after !== null ||
    q.during !== null
  );
}
