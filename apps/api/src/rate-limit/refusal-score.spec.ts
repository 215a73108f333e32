import { DISCONNECT_ABOVE_SCORE, RefusalScore, SLOW_FROM_SCORE } from './refusal-score';

describe('RefusalScore', () => {
  it('slows from SLOW_FROM_SCORE refusals and asks for a disconnect beyond the limit', () => {
    const score = new RefusalScore();
    for (let i = 1; i < SLOW_FROM_SCORE; i++) expect(score.add(0)).toBe(false);
    expect(score.isSlowed(0)).toBe(false);
    score.add(0);
    expect(score.isSlowed(0)).toBe(true);
    let disconnect = false;
    for (let i = SLOW_FROM_SCORE; i <= DISCONNECT_ABOVE_SCORE; i++) disconnect = score.add(0);
    expect(disconnect).toBe(true);
  });

  it('forgets refusals over time, so an occasional one never adds up', () => {
    const score = new RefusalScore();
    for (let i = 0; i < SLOW_FROM_SCORE; i++) score.add(0);
    expect(score.isSlowed(0)).toBe(true);
    expect(score.isSlowed(1_000)).toBe(false);
    // One refusal a second, for an hour: never slowed.
    for (let second = 1; second <= 3_600; second++) score.add(second * 1_000);
    expect(score.isSlowed(3_600_000)).toBe(false);
  });
});
