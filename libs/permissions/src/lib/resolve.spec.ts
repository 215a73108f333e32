import { member, model, NOTHING, override, role, ROOT } from '../testing/model';
import { CHANNEL_FLAGS, type ChannelFlag, DEFAULT_CHANNEL_FLAGS, type PermissionModel } from './model';
import { can, canView, resolvePermissions, visibleChannels } from './resolve';

function allFlags(m: PermissionModel, who: ReturnType<typeof member>, channelId: string) {
  const resolved = resolvePermissions(m, who, channelId);
  if (!resolved) throw new Error(`no channel ${channelId}`);
  return resolved.flags;
}

/** The text flags, which most cases are about (the voice flags have their own cases below). */
function flags(m: PermissionModel, who: ReturnType<typeof member>, channelId: string) {
  const { view, write, moderate, manage } = allFlags(m, who, channelId);
  return { view, write, moderate, manage };
}

const ROLES = [role('a'), role('b'), role('c')];

describe('resolvePermissions: defaults and inheritance', () => {
  it('gives everyone the server defaults where nothing else is said: view and write', () => {
    const m = model({ groups: [{ id: 'g' }], channels: [{ id: 'c', group: 'g' }] });
    expect(flags(m, member(), 'c')).toEqual({ view: true, write: true, moderate: false, manage: false });
  });

  it('starts from the model server defaults, not the built-in ones', () => {
    const m = model({
      defaults: {
        permissions: { ...DEFAULT_CHANNEL_FLAGS, view: true, write: false, moderate: false, manage: true },
        limits: { maxMessageLength: 10, slowmodeMs: 0, burst: 1, ratePerSecond: 1 },
      },
      groups: [{ id: 'g' }],
      channels: [{ id: 'c', group: 'g' }],
    });
    expect(flags(m, member(), 'c')).toEqual({ view: true, write: false, moderate: false, manage: true });
  });

  it("inherits the group's default_permissions into each of its channels", () => {
    const m = model({
      groups: [
        { id: 'news', default_permissions: { write: false } },
        { id: 'other', default_permissions: { manage: true } },
      ],
      channels: [
        { id: 'a', group: 'news' },
        { id: 'b', group: 'news' },
        { id: 'c', group: 'other' },
      ],
    });
    expect(flags(m, member(), 'a')).toEqual({ view: true, write: false, moderate: false, manage: false });
    expect(flags(m, member(), 'b')).toEqual({ view: true, write: false, moderate: false, manage: false });
    expect(flags(m, member(), 'c')).toEqual({ view: true, write: true, moderate: false, manage: true });
  });

  it("lets a channel's default_permissions replace its group's, only for the flags it mentions", () => {
    const m = model({
      groups: [{ id: 'g', default_permissions: { write: false, manage: true } }],
      channels: [
        { id: 'open', group: 'g', default_permissions: { write: true } },
        { id: 'plain', group: 'g' },
      ],
    });
    expect(flags(m, member(), 'open')).toEqual({ view: true, write: true, moderate: false, manage: true });
    expect(flags(m, member(), 'plain')).toEqual({ view: true, write: false, moderate: false, manage: true });
  });

  it('ignores flags a default_permissions leaves undefined', () => {
    const m = model({
      groups: [{ id: 'g', default_permissions: { write: undefined } }],
      channels: [{ id: 'c', group: 'g', default_permissions: { view: undefined } }],
    });
    expect(flags(m, member(), 'c')).toEqual({ view: true, write: true, moderate: false, manage: false });
  });

  it('inherits nothing from a group the model does not have', () => {
    const m = model({
      groups: [{ id: 'g', default_permissions: { view: false }, overrides: [override('a', [], ['write'])] }],
      roles: ROLES,
      channels: [{ id: 'c', group: 'missing' }],
    });
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: true, moderate: false, manage: false });
  });
});

