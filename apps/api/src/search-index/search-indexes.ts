/**
 * The indexes search queries use (docs/operations.md, Search index), built CONCURRENTLY after the
 * rows are filled, so none of them is part of a migration:
 * - words, `has:` and `mentions:` markers, next to the channel (btree_gin): a word `in:` a channel is
 *   intersected inside the index;
 * - `in:` a channel without words, newest first;
 * - `from:` a member, newest first.
 * Time filters and the newest-first order use the primary key: message ids are UUIDv7.
 */
export const SEARCH_INDEXES = [
  { name: 'messages_search', definition: 'ON messages USING gin (home_channel_id, search_vector)' },
  { name: 'messages_home_channel_id_id', definition: 'ON messages (home_channel_id, id)' },
  { name: 'messages_author_key_id', definition: 'ON messages (author_key, id)' },
] as const;
