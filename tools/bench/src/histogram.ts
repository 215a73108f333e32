/**
 * Latency histograms (HdrHistogram, 3 significant digits), recorded in microseconds. Workers send
 * theirs to the coordinator compressed (base64); the coordinator adds them up.
 */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export interface Latency {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
}

export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
}

export function encode(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Adds every encoded histogram into one. */
export function merge(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const item of encoded) total.add(hdr.decodeFromCompressedBase64(item));
  return total;
}

/** Percentiles in milliseconds; null for an empty histogram. */
export function latency(histogram: Histogram): Latency | null {
  if (histogram.totalCount === 0) return null;
  const ms = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  return {
    count: histogram.totalCount,
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    max: histogram.maxValue / 1000,
    mean: histogram.mean / 1000,
  };
}
