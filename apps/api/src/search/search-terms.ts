import { Injectable } from '@nestjs/common';

import type { SearchName, SearchQuery, SearchWord } from '@mpqcht/protocol';

import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { displayNameKey } from '../members/display-name-key';
import { type Actor, ChannelPolicy } from '../policy/channel-policy';
import { dayBounds, firstIdAt } from './day-bounds';
import { queryRefusal } from './query-refusal';
import type { SearchFilter, TextSearch } from './search-statement';

const PUBLIC_KEY = /^0[23][0-9a-f]{64}$/iu;

/** Where to continue: the page's last id, or none; and how many rows the page reads. */
export interface SearchPaging {
  readonly cursor: string | null;
  readonly rows: number;
}

/**
 * Turns a parsed query into a `SearchFilter` for one member: names into public keys and channel
 * ids, days into id bounds, and the member's access into the channels searched, decided once here
 * by the ChannelPolicy. A name that matches nothing the member can see is refused with its
 * position, so a hidden channel and a channel that does not exist are refused alike. Null when
 * nothing can match (a member who can view no channel, or a query that excludes what it asks for).
 */
@Injectable()
export class SearchTerms {
  constructor(
    private readonly sql: Sql,
    private readonly policy: ChannelPolicy,
    private readonly config: AppConfig,
  ) {}

  async filter(
    actor: Actor,
    query: SearchQuery,
    textSearch: TextSearch,
    paging: SearchPaging,
  ): Promise<SearchFilter | null> {
    if (contradicts(query)) return null;
    const { channelsById } = this.config.current;
    const viewable = this.policy.visibleChannels(actor).flatMap((id) => channelsById.get(id) ?? []);
    const channels = this.channels(query.in, viewable);
    if (channels.length === 0) return null;
    const members = await this.memberKeys([...query.from, ...query.mentions]);
    const keyOf = (name: SearchName): string => {
      const key = members.get(name.value) ?? null;
      if (!key) throw queryRefusal(`no member named "${name.value}"`, name.at);
      return key;
    };
    const authors = query.from.map(keyOf);
    const markers = [
      ...query.has.map((has) => ` has:${has}`),
      ...query.mentions.map((name) => ` mention:${keyOf(name)}`),
      ...(query.in.some((name) => isThreadFilter(name)) ? [' in:thread'] : []),
    ];
    const day = query.during ? dayBounds(query.during) : null;
    const after = query.after ? dayBounds(query.after).end : null;
    const before = query.before ? dayBounds(query.before).start : null;
    const fromMs = Math.max(day?.start ?? 0, after ?? 0);
    const beforeIds = [
      ...(day ? [firstIdAt(day.end)] : []),
      ...(before !== null ? [firstIdAt(before)] : []),
      ...(paging.cursor ? [paging.cursor] : []),
    ];
    const plain = (words: readonly SearchWord[], prefix: boolean) =>
      words.filter((w) => w.prefix === prefix).map((w) => w.text);
    const excludedWords = query.excluded.filter((e): e is SearchWord => 'text' in e);
    return {
      ...textSearch,
      words: plain(query.words, false),
      prefixes: plain(query.words, true),
      phrases: query.phrases,
      notWords: plain(excludedWords, false),
      notPrefixes: plain(excludedWords, true),
      notPhrases: query.excluded.flatMap((e) => ('phrase' in e ? [e.phrase] : [])),
      markers,
      channels,
      authors: authors.length > 0 ? [...new Set(authors)] : null,
      fromId: fromMs > 0 ? firstIdAt(fromMs) : null,
      beforeIds,
      rows: paging.rows,
    };
  }

  /** The viewable channels, narrowed to those `in:` names (by id or name, any case). */
  private channels(
    names: readonly SearchName[],
    viewable: readonly { id: string; name: string }[],
  ): string[] {
    const named = names.filter((name) => !isThreadFilter(name));
    if (named.length === 0) return viewable.map((channel) => channel.id);
    const chosen = new Set<string>();
    for (const name of named) {
      const wanted = name.value.toLowerCase();
      const found = viewable.filter((c) => c.id === wanted || c.name.toLowerCase() === wanted);
      if (found.length === 0) throw queryRefusal(`no channel named "${name.value}"`, name.at);
      for (const channel of found) chosen.add(channel.id);
    }
    return [...chosen];
  }

  /** The public key of each name: a key as written, else a member's display name (any case). */
  private async memberKeys(names: readonly SearchName[]): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    const byName = new Map<string, string[]>();
    for (const { value } of names) {
      if (PUBLIC_KEY.test(value)) keys.set(value, value.toLowerCase());
      else byName.set(displayNameKey(value), [...(byName.get(displayNameKey(value)) ?? []), value]);
    }
    if (byName.size === 0) return keys;
    const rows = await this.sql.rows<{ public_key: string; display_name_key: string }>(
      'SELECT public_key, display_name_key FROM members WHERE display_name_key = ANY($1::text[])',
      [[...byName.keys()]],
    );
    for (const row of rows) {
      for (const value of byName.get(row.display_name_key) ?? []) keys.set(value, row.public_key);
    }
    return keys;
  }
}

function isThreadFilter(name: SearchName): boolean {
  return name.value.toLowerCase() === 'thread';
}

/**
 * A query that excludes one of its own words (`use -use`, `meeting -meet*`, `"a b" -"a b"`) matches
 * nothing; answered without the database, which would otherwise walk every message to find so.
 */
function contradicts(query: SearchQuery): boolean {
  const lower = (text: string) => text.toLowerCase();
  const wanted = query.words.filter((w) => !w.prefix).map((w) => lower(w.text));
  const phrases = query.phrases.map(lower);
  return query.excluded.some((excluded) => {
    if ('phrase' in excluded) return phrases.includes(lower(excluded.phrase));
    const text = lower(excluded.text);
    return excluded.prefix ? wanted.some((w) => w.startsWith(text)) : wanted.includes(text);
  });
}
