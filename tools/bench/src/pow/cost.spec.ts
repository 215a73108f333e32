import {
  countsBetween,
  effortIn,
  floodMicrosPerRequest,
  microsPerLogin,
  perSecond,
  successPercent,
} from './cost';

describe('pow part arithmetic', () => {
  it('charges a flood request what the server spent beyond its baseline', () => {
    // 10 s: 5,000 ms of CPU, 100 ms/s of it the honest baseline: 4,000 ms over 100,000 requests.
    expect(floodMicrosPerRequest(5_000, 10, 100, 100_000)).toBeCloseTo(40);
    expect(floodMicrosPerRequest(500, 10, 100, 1_000)).toBe(0);
    expect(floodMicrosPerRequest(500, 10, 10, 0)).toBeNull();
  });

  it('charges a login all of a quiet phase', () => {
    expect(microsPerLogin(300, 600)).toBeCloseTo(500);
    expect(microsPerLogin(300, 0)).toBeNull();
  });

  it('computes success and rates', () => {
    expect(successPercent(99, 100)).toBe(99);
    expect(successPercent(0, 0)).toBeNull();
    expect(perSecond(50, 2_000)).toBe(25);
    expect(perSecond(50, 0)).toBe(0);
  });

  it('subtracts cumulative counts', () => {
    expect(countsBetween({ a: 1, b: 5 }, { a: 4, b: 5, c: 2 })).toEqual({ a: 3, c: 2 });
  });

  it('weights the effort by how long it held', () => {
    const timeline = [
      [0, 0],
      [1, 10_000],
      [2, 20_000],
      [10, 20_000],
      [20, 0],
    ] as const;
    const within = effortIn(timeline, 0, 4);
    expect(within?.max).toBe(20_000);
    // 0 for 1 s, 10,000 for 1 s, 20,000 for 2 s (until the end of the stretch at 4 s).
    expect(within?.mean).toBeCloseTo((10_000 + 40_000) / 4);
    expect(effortIn(timeline, 30, 40)).toBeNull();
  });
});
