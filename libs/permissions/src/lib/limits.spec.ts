import { DEFAULT_LIMITS, member, model, override, role, ROOT } from '../testing/model';
import {
  DEFAULT_CHANNEL_FLAGS,
  type EffectiveLimits,
  type PermissionModel,
  type PermissionSubject,
} from './model';
import { mostGenerousLimits, resolveConnectionLimits, resolvePermissions } from './resolve';

function limits(m: PermissionModel, who: PermissionSubject, channelId: string) {
  const resolved = resolvePermissions(m, who, channelId);
  if (!resolved) throw new Error(`no channel ${channelId}`);
  return resolved.limits;
}

describe('limits: defaults and inheritance', () => {
  it('are the server defaults where nothing else is said', () => {
    const m = model({ groups: [{ id: 'g' }], channels: [{ id: 'c', group: 'g' }] });
    expect(limits(m, member(), 'c')).toEqual(DEFAULT_LIMITS);
  });

  it("inherit the group's channel limits, which a channel's default_permissions replace one by one", () => {
    const m = model({
      groups: [{ id: 'g', default_permissions: { slowmode_ms: 5000, max_message_length: 500 } }],
      channels: [
        { id: 'inherits', group: 'g' },
        { id: 'replaces', group: 'g', default_permissions: { slowmode_ms: 100 } },
        {
          id: 'lengthens',
          group: 'g',
          default_permissions: { max_message_length: 9000, slowmode_ms: undefined },
        },
      ],
    });
    expect(limits(m, member(), 'inherits')).toEqual({
      ...DEFAULT_LIMITS,
      slowmodeMs: 5000,
      maxMessageLength: 500,
    });
    expect(limits(m, member(), 'replaces')).toEqual({
      ...DEFAULT_LIMITS,
      slowmodeMs: 100,
      maxMessageLength: 500,
    });
    expect(limits(m, member(), 'lengthens')).toEqual({
      ...DEFAULT_LIMITS,
      slowmodeMs: 5000,
      maxMessageLength: 9000,
    });
  });

  it('let a channel default make a limit less generous than its group (more specific wins)', () => {
    const m = model({
      groups: [{ id: 'g', default_permissions: { max_message_length: 9000 } }],
      channels: [
        { id: 'c', group: 'g', default_permissions: { max_message_length: 10, slowmode_ms: 60_000 } },
      ],
    });
    expect(limits(m, member(), 'c')).toEqual({ ...DEFAULT_LIMITS, maxMessageLength: 10, slowmodeMs: 60_000 });
  });
});

describe('limits: the role level', () => {
  const m = model({
    roles: [
      role('long', { limits: { max_message_length: 8000 } }),
      role('longer', { limits: { max_message_length: 12000, slowmode_ms: 3000 } }),
      role('fast', { limits: { slowmode_ms: 0, burst: 100, rate_per_second: 50 } }),
      role('slow', { limits: { slowmode_ms: 9000, burst: 2, rate_per_second: 0.5 } }),
      role('plain'),
    ],
    groups: [{ id: 'g', default_permissions: { slowmode_ms: 5000, max_message_length: 100 } }],
    channels: [{ id: 'c', group: 'g' }],
  });

  it("replaces the channel's values with the role's, even when less generous", () => {
    expect(limits(m, member('slow'), 'c')).toEqual({
      maxMessageLength: 100,
      slowmodeMs: 9000,
      burst: 2,
      ratePerSecond: 0.5,
    });
    expect(limits(m, member('long'), 'c')).toEqual({
      ...DEFAULT_LIMITS,
      maxMessageLength: 8000,
      slowmodeMs: 5000,
    });
  });

  it('takes the most generous value among roles that set it: largest length, burst, rate; smallest slowmode', () => {
    expect(limits(m, member('long', 'longer', 'fast', 'slow'), 'c')).toEqual({
      maxMessageLength: 12000,
      slowmodeMs: 0,
      burst: 100,
      ratePerSecond: 50,
    });
    expect(limits(m, member('slow', 'longer'), 'c')).toEqual({
      maxMessageLength: 12000,
      slowmodeMs: 3000,
      burst: 2,
      ratePerSecond: 0.5,
    });
  });

  it('leaves out roles that set nothing (they do not bring the defaults back)', () => {
    expect(limits(m, member('plain', 'slow'), 'c')).toEqual(limits(m, member('slow'), 'c'));
    expect(limits(m, member('plain'), 'c')).toEqual(limits(m, member(), 'c'));
  });

  it('is independent of the order of the member’s roles and of role positions', () => {
    const reordered = model({
      ...m,
      roles: [...m.roles].reverse().map((r, i) => ({ ...r, position: i * 7 })),
    });
    const combos = [
      ['long', 'slow'],
      ['slow', 'long'],
      ['fast', 'longer', 'slow'],
      ['slow', 'fast', 'longer'],
    ];
    const results = combos.map((roles) => limits(reordered, member(...roles), 'c'));
    expect(results[1]).toEqual(results[0]);
    expect(results[3]).toEqual(results[2]);
    expect(results[0]).toEqual(limits(m, member('long', 'slow'), 'c'));
  });
});

