import { powPercent } from './pow-progress';

describe('powPercent', () => {
  it('is the share of the expected hashes tried, in whole per cent', () => {
    expect(powPercent({ tried: 0, effort: 400_000 })).toBe(0);
    expect(powPercent({ tried: 168_000, effort: 400_000 })).toBe(42);
    expect(powPercent({ tried: 399_999, effort: 400_000 })).toBe(99);
  });

  it('stays at 99 % when the search takes longer than expected (effort is an average, not a bound)', () => {
    expect(powPercent({ tried: 400_000, effort: 400_000 })).toBe(99);
    expect(powPercent({ tried: 3_000_000, effort: 400_000 })).toBe(99);
  });

  it('says 0 for an effort of 0 rather than dividing by it', () => {
    expect(powPercent({ tried: 20_000, effort: 0 })).toBe(0);
  });
});
