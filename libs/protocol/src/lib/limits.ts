/** Upper bound for `limits.max_message_length` in config.toml; the configured value is the one enforced. */
export const MESSAGE_LENGTH_CEILING = 16_000;
export const DEFAULT_MAX_MESSAGE_LENGTH = 4_000;
export const HISTORY_PAGE_SIZE = 50;
/** Most changes one `messages.since` page returns (and its default). */
export const CATCH_UP_PAGE_SIZE = 200;
/** Entries per page of `audit.list` (the most, and the default). */
export const AUDIT_PAGE_SIZE = 50;
/** Longest kick or ban reason, in code points (zod's string bounds count code points). */
export const MODERATION_REASON_MAX_LENGTH = 500;
export const CHALLENGE_TTL_MS = 60_000;
export const TYPING_TTL_MS = 6_000;
export const DISPLAY_NAME_MAX_LENGTH = 32;
/** Distinct members one message can mention; further names are not resolved. */
export const MAX_MENTIONS_PER_MESSAGE = 50;
/** Most uses one invite may allow. */
export const INVITE_MAX_USES_CEILING = 10_000;
/** Longest lifetime of an invite (`expiresInMs`): 30 days. */
export const INVITE_EXPIRY_CEILING_MS = 30 * 24 * 60 * 60 * 1000;
/** Longest invite note, in code points. */
export const INVITE_NOTE_MAX_LENGTH = 200;
/** Longest thread name, in code points. */
export const THREAD_NAME_MAX_LENGTH = 100;
/** Threads per `threads.list` page, at most. */
export const THREAD_PAGE_SIZE = 50;
/** Followed threads `threads.followed` answers at most (the most recently active). */
export const FOLLOWED_THREADS_LIMIT = 200;
/** The most recent distinct authors a thread's summary names. */
export const THREAD_SUMMARY_PARTICIPANTS = 3;
/** Most results one `search.messages` page returns. */
export const SEARCH_PAGE_SIZE = 50;
/** Results per `search.messages` page when the request does not say. */
export const SEARCH_DEFAULT_PAGE_SIZE = 25;
