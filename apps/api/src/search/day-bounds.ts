import type { SearchDay } from '@mpqcht/protocol';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The smallest UUIDv7 of a millisecond: message ids start with their 48-bit time, so every message
 * written at or after `ms` has an id at least this one (uuid comparison is byte order).
 */
export function firstIdAt(ms: number): string {
  const hex = Math.max(0, ms).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The start of a day (UTC) and of the day after, in milliseconds. */
export function dayBounds(day: SearchDay): { start: number; end: number } {
  const start = Date.parse(`${day}T00:00:00Z`);
  return { start, end: start + DAY_MS };
}
