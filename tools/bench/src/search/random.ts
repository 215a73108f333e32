/**
 * Reproducible randomness for the seeded corpus and the query mix: the same seed gives the same
 * messages and queries in every run, so two runs measure the same work.
 */

/** mulberry32: a small, fast 32-bit generator, good enough for sampling (not for secrets). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Draws indices 0..n-1 with probability proportional to their weights (binary search on the sums). */
export class WeightedSampler {
  private readonly sums: Float64Array;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new Error('no weights');
    this.sums = new Float64Array(weights.length);
    let total = 0;
    weights.forEach((weight, i) => {
      total += weight;
      this.sums[i] = total;
    });
  }

  get size(): number {
    return this.sums.length;
  }

  sample(random: () => number): number {
    const target = random() * (this.sums[this.sums.length - 1] ?? 0);
    let low = 0;
    let high = this.sums.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.sums[mid] ?? 0) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }
}

/** Zipf-like weights 1/(rank+1)^s: a few items take much of the mass (busy authors, busy channels). */
export function zipfWeights(n: number, s: number): number[] {
  return Array.from({ length: n }, (_, rank) => 1 / Math.pow(rank + 1, s));
}
