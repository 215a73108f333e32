import { FLOOD_COOLDOWN_MS, FloodCooldown } from './flood-cooldown';

describe('FloodCooldown', () => {
  it('refuses a key with rate_limited and the time left until the cooldown ends, then lets it in', () => {
    const cooldown = new FloodCooldown();
    cooldown.start('flooder', 1_000);
    let refusal: unknown;
    try {
      cooldown.check('flooder', 1_000 + FLOOD_COOLDOWN_MS - 500);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 500 } });
    expect(() => {
      cooldown.check('flooder', 1_000 + FLOOD_COOLDOWN_MS);
    }).not.toThrow();
    expect(() => {
      cooldown.check('someone else', 1_000);
    }).not.toThrow();
  });
});
