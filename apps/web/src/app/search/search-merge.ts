import type { SearchHitDto } from '@mpqcht/protocol';

import type { ServerSearch } from './search.state';

/** One server's part of a search, as the merge reads it. */
export interface SearchSource<S> {
  readonly server: S;
  /** Tells servers apart (the server's address). */
  readonly key: string;
  readonly search: ServerSearch | null;
}

export interface MergedHit<S> {
  readonly server: S;
  readonly serverKey: string;
  readonly hit: SearchHitDto;
  /** Unique across servers, for `track`. */
  readonly key: string;
}

export interface MergedResults<S> {
  /** Newest first, across servers. */
  readonly hits: readonly MergedHit<S>[];
  /** Found but not shown yet: older than what a server with more pages may still have. */
  readonly heldBack: number;
  /** Some server has more pages. */
  readonly more: boolean;
}

function newestFirst<S>(a: MergedHit<S>, b: MergedHit<S>): number {
  const byTime = Date.parse(b.hit.message.createdAt) - Date.parse(a.hit.message.createdAt);
  if (byTime !== 0) return byTime;
  if (a.serverKey !== b.serverKey) return a.serverKey < b.serverKey ? -1 : 1;
  return a.hit.message.id < b.hit.message.id ? 1 : a.hit.message.id > b.hit.message.id ? -1 : 0;
}

/**
 * The results of several servers as one list, newest first. A server with more pages has not sent
 * what it has between its oldest result so far and older ones of other servers; so results older
 * than the newest such "oldest so far" are held back until that server's next page is in, and
 * paging never inserts a result above ones already shown. A server still loading, or failed, holds
 * nothing back: its results join where they belong when they come.
 */
export function mergeResults<S>(sources: readonly SearchSource<S>[]): MergedResults<S> {
  let horizon = -Infinity;
  let more = false;
  const all: MergedHit<S>[] = [];
  for (const { server, key, search } of sources) {
    if (!search || search.status !== 'done') continue;
    for (const hit of search.hits) all.push({ server, serverKey: key, hit, key: `${key} ${hit.message.id}` });
    const oldest = search.hits.at(-1);
    if (search.cursor !== null) {
      more = true;
      if (oldest) horizon = Math.max(horizon, Date.parse(oldest.message.createdAt));
    }
  }
  all.sort(newestFirst);
  const hits = all.filter((h) => Date.parse(h.hit.message.createdAt) >= horizon);
  return { hits, heldBack: all.length - hits.length, more };
}

/** A piece of a result's text: marked where the query matched. */
export interface TextPart {
  readonly text: string;
  readonly mark: boolean;
}

/** How much of a long message a result shows, around its first match. */
export const SNIPPET_LENGTH = 280;
/** Characters shown before the first match when the message is cut. */
const LEAD = 60;

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * A message's text as parts, the highlight ranges marked (UTF-16 `[start, end)`, clamped, sorted
 * and merged). A message longer than `max` is cut to a snippet around the first match, with `…`
 * where it was cut; runs of white space become one space.
 */
export function highlightParts(
  content: string,
  highlights: readonly (readonly [number, number])[],
  max = SNIPPET_LENGTH,
): TextPart[] {
  const ranges: [number, number][] = [];
  for (const [s, e] of [...highlights].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(0, Math.min(content.length, s));
    const end = Math.max(start, Math.min(content.length, e));
    if (end <= start) continue;
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  let from = 0;
  let to = content.length;
  if (content.length > max) {
    from = Math.max(0, Math.min((ranges[0]?.[0] ?? 0) - LEAD, content.length - max));
    if (from > 0) {
      // Start at a word, and never inside a surrogate pair.
      const space = content.slice(from, from + 20).search(/\s/u);
      if (space >= 0) from += space + 1;
      if (isLowSurrogate(content.charCodeAt(from))) from++;
    }
    to = Math.min(content.length, from + max);
    if (isLowSurrogate(content.charCodeAt(to))) to--;
  }
  const parts: TextPart[] = [];
  const push = (text: string, mark: boolean) => {
    const clean = text.replace(/\s+/gu, ' ');
    if (clean) parts.push({ text: clean, mark });
  };
  if (from > 0) parts.push({ text: '…', mark: false });
  let at = from;
  for (const [start, end] of ranges) {
    if (end <= from || start >= to) continue;
    push(content.slice(at, Math.max(at, start)), false);
    push(content.slice(Math.max(at, start), Math.min(end, to)), true);
    at = Math.min(end, to);
  }
  push(content.slice(at, to), false);
  if (to < content.length) parts.push({ text: '…', mark: false });
  return parts;
}