describe('limits: overrides', () => {
  const m = model({
    roles: [role('a', { limits: { slowmode_ms: 0 } }), role('b'), role('c')],
    groups: [
      {
        id: 'g',
        default_permissions: { slowmode_ms: 5000 },
        overrides: [
          override('b', [], [], { slowmode_ms: 2000 }),
          override('c', [], [], { slowmode_ms: 1000 }),
        ],
      },
    ],
    channels: [
      { id: 'plain', group: 'g' },
      { id: 'strict', group: 'g', overrides: [override('a', [], [], { slowmode_ms: 30_000 })] },
      {
        id: 'long',
        group: 'g',
        overrides: [
          override('b', [], [], { max_message_length: 100 }),
          override('c', [], [], { max_message_length: 200 }),
        ],
      },
    ],
  });

  it("apply a group override's limits in its channels", () => {
    expect(limits(m, member('b'), 'plain').slowmodeMs).toBe(2000);
    expect(limits(m, member(), 'plain').slowmodeMs).toBe(5000);
  });

  it('take the most generous value among the member’s overrides at one level', () => {
    expect(limits(m, member('b', 'c'), 'plain').slowmodeMs).toBe(1000);
    expect(limits(m, member('c', 'b'), 'long').maxMessageLength).toBe(200);
  });

  it('replace the role level, and a channel override replaces a group override', () => {
    expect(limits(m, member('a'), 'plain').slowmodeMs).toBe(0);
    expect(limits(m, member('a'), 'strict').slowmodeMs).toBe(30_000);
    expect(limits(m, member('a', 'c'), 'strict').slowmodeMs).toBe(30_000);
  });

  it('keep a limit the overrides do not set', () => {
    expect(limits(m, member('b'), 'long')).toEqual({
      ...DEFAULT_LIMITS,
      slowmodeMs: 2000,
      maxMessageLength: 100,
    });
  });

  it('do not change the flood bucket, even when given one', () => {
    const sneaky = model({
      roles: [role('a')],
      groups: [{ id: 'g' }],
      channels: [
        {
          id: 'c',
          group: 'g',
          overrides: [
            { role: 'a', allow: [], deny: [], limits: { burst: 999, rate_per_second: 999 } as never },
          ],
        },
      ],
    });
    expect(limits(sneaky, member('a'), 'c')).toEqual(DEFAULT_LIMITS);
  });
});

describe('resolveConnectionLimits', () => {
  const m = model({
    roles: [
      role('fast', { limits: { burst: 100, rate_per_second: 40 } }),
      role('bursty', { limits: { burst: 200 } }),
      role('muted', { limits: { burst: 3, rate_per_second: 0.25 } }),
      role('long', { limits: { max_message_length: 9000 } }),
    ],
    groups: [{ id: 'g', default_permissions: { slowmode_ms: 100 } }],
    channels: [
      { id: 'c', group: 'g' },
      { id: 'd', group: 'g', overrides: [override('muted', [], [], { slowmode_ms: 1 })] },
    ],
  });

  it('are the server defaults for a member without roles (or with unknown ones)', () => {
    expect(resolveConnectionLimits(m, member())).toEqual({ burst: 30, ratePerSecond: 10 });
    expect(resolveConnectionLimits(m, member('nope', 'long'))).toEqual({ burst: 30, ratePerSecond: 10 });
  });

  it('take each value from the most generous role that sets it', () => {
    expect(resolveConnectionLimits(m, member('muted'))).toEqual({ burst: 3, ratePerSecond: 0.25 });
    expect(resolveConnectionLimits(m, member('muted', 'bursty'))).toEqual({
      burst: 200,
      ratePerSecond: 0.25,
    });
    expect(resolveConnectionLimits(m, member('fast', 'bursty', 'muted'))).toEqual({
      burst: 200,
      ratePerSecond: 40,
    });
  });

  it('equal the bucket in every channel’s resolved limits', () => {
    for (const who of [member(), member('muted'), member('fast', 'bursty'), ROOT]) {
      const bucket = resolveConnectionLimits(m, who);
      for (const channel of ['c', 'd']) {
        const resolved = limits(m, who, channel);
        expect({ burst: resolved.burst, ratePerSecond: resolved.ratePerSecond }).toEqual(bucket);
      }
    }
  });

  it('give roots the largest bucket in the model', () => {
    expect(resolveConnectionLimits(m, ROOT)).toEqual({ burst: 200, ratePerSecond: 40 });
  });
});

