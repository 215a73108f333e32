import { DEFAULT_CHANNEL_FLAGS, type EffectivePermissions } from './model';
import { resolveThreadPermissions } from './threads';

const limits = { maxMessageLength: 2000, slowmodeMs: 5000, burst: 30, ratePerSecond: 10 };
const inChannel = (flags: Partial<EffectivePermissions['flags']>): EffectivePermissions => ({
  flags: { ...DEFAULT_CHANNEL_FLAGS, ...flags },
  limits,
});

describe('resolveThreadPermissions', () => {
  it('is the channel permissions, with the same limits, and no thread inside a thread', () => {
    const thread = resolveThreadPermissions(inChannel({ moderate: true }), { locked: false });
    expect(thread.flags).toEqual({ ...DEFAULT_CHANNEL_FLAGS, moderate: true, create_threads: false });
    expect(thread.limits).toBe(limits);
  });

  it('never grants more than the channel: no write there is no write in any of its threads', () => {
    const readOnly = inChannel({ write: false, manage_threads: true });
    expect(resolveThreadPermissions(readOnly, { locked: false }).flags.write).toBe(false);
    expect(resolveThreadPermissions(readOnly, { locked: true }).flags.write).toBe(false);
    expect(resolveThreadPermissions(inChannel({ view: false }), { locked: false }).flags.view).toBe(false);
  });

  it('makes a locked thread read-only except for manage_threads holders', () => {
    expect(resolveThreadPermissions(inChannel({}), { locked: true }).flags.write).toBe(false);
    expect(resolveThreadPermissions(inChannel({ manage_threads: true }), { locked: true }).flags.write).toBe(
      true,
    );
  });
});
