import { RECONNECT_TIMINGS, ReconnectPolicy } from './reconnect-policy';

describe('ReconnectPolicy', () => {
  it('makes the first attempt after a loss between 250 and 750 ms', () => {
    expect(new ReconnectPolicy(() => 0).next()).toEqual({ attempt: 1, delayMs: 250 });
    expect(new ReconnectPolicy(() => 0.5).next()).toEqual({ attempt: 1, delayMs: 500 });
    expect(new ReconnectPolicy(() => 0.999_999).next()).toEqual({ attempt: 1, delayMs: 750 });
  });

  it('doubles the bound while attempts keep failing, up to 30 s', () => {
    const policy = new ReconnectPolicy(() => 0.999_999);
    const delays = Array.from({ length: 9 }, () => policy.next().delayMs);
    expect(delays).toEqual([750, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('jitters fully between the floor and the bound (never below 250 ms)', () => {
    const draws = [0, 0.25, 0.5, 1];
    const policy = new ReconnectPolicy(() => draws.shift() ?? 0);
    policy.next(); // attempt 1
    policy.next(); // attempt 2
    // attempt 3 (bound 2 s) and 4 (bound 4 s) with draws 0.5 and 1
    expect(policy.next()).toEqual({ attempt: 3, delayMs: 250 + 0.5 * (2_000 - 250) });
    expect(policy.next()).toEqual({ attempt: 4, delayMs: 4_000 });
  });

  it('spreads the first attempts of many clients over the whole window', () => {
    const delays = Array.from({ length: 1_000 }, () => new ReconnectPolicy().next().delayMs);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(RECONNECT_TIMINGS.firstMinMs);
    expect(Math.max(...delays)).toBeLessThanOrEqual(RECONNECT_TIMINGS.firstMaxMs);
    // Not all in one instant: a quarter of the window at least lies between the extremes.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(125);
  });

  it('waits at least what the server asked for, even beyond the bound', () => {
    expect(new ReconnectPolicy(() => 0).next(12_000)).toEqual({ attempt: 1, delayMs: 12_000 });
  });

  it('starts over with a quick attempt after a reset', () => {
    const policy = new ReconnectPolicy(() => 1);
    for (let i = 0; i < 6; i++) policy.next();
    policy.reset();
    expect(policy.next()).toEqual({ attempt: 1, delayMs: 750 });
  });

  it('bounds attempt n by the documented table', () => {
    const policy = new ReconnectPolicy();
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => policy.bound(n))).toEqual([
      750, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('keeps attempts within 1 s for the first 20 s after an announced restart, then backs off', () => {
    const policy = new ReconnectPolicy(() => 0.999_999);
    policy.restarting();
    const delays = Array.from({ length: 24 }, () => policy.next().delayMs);
    // 750, then 1 s each until 20 s of waiting have passed, then 1, 2, 4 s…
    expect(delays.slice(0, 21)).toEqual([750, ...Array<number>(20).fill(1_000)]);
    expect(delays.slice(21)).toEqual([1_000, 2_000, 4_000]);
  });

  it('forgets the announced restart after a reset', () => {
    const policy = new ReconnectPolicy(() => 0.999_999);
    policy.restarting();
    policy.reset();
    expect([1, 2, 3, 4].map(() => policy.next().delayMs)).toEqual([750, 1_000, 2_000, 4_000]);
  });
});
