/**
 * The one clock of the harness: CLOCK_MONOTONIC through `process.hrtime.bigint()`, in milliseconds.
 * On Linux it is system-wide, so a send time stamped in one worker process and a receive time read
 * in another are on the same clock. As a double it stays exact to well below a microsecond for
 * months of uptime (2^53 ns is 104 days; past that it still resolves about 1 µs).
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
