import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { override, role } from '../testing/model';
import { exampleMembers, exampleTable, number, yesNo } from '../testing/worked-example';
import { DEFAULT_CHANNEL_FLAGS, type PermissionModel } from './model';
import { resolveConnectionLimits, resolvePermissions } from './resolve';

/**
 * The worked example of docs/permissions.md, table by table: the model below is its config.toml
 * snippet (the api's config tests check that the snippet itself resolves the same), and every cell
 * of the doc's tables is compared with what the library computes.
 */
const markdown = readFileSync(path.join(__dirname, '../../../../docs/permissions.md'), 'utf8');

const EXAMPLE: PermissionModel = {
  defaults: {
    permissions: DEFAULT_CHANNEL_FLAGS,
    limits: { maxMessageLength: 4000, slowmodeMs: 0, burst: 30, ratePerSecond: 10 },
  },
  roles: [
    role('moderator', {
      name: 'Moderator',
      color: '#e67e22',
      position: 20,
      permissions: ['moderate', 'kick', 'view_audit_log'],
      limits: { max_message_length: 8000, slowmode_ms: 0 },
    }),
    role('regular', {
      name: 'Regular',
      color: '#2ecc71',
      position: 10,
      limits: { burst: 60, rate_per_second: 20 },
    }),
    role('muted', { name: 'Muted', position: 0, limits: { burst: 5, rate_per_second: 0.5 } }),
  ],
  groups: [
    {
      id: 'news',
      default_permissions: { write: false },
      overrides: [override('moderator', ['write']), override('muted', [], ['write'])],
    },
    {
      id: 'community',
      default_permissions: { slowmode_ms: 5000 },
      overrides: [override('muted', [], ['write']), override('regular', [], [], { slowmode_ms: 1000 })],
    },
  ],
  channels: [
    { id: 'announcements', group: 'news' },
    { id: 'general', group: 'community' },
    {
      id: 'appeals',
      group: 'community',
      default_permissions: { view: false },
      overrides: [override('muted', ['view', 'write']), override('moderator', ['view', 'manage'])],
    },
  ],
};

const members = exampleMembers(markdown);
const channelRows = exampleTable(markdown, 'channels');
const connectionRows = exampleTable(markdown, 'connection');

function who(name: string | undefined) {
  const found = members.get(name ?? '');
  if (!found) throw new Error(`member ${String(name)} is not in the members table`);
  return found;
}

describe('docs/permissions.md worked example', () => {
  it('has a row for every member in every channel, and a bucket per member', () => {
    expect([...members.keys()]).toEqual(['ada', 'bo', 'cy', 'root']);
    expect(channelRows.map((row) => `${row['member'] ?? ''}/${row['channel'] ?? ''}`).sort()).toEqual(
      [...members.keys()].flatMap((m) => EXAMPLE.channels.map((c) => `${m}/${c.id}`)).sort(),
    );
    expect(connectionRows.map((row) => row['member'])).toEqual([...members.keys()]);
  });

  it.each(channelRows.map((row) => [row['member'], row['channel'], row] as const))(
    '%s in %s',
    (name, channel, row) => {
      const resolved = resolvePermissions(EXAMPLE, who(name), channel ?? '');
      if (!resolved) throw new Error(`no channel ${String(channel)}`);
      // The example is about text channels: its table has the text flags (voice flags: resolve.spec.ts).
      const { view, write, moderate, manage } = resolved.flags;
      expect({ flags: { view, write, moderate, manage }, limits: resolved.limits }).toEqual({
        flags: {
          view: yesNo(row['view']),
          write: yesNo(row['write']),
          moderate: yesNo(row['moderate']),
          manage: yesNo(row['manage']),
        },
        limits: {
          maxMessageLength: number(row['max_message_length']),
          slowmodeMs: number(row['slowmode_ms']),
          ...resolveConnectionLimits(EXAMPLE, who(name)),
        },
      });
    },
  );

  it.each(connectionRows.map((row) => [row['member'], row] as const))('%s’s flood bucket', (name, row) => {
    expect(resolveConnectionLimits(EXAMPLE, who(name))).toEqual({
      burst: number(row['burst']),
      ratePerSecond: number(row['rate_per_second']),
    });
  });
});