describe('resolvePermissions: overrides', () => {
  it("applies a group's role overrides in each of its channels, only for members with the role", () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', overrides: [override('a', ['manage'], ['write'])] }],
      channels: [
        { id: 'c1', group: 'g' },
        { id: 'c2', group: 'g' },
      ],
    });
    for (const c of ['c1', 'c2']) {
      expect(flags(m, member('a'), c)).toEqual({ view: true, write: false, moderate: false, manage: true });
      expect(flags(m, member('b'), c)).toEqual({ view: true, write: true, moderate: false, manage: false });
    }
  });

  it('applies overrides after all defaults: a channel default does not undo a group override', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', overrides: [override('a', [], ['write'])] }],
      channels: [{ id: 'c', group: 'g', default_permissions: { write: true } }],
    });
    expect(flags(m, member('a'), 'c').write).toBe(false);
    expect(flags(m, member(), 'c').write).toBe(true);
  });

  it("lets a channel's overrides win over its group's, both ways", () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', overrides: [override('a', ['manage'], ['write'])] }],
      channels: [
        { id: 'c', group: 'g', overrides: [override('a', ['write'], ['manage'])] },
        { id: 'sibling', group: 'g' },
      ],
    });
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: true, moderate: false, manage: false });
    expect(flags(m, member('a'), 'sibling')).toEqual({
      view: true,
      write: false,
      moderate: false,
      manage: true,
    });
  });

  it('re-allows at the channel level what a group override denied (through another role)', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', overrides: [override('a', [], ['write'])] }],
      channels: [{ id: 'c', group: 'g', overrides: [override('b', ['write'])] }],
    });
    expect(flags(m, member('a', 'b'), 'c').write).toBe(true);
    expect(flags(m, member('a'), 'c').write).toBe(false);
  });

  it('re-allows in an override what the defaults denied, e.g. a hidden channel for one role', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'staff', default_permissions: { view: false } }],
      channels: [{ id: 'mods', group: 'staff', overrides: [override('a', ['view'])] }],
    });
    expect(flags(m, member('a'), 'mods')).toEqual({
      view: true,
      write: true,
      moderate: false,
      manage: false,
    });
    expect(flags(m, member('b'), 'mods')).toEqual(NOTHING);
  });

  describe('deny beats allow at the same level, across the member’s roles', () => {
    it.each<[string, 'group' | 'channel']>([
      ['group', 'group'],
      ['channel', 'channel'],
    ])('at the %s level', (_name, level) => {
      const overrides = [override('a', ['write', 'manage']), override('b', [], ['write'])];
      const m = model({
        roles: ROLES,
        groups: [
          { id: 'g', default_permissions: { write: false }, ...(level === 'group' ? { overrides } : {}) },
        ],
        channels: [{ id: 'c', group: 'g', ...(level === 'channel' ? { overrides } : {}) }],
      });
      expect(flags(m, member('a', 'b'), 'c')).toEqual({
        view: true,
        write: false,
        moderate: false,
        manage: true,
      });
      expect(flags(m, member('b', 'a'), 'c')).toEqual({
        view: true,
        write: false,
        moderate: false,
        manage: true,
      });
      expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: true, moderate: false, manage: true });
    });

    it('also within one override that both allows and denies a flag', () => {
      const m = model({
        roles: ROLES,
        groups: [{ id: 'g' }],
        channels: [{ id: 'c', group: 'g', overrides: [override('a', ['manage'], ['manage'])] }],
      });
      expect(flags(m, member('a'), 'c').manage).toBe(false);
    });
  });

  it('unions the allows of several roles at one level', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g' }],
      channels: [
        { id: 'c', group: 'g', overrides: [override('a', ['manage']), override('b', ['moderate'])] },
      ],
    });
    expect(flags(m, member('a', 'b'), 'c')).toEqual({
      view: true,
      write: true,
      moderate: true,
      manage: true,
    });
  });

  it('lets several overrides for the same role at one level add up', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g' }],
      channels: [
        { id: 'c', group: 'g', overrides: [override('a', ['manage']), override('a', [], ['write'])] },
      ],
    });
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: false, moderate: false, manage: true });
  });

  it('keeps a flag that no override of the member mentions', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', default_permissions: { manage: true } }],
      channels: [
        { id: 'c', group: 'g', overrides: [override('a', [], ['write']), override('b', [], ['manage'])] },
      ],
    });
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: false, moderate: false, manage: true });
  });

  it('treats an override with empty allow and deny as saying nothing about flags', () => {
    const m = model({
      roles: ROLES,
      groups: [{ id: 'g', default_permissions: { write: false } }],
      channels: [{ id: 'c', group: 'g', overrides: [override('a')] }],
    });
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: false, moderate: false, manage: false });
  });
});

describe('resolvePermissions: the server permission moderate', () => {
  const m = model({
    roles: [role('mod', { permissions: ['moderate'] }), role('kicker', { permissions: ['kick', 'ban'] })],
    groups: [{ id: 'g', default_permissions: { moderate: false } }],
    channels: [
      { id: 'c', group: 'g' },
      { id: 'not-here', group: 'g', overrides: [override('mod', [], ['moderate'])] },
      { id: 'hidden', group: 'g', default_permissions: { view: false } },
    ],
  });

  it('grants the channel flag moderate wherever the member can view, despite defaults', () => {
    expect(flags(m, member('mod'), 'c')).toEqual({ view: true, write: true, moderate: true, manage: false });
  });

  it('is not granted by other server permissions', () => {
    expect(flags(m, member('kicker'), 'c').moderate).toBe(false);
  });

  it('can be denied by an override', () => {
    expect(flags(m, member('mod'), 'not-here').moderate).toBe(false);
  });

  it('does not reveal a channel the member cannot view', () => {
    expect(flags(m, member('mod'), 'hidden')).toEqual(NOTHING);
  });
});

