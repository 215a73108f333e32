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
import { type SearchFilter, type SearchPlan, type SearchRow, searchStatement } from './search-statement';
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
    const filter = await this.terms.filter(actor, query, this.index.textSearchConfig, {
      cursor,
      rows: request.limit + 1,
    });
    if (!filter) return { results: [], cursor: null, indexing };
    const rows = await this.rows(filter);
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    return {
      results: page.map(toHit),
      cursor: rows.length > request.limit && last ? encodeSearchCursor(last.id) : null,
      indexing,
    };
  }

  /**
   * A phrase is estimated by PostgreSQL like its words anywhere in a message, so for common words
   * that seldom stand together the planner walks the newest messages expecting a match soon, and
   * may read most of the table (docs/performance.md, Search). When the plan for a phrase is such a
   * walk, it is bounded: the newest RECENT_WINDOW candidates first, then, if they hold less than a
   * page, the GIN index. A phrase the planner finds through the index runs as planned.
   */
  private async rows(filter: SearchFilter): Promise<SearchRow[]> {
    if (filter.phrases.length === 0 || !(await this.plannedAsWalk(filter)))
      return this.run(filter, 'planned');
    const recent = await this.run(filter, 'recent');
    return recent.length >= filter.rows ? recent : this.run(filter, 'indexed');
  }

  /** Whether the planner would find the page by walking an index in id order (no GIN index). */
  private async plannedAsWalk(filter: SearchFilter): Promise<boolean> {
    const { text, params } = searchStatement(filter, 'planned');
    const plan = await this.sql.rows<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${text}`, params);
    return !JSON.stringify(plan).includes('"Index Name":"messages_search"');
  }

  private run(filter: SearchFilter, plan: SearchPlan): Promise<SearchRow[]> {
    const { text, params } = searchStatement(filter, plan);
    return this.sql.rows<SearchRow>(text, params);
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