describe('mostGenerousLimits and roots', () => {
  it('are the defaults, without slowmode, in a model that sets nothing else', () => {
    const m = model({
      defaults: {
        permissions: { ...DEFAULT_CHANNEL_FLAGS, view: true, write: true, moderate: false, manage: false },
        limits: { maxMessageLength: 300, slowmodeMs: 7000, burst: 4, ratePerSecond: 2 },
      },
      groups: [{ id: 'g' }],
      channels: [{ id: 'c', group: 'g' }],
    });
    expect(mostGenerousLimits(m)).toEqual({
      maxMessageLength: 300,
      slowmodeMs: 0,
      burst: 4,
      ratePerSecond: 2,
    });
    expect(limits(m, ROOT, 'c')).toEqual(mostGenerousLimits(m));
  });

  it.each([
    [
      'a role',
      { roles: [role('r', { limits: { max_message_length: 9000, burst: 77, rate_per_second: 33 } })] },
      { maxMessageLength: 9000, slowmodeMs: 0, burst: 77, ratePerSecond: 33 },
    ],
    [
      "a group's default_permissions",
      { groups: [{ id: 'g', default_permissions: { max_message_length: 9000 } }] },
      { maxMessageLength: 9000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
    ],
    [
      "a channel's default_permissions",
      { channels: [{ id: 'c', group: 'g', default_permissions: { max_message_length: 9000 } }] },
      { maxMessageLength: 9000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
    ],
    [
      "a group's override",
      { groups: [{ id: 'g', overrides: [override('r', [], [], { max_message_length: 9000 })] }] },
      { maxMessageLength: 9000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
    ],
    [
      "a channel's override",
      {
        channels: [{ id: 'c', group: 'g', overrides: [override('r', [], [], { max_message_length: 9000 })] }],
      },
      { maxMessageLength: 9000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
    ],
  ] satisfies [string, Partial<PermissionModel>, EffectiveLimits][])(
    'take the largest values set by %s',
    (_where, parts, expected) => {
      const m = model({ groups: [{ id: 'g' }], channels: [{ id: 'c', group: 'g' }], ...parts });
      expect(mostGenerousLimits(m)).toEqual(expected);
      expect(limits(m, ROOT, 'c')).toEqual(expected);
    },
  );

  it('never take a smaller value than the defaults, and ignore slowmodes and flags', () => {
    const m = model({
      roles: [
        role('r', { limits: { max_message_length: 10, burst: 1, rate_per_second: 0.1, slowmode_ms: 5 } }),
      ],
      groups: [{ id: 'g', default_permissions: { view: false, slowmode_ms: 99 } }],
      channels: [{ id: 'c', group: 'g', overrides: [override('r', ['view'])] }],
    });
    expect(mostGenerousLimits(m)).toEqual({ ...DEFAULT_LIMITS, slowmodeMs: 0 });
  });

  it('bound every member’s resolved limits', () => {
    const m = model({
      roles: [role('a', { limits: { max_message_length: 6000 } }), role('b', { limits: { burst: 50 } })],
      groups: [{ id: 'g', overrides: [override('a', [], [], { max_message_length: 7000 })] }],
      channels: [{ id: 'c', group: 'g', default_permissions: { slowmode_ms: 100 } }],
    });
    const top = mostGenerousLimits(m);
    for (const who of [member(), member('a'), member('b'), member('a', 'b')]) {
      const resolved = limits(m, who, 'c');
      expect(resolved.maxMessageLength).toBeLessThanOrEqual(top.maxMessageLength);
      expect(resolved.burst).toBeLessThanOrEqual(top.burst);
      expect(resolved.ratePerSecond).toBeLessThanOrEqual(top.ratePerSecond);
      expect(resolved.slowmodeMs).toBeGreaterThanOrEqual(top.slowmodeMs);
    }
    expect(top).toEqual({ maxMessageLength: 7000, slowmodeMs: 0, burst: 50, ratePerSecond: 10 });
  });

  it('are computed per model object', () => {
    const small = model();
    const large = model({ roles: [role('r', { limits: { burst: 1000 } })] });
    expect(mostGenerousLimits(small).burst).toBe(30);
    expect(mostGenerousLimits(large).burst).toBe(1000);
    expect(mostGenerousLimits(small).burst).toBe(30);
  });
});