describe('resolvePermissions: the view gate', () => {
  it.each(CHANNEL_FLAGS.filter((f) => f !== 'view'))(
    'turns %s off where the member cannot view, even when allowed',
    (flag: ChannelFlag) => {
      const m = model({
        roles: ROLES,
        groups: [{ id: 'g', default_permissions: { [flag]: true } }],
        channels: [{ id: 'c', group: 'g', overrides: [override('a', [flag], ['view'])] }],
      });
      expect(flags(m, member('a'), 'c')).toEqual(NOTHING);
    },
  );

  it('applies to a server default of view = false', () => {
    const m = model({
      defaults: {
        permissions: { ...DEFAULT_CHANNEL_FLAGS, view: false, write: true, moderate: false, manage: false },
        limits: { maxMessageLength: 1, slowmodeMs: 0, burst: 1, ratePerSecond: 1 },
      },
      groups: [{ id: 'g' }],
      channels: [{ id: 'c', group: 'g' }],
    });
    expect(flags(m, member(), 'c')).toEqual(NOTHING);
  });
});

describe('resolvePermissions: members and roots', () => {
  const m = model({
    roles: [role('a', { permissions: ['moderate'] }), role('b')],
    groups: [
      { id: 'g', default_permissions: { view: false }, overrides: [override('a', ['view'], ['write'])] },
    ],
    channels: [{ id: 'c', group: 'g', overrides: [override('b', [], ['view'])] }],
  });

  it('treats a member with no roles as everyone', () => {
    expect(flags(m, member(), 'c')).toEqual(NOTHING);
  });

  it('ignores role ids the model does not know', () => {
    expect(flags(m, member('ghost'), 'c')).toEqual(flags(m, member(), 'c'));
    expect(flags(m, member('ghost', 'a', 'phantom'), 'c')).toEqual(flags(m, member('a'), 'c'));
    expect(flags(m, member('a'), 'c')).toEqual({ view: true, write: false, moderate: true, manage: false });
  });

  it('ignores a held role id the model does not define, even where an override names it', () => {
    const dangling = model({
      roles: [role('a')],
      groups: [{ id: 'g', overrides: [override('gone', [], ['write'])] }],
      channels: [{ id: 'c', group: 'g', overrides: [override('gone', ['manage'], ['view'])] }],
    });
    expect(flags(dangling, member('gone'), 'c')).toEqual({
      view: true,
      write: true,
      moderate: false,
      manage: false,
    });
  });

  it('counts a role held twice once', () => {
    expect(flags(m, member('a', 'a'), 'c')).toEqual(flags(m, member('a'), 'c'));
  });

  it('gives roots every flag, whatever the overrides say, and ignores their roles', () => {
    expect(flags(m, ROOT, 'c')).toEqual({ view: true, write: true, moderate: true, manage: true });
    expect(flags(m, { isRoot: true, roles: ['b'] }, 'c')).toEqual({
      view: true,
      write: true,
      moderate: true,
      manage: true,
    });
  });

  it('returns null for an unknown channel id, for members and roots alike', () => {
    expect(resolvePermissions(m, member('a'), 'nope')).toBeNull();
    expect(resolvePermissions(m, ROOT, 'nope')).toBeNull();
    expect(resolvePermissions(m, member(), 'g')).toBeNull(); // a group id is not a channel id
  });

  it('returns null for any channel of an empty model', () => {
    expect(resolvePermissions(model(), ROOT, 'c')).toBeNull();
  });

  it('returns a fresh result each time, so a caller cannot change the next one', () => {
    const first = resolvePermissions(m, member('a'), 'c');
    (first?.flags as Record<ChannelFlag, boolean>).manage = true;
    expect(resolvePermissions(m, member('a'), 'c')?.flags.manage).toBe(false);
  });
});

