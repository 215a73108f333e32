import { Injectable } from '@nestjs/common';
import type { z } from 'zod';

import {
  parseSearchQuery,
  type SearchHitDto,
  type SearchMessagesRequest,
  type SearchPageDto,
  type SearchQuery,
  SearchQueryError,
} from '@mpqcht/protocol';

import { Sql } from '../database/sql';
import { toMessageDto } from '../messages/message-row';
import type { Actor } from '../policy/channel-policy';
import { SearchIndexBuilder } from '../search-index/search-index-builder';
import { highlightRanges } from './highlights';
import { queryRefusal } from './query-refusal';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import { type SearchRow, searchStatement } from './search-statement';
import { SearchTerms } from './search-terms';

/**
 * `search.messages` (docs/protocol.md): parse the query with the protocol's parser, resolve it for
 * the member (SearchTerms decides what they can see), run the one statement, mark the matches.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly sql: Sql,
    private readonly terms: SearchTerms,
    private readonly index: SearchIndexBuilder,
  ) {}

  async search(actor: Actor, request: z.output<typeof SearchMessagesRequest>): Promise<SearchPageDto> {
    const query = parse(request.query);
    const cursor = request.cursor === undefined ? null : decodeSearchCursor(request.cursor);
    const indexing = !this.index.ready;
    // Vectors written before an upgrade have no word pairs until the rebuild is done.
    const textSearch = { config: this.index.textSearchConfig, wordPairs: !indexing };
    const filter = await this.terms.filter(actor, query, textSearch, {
      cursor,
      rows: request.limit + 1,
    });
    if (!filter) return { results: [], cursor: null, indexing };
    const { text, params } = searchStatement(filter);
    const rows = await this.sql.rows<SearchRow>(text, params);
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      results: page.map(toHit),
      cursor: rows.length > request.limit && last ? encodeSearchCursor(last.id) : null,
      indexing,
    };
  }
}

function parse(text: string): SearchQuery {
  try {
    return parseSearchQuery(text);
  } catch (error) {
    if (error instanceof SearchQueryError) throw queryRefusal(error.message, error.position);
    throw error;
  }
}

function toHit(row: SearchRow): SearchHitDto {
  return {
    message: toMessageDto(row),
    channelId: row.home_channel_id,
    threadName: row.thread_name,
    highlights: highlightRanges(row.content, row.headline),
  };
}
