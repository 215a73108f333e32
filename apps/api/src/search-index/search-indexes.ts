/**
 * The indexes search queries use (docs/operations.md, Search index), built CONCURRENTLY after the
 * rows are filled, so none of them is part of a migration:
 * - words, word pairs and the filters' lexemes, next to the channel (btree_gin): a word `in:` a
 *   channel is intersected inside the index. Without `fastupdate`: each message's lexemes enter the
 *   index as it is written, instead of a pending list that the insert which finds it full must
 *   merge, stalling that send (docs/performance.md, Search: the write path);
 * - `in:` a channel without words, newest first;
 * - `from:` a member, newest first.
 * Time filters and the newest-first order use the primary key: message ids are UUIDv7.
 */
export const SEARCH_INDEXES = [
  {
    name: 'messages_search',
    definition: 'ON messages USING gin (home_channel_id, search_vector) WITH (fastupdate = off)',
  },
  { name: 'messages_home_channel_id_id', definition: 'ON messages (home_channel_id, id)' },
  { name: 'messages_author_key_id', definition: 'ON messages (author_key, id)' },
] as const;