describe('can, canView and visibleChannels', () => {
  const m = model({
    roles: ROLES,
    groups: [
      { id: 'public' },
      { id: 'staff', default_permissions: { view: false }, overrides: [override('a', ['view'])] },
    ],
    channels: [
      { id: 'lobby', group: 'public' },
      { id: 'news', group: 'public', default_permissions: { write: false } },
      { id: 'mods', group: 'staff' },
      { id: 'secret', group: 'staff', overrides: [override('a', [], ['view'])] },
      { id: 'banished', group: 'public', overrides: [override('b', [], ['view'])] },
    ],
  });

  it('answers one flag', () => {
    expect(can(m, member(), 'lobby', 'write')).toBe(true);
    expect(can(m, member(), 'news', 'write')).toBe(false);
    expect(can(m, member(), 'news', 'view')).toBe(true);
    expect(can(m, member('a'), 'mods', 'write')).toBe(true);
    expect(can(m, member(), 'mods', 'write')).toBe(false);
  });

  it('answers false for an unknown channel, even for a root', () => {
    expect(can(m, ROOT, 'nope', 'view')).toBe(false);
    expect(canView(m, ROOT, 'nope')).toBe(false);
  });

  it('canView follows the view flag', () => {
    expect(canView(m, member(), 'lobby')).toBe(true);
    expect(canView(m, member(), 'mods')).toBe(false);
    expect(canView(m, member('a'), 'mods')).toBe(true);
    expect(canView(m, member('a'), 'secret')).toBe(false);
  });

  it('lists the visible channels in model order', () => {
    expect(visibleChannels(m, member())).toEqual(['lobby', 'news', 'banished']);
    expect(visibleChannels(m, member('a'))).toEqual(['lobby', 'news', 'mods', 'banished']);
    expect(visibleChannels(m, member('b'))).toEqual(['lobby', 'news']);
    expect(visibleChannels(m, member('a', 'b'))).toEqual(['lobby', 'news', 'mods']);
    expect(visibleChannels(m, ROOT)).toEqual(['lobby', 'news', 'mods', 'secret', 'banished']);
    expect(visibleChannels(model(), ROOT)).toEqual([]);
  });

  it('agrees with resolvePermissions for every member and channel', () => {
    const members = [member(), member('a'), member('b'), member('a', 'b', 'c'), member('zzz'), ROOT];
    for (const who of members) {
      for (const channel of m.channels) {
        for (const flag of CHANNEL_FLAGS) {
          expect(can(m, who, channel.id, flag)).toBe(resolvePermissions(m, who, channel.id)?.flags[flag]);
        }
      }
    }
  });
});

describe('resolvePermissions: the voice flags', () => {
  const voice = (m: PermissionModel, who: ReturnType<typeof member>, channelId: string) => {
    const { connect, speak, video, screen_share, mute_members, move_members } = allFlags(m, who, channelId);
    return { connect, speak, video, screen_share, mute_members, move_members };
  };

  it('let everyone connect, speak, show video and share a screen by default, and no one moderate', () => {
    const m = model({ groups: [{ id: 'g' }], channels: [{ id: 'v', group: 'g' }] });
    expect(voice(m, member(), 'v')).toEqual({
      connect: true,
      speak: true,
      video: true,
      screen_share: true,
      mute_members: false,
      move_members: false,
    });
    expect(Object.values(voice(m, ROOT, 'v'))).toEqual([true, true, true, true, true, true]);
  });

  it('follow group and channel overrides like the text flags, deny beating allow', () => {
    const m = model({
      roles: [role('guest'), role('mod'), role('muted')],
      groups: [
        {
          id: 'g',
          default_permissions: { speak: false },
          overrides: [
            override('mod', ['speak', 'mute_members', 'move_members']),
            override('guest', [], ['connect']),
          ],
        },
      ],
      channels: [
        { id: 'stage', group: 'g', overrides: [override('muted', [], ['speak', 'video'])] },
        { id: 'lounge', group: 'g', default_permissions: { speak: true } },
      ],
    });
    expect(voice(m, member(), 'stage')).toMatchObject({ connect: true, speak: false, mute_members: false });
    expect(voice(m, member('mod'), 'stage')).toMatchObject({
      speak: true,
      mute_members: true,
      move_members: true,
    });
    expect(voice(m, member('guest'), 'lounge')).toMatchObject({ connect: false, speak: true });
    // Deny at the channel beats the group's allow for a member holding both roles.
    expect(voice(m, member('mod', 'muted'), 'stage')).toMatchObject({
      speak: false,
      video: false,
      mute_members: true,
    });
  });

  it('are all off where the member cannot view the channel', () => {
    const m = model({
      roles: [role('mod')],
      groups: [{ id: 'g' }],
      channels: [
        {
          id: 'secret',
          group: 'g',
          default_permissions: { view: false },
          overrides: [override('mod', ['connect', 'speak', 'mute_members'])],
        },
      ],
    });
    expect(Object.values(voice(m, member('mod'), 'secret'))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
