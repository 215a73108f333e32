import { SEARCH_HAS, SEARCH_OPERATORS } from '@mpqcht/protocol/plain';

/** A name the box may offer: a member's, a channel's. */
export interface SuggestName {
  readonly name: string;
  readonly detail?: string;
}

/** What the query box offers for the part of the query at the caret. */
export interface Suggestion {
  /** `operator`: completes `fr` to `from:`; `value`: a member, channel or `has:` kind. */
  readonly kind: 'operator' | 'value';
  readonly label: string;
  readonly detail: string;
  /** The query with the suggestion taken, and where the caret goes. */
  readonly query: string;
  readonly caret: number;
}

/** The part of the query at the caret: where it is, its operator (if any) and the value typed so far. */
export interface QueryPart {
  readonly start: number;
  readonly end: number;
  readonly negated: boolean;
  readonly operator: string | null;
  readonly value: string;
}

const OPERATOR_HELP: Record<string, string> = {
  from: 'messages by a member',
  mentions: 'messages that mention a member',
  in: 'in a channel, or in:thread',
  has: 'link, code or mention',
  before: 'before a day (YYYY-MM-DD)',
  after: 'after a day (YYYY-MM-DD)',
  during: 'on a day (YYYY-MM-DD)',
};

/** Offered at most at once. */
const LIMIT = 8;

const isSpace = (c: string | undefined) => c !== undefined && /\s/u.test(c);

/**
 * Finds the part of the query the caret is in (or at the end of), read as parseSearchQuery reads
 * parts: `-`, `operator:`, then a quoted value up to its closing quote or a word. Null when the
 * caret is between parts.
 */
export function partAt(query: string, caret: number): QueryPart | null {
  let i = 0;
  while (i < query.length) {
    if (isSpace(query[i])) {
      i++;
      continue;
    }
    const start = i;
    let j = i;
    const negated = query[j] === '-' && j + 1 < query.length && !isSpace(query[j + 1]);
    if (negated) j++;
    const head = /^([a-z]+):/iu.exec(query.slice(j));
    const operator = head?.[1] && !query.slice(j + head[0].length).startsWith('//') ? head[1] : null;
    const valueStart = operator !== null && head ? j + head[0].length : j;
    let end: number;
    if (query[valueStart] === '"') {
      const close = query.indexOf('"', valueStart + 1);
      end = close < 0 ? query.length : close + 1;
    } else {
      end = valueStart;
      while (end < query.length && !isSpace(query[end])) end++;
    }
    if (caret >= start && caret <= end) {
      return {
        start,
        end,
        negated,
        operator: operator?.toLowerCase() ?? null,
        value: query.slice(valueStart, end),
      };
    }
    i = end;
  }
  return null;
}

/** A value as the query writes it: in quotes when it has spaces. */
function written(value: string): string {
  return /\s/u.test(value) ? `"${value.replace(/"/gu, '')}"` : value;
}

/** Names that start with what was typed first, then names that contain it. */
function matching(names: readonly SuggestName[], typed: string): SuggestName[] {
  const t = typed.toLowerCase();
  const starts = names.filter((n) => n.name.toLowerCase().startsWith(t));
  const contains = names.filter(
    (n) => !n.name.toLowerCase().startsWith(t) && n.name.toLowerCase().includes(t),
  );
  return [...starts, ...contains];
}

function replace(query: string, part: QueryPart, text: string): { query: string; caret: number } {
  const rest = query.slice(part.end);
  const space = text.endsWith(':') || isSpace(rest[0]) ? '' : ' ';
  const next = query.slice(0, part.start) + text + space + rest;
  return { query: next, caret: part.start + text.length + (text.endsWith(':') ? 0 : 1) };
}

/**
 * What to offer at the caret: after `from:` and `mentions:` the members, after `in:` the channels
 * (and `thread`), after `has:` its kinds, all narrowed by what is typed; a word that begins an
 * operator's name offers the operator. Nothing once the value typed is one of them exactly.
 */
export function suggest(
  query: string,
  caret: number,
  names: { readonly members: readonly SuggestName[]; readonly channels: readonly SuggestName[] },
): Suggestion[] {
  const part = partAt(query, caret);
  if (!part) return [];
  const neg = part.negated ? '-' : '';
  if (part.operator === null) {
    if (part.negated || !/^[a-z]+$/iu.test(part.value)) return [];
    const typed = part.value.toLowerCase();
    return SEARCH_OPERATORS.filter((o) => o.startsWith(typed) && o !== typed).map((o) => ({
      kind: 'operator',
      label: `${o}:`,
      detail: OPERATOR_HELP[o] ?? '',
      ...replace(query, part, `${o}:`),
    }));
  }
  let candidates: readonly SuggestName[];
  let typed = part.value.replace(/^"/u, '').replace(/"$/u, '');
  switch (part.operator) {
    case 'from':
    case 'mentions':
      typed = typed.replace(/^@/u, '');
      candidates = names.members;
      break;
    case 'in':
      typed = typed.replace(/^#/u, '');
      candidates = [...names.channels, { name: 'thread', detail: 'messages of threads' }];
      break;
    case 'has':
      candidates = SEARCH_HAS.map((name) => ({ name }));
      break;
    default:
      return [];
  }
  if (candidates.some((c) => c.name.toLowerCase() === typed.toLowerCase())) return [];
  const seen = new Set<string>();
  return matching(candidates, typed)
    .filter((c) => !seen.has(c.name) && seen.add(c.name))
    .slice(0, LIMIT)
    .map((c) => ({
      kind: 'value',
      label: part.operator === 'in' && c.name !== 'thread' ? `#${c.name}` : c.name,
      detail: c.detail ?? '',
      ...replace(query, part, `${neg}${part.operator ?? ''}:${written(c.name)}`),
    }));
}
