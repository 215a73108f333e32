import type { MessageRow } from '../messages/message-row';
import { HEADLINE_OPTIONS } from './highlights';

/** How the stored vectors can be searched now. */
export interface TextSearch {
  /** The server's text search configuration (`[search] language`). */
  readonly config: string;
  /** Every vector holds its word pairs, so phrases are looked up by them (not while rebuilding). */
  readonly wordPairs: boolean;
}

/** A search, with every name resolved and the member's access decided: what the SQL needs. */
export interface SearchFilter extends TextSearch {
  readonly words: readonly string[];
  readonly prefixes: readonly string[];
  readonly phrases: readonly string[];
  readonly notWords: readonly string[];
  readonly notPrefixes: readonly string[];
  readonly notPhrases: readonly string[];
  /** Marker lexemes that must all be in the vector: ` has:link`, ` mention:<key>`, ` in:thread`. */
  readonly markers: readonly string[];
  /** The channels searched: those the member can view, narrowed by `in:` (never empty here). */
  readonly channels: readonly string[];
  /** `from:` authors, any of them; null for anyone. */
  readonly authors: readonly string[] | null;
  /** Ids at or after this one (UUIDv7: a time); null for no bound. */
  readonly fromId: string | null;
  /** Ids before this one; the tighter of a `before:` day and the cursor. */
  readonly beforeIds: readonly string[];
  /** Rows to read: the page and one more, to know whether another page follows. */
  readonly rows: number;
}

export interface SearchStatement {
  readonly text: string;
  readonly params: unknown[];
}

/** A result row: the message's columns, its channel for access, its thread's name, the marked copy. */
export interface SearchRow extends MessageRow {
  home_channel_id: string;
  thread_name: string | null;
  headline: string | null;
}

/**
 * One query shape for every combination of filters, newest first (ids are UUIDv7), written so the
 * planner sees real values: the tsquery is built by IMMUTABLE functions of the parameters, which
 * PostgreSQL evaluates while planning (the driver's unnamed statements get a plan for the values
 * bound), so its row estimates come from the column's statistics and it can choose between the GIN
 * index (rare words) and walking the primary key backwards (common ones) or the author's index.
 * Conditions appear only when the query has them, so none costs a row check for nothing. The
 * highlights (ts_headline) are computed on the page only, in the outer query.
 */
export function searchStatement(filter: SearchFilter): SearchStatement {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const positive = filter.words.length + filter.prefixes.length + filter.phrases.length > 0;
  const negative = filter.notWords.length + filter.notPrefixes.length + filter.notPhrases.length > 0;
  // Parameters only where the statement uses them: PostgreSQL must infer each one's type.
  const words = positive || negative ? textParams(filter, param) : null;

  const where = ['m.deleted_at IS NULL', `m.home_channel_id = ANY(${param(filter.channels)}::text[])`];
  const textQuery: string[] = [];
  if (words) {
    // With word pairs, the phrases are the pairs' lexemes (and the phrase itself when longer).
    const byPairs = filter.wordPairs && filter.phrases.length > 0;
    textQuery.push(`mpqcht_search_words(${words.config}, ${words.words}, ${words.prefixes},
      ${byPairs ? "'{}'::text[]" : words.phrases}, ${words.notWords}, ${words.notPrefixes}, ${words.notPhrases})`);
    if (byPairs) textQuery.push(`mpqcht_search_phrases(${words.config}, ${words.phrases})`);
  }
  if (filter.markers.length > 0) textQuery.push(`mpqcht_search_markers(${param(filter.markers)}::text[])`);
  if (textQuery.length > 0) where.push(`m.search_vector @@ (${textQuery.join(' && ')})`);
  if (filter.authors) where.push(`m.author_key = ANY(${param(filter.authors)}::text[])`);
  if (filter.fromId) where.push(`m.id >= ${param(filter.fromId)}::uuid`);
  for (const id of filter.beforeIds) where.push(`m.id < ${param(id)}::uuid`);

  const headline =
    words && positive
      ? `ts_headline(${words.config}, m.content,
         mpqcht_search_words(${words.config}, ${words.words}, ${words.prefixes}, ${words.phrases}, '{}', '{}', '{}'),
         ${param(HEADLINE_OPTIONS)})`
      : 'NULL';
  const text = `
    SELECT m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id, m.content, m.mentions,
           m.created_at, m.edited_at, m.home_channel_id, t.name AS thread_name, ${headline} AS headline
    FROM (SELECT m.id, m.channel_id, m.seq, m.rev, m.author_key, m.client_id, m.content, m.mentions,
                 m.created_at, m.edited_at, m.home_channel_id
          FROM messages m WHERE ${where.join(' AND ')}
          ORDER BY m.id DESC LIMIT ${param(filter.rows)}) m
    LEFT JOIN threads t ON m.channel_id LIKE 'thread:%' AND 'thread:' || t.id = m.channel_id
    ORDER BY m.id DESC`;
  return { text, params };
}

/** The parameters of the query's words, and the configuration they are read with. */
function textParams(filter: SearchFilter, param: (value: unknown) => string) {
  const config = param(filter.config);
  const words = `${param(filter.words)}::text[]`;
  const prefixes = `${param(filter.prefixes)}::text[]`;
  const phrases = `${param(filter.phrases)}::text[]`;
  return {
    config: `mpqcht_search_config(${config}::regconfig, ${words}, ${prefixes}, ${phrases})`,
    words,
    prefixes,
    phrases,
    notWords: `${param(filter.notWords)}::text[]`,
    notPrefixes: `${param(filter.notPrefixes)}::text[]`,
    notPhrases: `${param(filter.notPhrases)}::text[]`,
  };
}
