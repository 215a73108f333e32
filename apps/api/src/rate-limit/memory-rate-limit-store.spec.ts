import { MemoryRateLimitStore } from './memory-rate-limit-store';

function storeAt(start = 1_000_000, maxEntries?: number, maxSpent?: number) {
  const clock = { now: start };
  const store = new MemoryRateLimitStore({
    now: () => clock.now,
    sweepIntervalMs: 0,
    ...(maxEntries ? { maxEntries } : {}),
    ...(maxSpent ? { maxSpent } : {}),
  });
  return { clock, store };
}

const bucket = { capacity: 3, refillPerSecond: 2, cost: 1 };

describe('MemoryRateLimitStore', () => {
  describe('take (token bucket)', () => {
    it('allows `capacity` requests at once, then refuses with the time until the next token', () => {
      const { store } = storeAt();
      expect([1, 2, 3].map(() => store.take('a', bucket).allowed)).toEqual([true, true, true]);
      expect(store.take('a', bucket)).toEqual({ allowed: false, retryAfterMs: 500 });
    });

    it('refills at refillPerSecond, never above capacity', () => {
      const { clock, store } = storeAt();
      for (let i = 0; i < 3; i++) store.take('a', bucket);
      clock.now += 250; // half a token
      expect(store.take('a', bucket)).toEqual({ allowed: false, retryAfterMs: 250 });
      clock.now += 250;
      expect(store.take('a', bucket).allowed).toBe(true);
      expect(store.take('a', bucket).allowed).toBe(false);
      clock.now += 60_000; // far more than a full bucket
      expect([1, 2, 3, 4].map(() => store.take('a', bucket).allowed)).toEqual([true, true, true, false]);
    });

    it('keeps keys apart', () => {
      const { store } = storeAt();
      for (let i = 0; i < 3; i++) store.take('a', bucket);
      expect(store.take('a', bucket).allowed).toBe(false);
      expect(store.take('b', bucket).allowed).toBe(true);
    });

    it('cost 0 asks without taking: allowed while a whole token is left', () => {
      const { store } = storeAt();
      const ask = { ...bucket, cost: 0 };
      expect(store.take('a', ask).allowed).toBe(true);
      for (let i = 0; i < 3; i++) expect(store.take('a', bucket).allowed).toBe(true);
      expect(store.take('a', ask)).toEqual({ allowed: false, retryAfterMs: 500 });
    });

    it('follows a changed capacity (live config)', () => {
      const { store } = storeAt();
      store.take('a', bucket);
      const smaller = { capacity: 1, refillPerSecond: 2, cost: 1 };
      expect(store.take('a', smaller).allowed).toBe(true);
      expect(store.take('a', smaller).allowed).toBe(false);
    });

    it('answers with one shared object when allowed (no allocation)', () => {
      const { store } = storeAt();
      expect(store.take('a', bucket)).toBe(store.take('b', bucket));
    });
  });

  describe('slowmode', () => {
    it('allows one request per interval and says how long is left', () => {
      const { clock, store } = storeAt();
      expect(store.slowmode('m/c', 5000).allowed).toBe(true);
      clock.now += 1200;
      expect(store.slowmode('m/c', 5000)).toEqual({ allowed: false, retryAfterMs: 3800 });
      expect(store.slowmode('m/other', 5000).allowed).toBe(true);
      clock.now += 3800;
      expect(store.slowmode('m/c', 5000).allowed).toBe(true);
      expect(store.slowmode('m/c', 5000)).toEqual({ allowed: false, retryAfterMs: 5000 });
    });

    it('an interval of 0 is no slowmode and stores nothing', () => {
      const { store } = storeAt();
      expect(store.slowmode('m/c', 0).allowed).toBe(true);
      expect(store.slowmode('m/c', 0).allowed).toBe(true);
      expect(store.size().windows).toBe(0);
    });
  });

  describe('eviction', () => {
    it('sweep drops refilled buckets and ended windows, and keeps the rest', () => {
      const { clock, store } = storeAt();
      store.take('idle', bucket);
      for (let i = 0; i < 3; i++) store.take('busy', bucket);
      store.slowmode('short', 1000);
      store.slowmode('long', 10_000);
      clock.now += 1000; // 'idle' is full again (2 tokens regained), 'busy' is not (2 of 3)
      store.sweep();
      expect(store.size()).toEqual({ buckets: 1, windows: 1, spent: 0 });
      // forgetting changed no answer: 'busy' still has 2 tokens, not 3
      expect([1, 2, 3].map(() => store.take('busy', bucket).allowed)).toEqual([true, true, false]);
      expect(store.slowmode('long', 10_000).allowed).toBe(false);
    });

    it('stays within maxEntries by dropping the oldest entry', () => {
      const { store } = storeAt(0, 100);
      for (let i = 0; i < 10_000; i++) {
        store.take(`k${i}`, bucket);
        store.slowmode(`k${i}`, 1000);
      }
      expect(store.size()).toEqual({ buckets: 100, windows: 100, spent: 0 });
    });

    it('runs the sweep on a timer that does not hold the process open, stopped on shutdown', () => {
      jest.useFakeTimers();
      try {
        let now = 0;
        const store = new MemoryRateLimitStore({ now: () => now, sweepIntervalMs: 1000 });
        store.take('a', bucket);
        now += 5000;
        jest.advanceTimersByTime(1000);
        expect(store.size().buckets).toBe(0);
        store.onModuleDestroy();
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('spend (the proof-of-work spent-set)', () => {
    it('says spent once, again while it lives, and spent after it expired', () => {
      const { clock, store } = storeAt();
      expect(store.spend('pow:a', 1000)).toBe('spent');
      expect(store.spend('pow:a', 1000)).toBe('again');
      clock.now += 999;
      expect(store.spend('pow:a', 1000)).toBe('again');
      clock.now += 1;
      expect(store.spend('pow:a', 1000)).toBe('spent');
    });

    it('never forgets a live entry to make room: when full of live ones it answers full', () => {
      const { clock, store } = storeAt(1_000_000, undefined, 2);
      expect(store.spend('pow:a', 1000)).toBe('spent');
      expect(store.spend('pow:b', 5000)).toBe('spent');
      expect(store.spend('pow:c', 1000)).toBe('full');
      expect(store.spend('pow:a', 1000)).toBe('again');
      clock.now += 1000; // a has expired: it makes room, b has not
      expect(store.spend('pow:c', 1000)).toBe('spent');
      expect(store.spend('pow:b', 5000)).toBe('again');
      expect(store.size().spent).toBe(2);
    });

    it('is not touched by the bucket and slowmode caps', () => {
      const { store } = storeAt(1_000_000, 1);
      expect(store.spend('pow:a', 1000)).toBe('spent');
      store.slowmode('m/1', 1000);
      store.slowmode('m/2', 1000);
      store.take('k1', bucket);
      store.take('k2', bucket);
      expect(store.spend('pow:a', 1000)).toBe('again');
    });
  });
});
