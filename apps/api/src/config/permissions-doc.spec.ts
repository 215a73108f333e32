import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { resolveConnectionLimits, resolvePermissions } from '@mpqcht/permissions';

import { parseCommunityConfig } from './load-community-config';

/**
 * docs/permissions.md's worked example, end to end: its config.toml snippet goes through the real
 * loader, and every cell of its tables must be what the resulting model resolves to. (libs/permissions
 * checks the same tables against a hand-built model.)
 */
const markdown = readFileSync(path.join(__dirname, '../../../../docs/permissions.md'), 'utf8');

function afterMarker(name: string): string[] {
  const marker = `<!-- worked-example:${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`docs/permissions.md has no ${marker}`);
  const lines = markdown
    .slice(at + marker.length)
    .split('\n')
    .map((line) => line.trim());
  return lines.slice(lines.findIndex((line) => line !== ''));
}

function table(name: string): Record<string, string>[] {
  const lines = afterMarker(name);
  const rows = lines
    .slice(
      0,
      lines.findIndex((line) => !line.startsWith('|')),
    )
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
  const [header = [], , ...body] = rows;
  return body.map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i] ?? ''])));
}

function yesNo(cell: string | undefined): boolean {
  if (cell !== 'yes' && cell !== 'no') throw new Error(`expected yes or no, got ${String(cell)}`);
  return cell === 'yes';
}

function num(cell: string | undefined): number {
  const value = Number(cell);
  if (!cell || !Number.isFinite(value)) throw new Error(`expected a number, got ${String(cell)}`);
  return value;
}

const snippet = afterMarker('config');
const toml = snippet.slice(1, snippet.indexOf('```', 1)).join('\n');
const members = new Map(
  table('members').map((row) => [
    row['member'] ?? '',
    {
      isRoot: yesNo(row['root']),
      roles: (row['roles'] ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    },
  ]),
);

function member(name: string | undefined) {
  const found = members.get(name ?? '');
  if (!found) throw new Error(`${String(name)} is not in the members table`);
  return found;
}

describe('docs/permissions.md worked example through config.toml', () => {
  const config = parseCommunityConfig(toml, 'config.toml');
  const rows = table('channels');

  it('is a valid config.toml with two groups, three channels and three roles', () => {
    expect(snippet[0]).toBe('```toml');
    expect(config.groups.map((g) => g.id)).toEqual(['news', 'community']);
    expect(config.channels.map((c) => c.id)).toEqual(['announcements', 'general', 'appeals']);
    expect(config.roles.map((r) => r.id)).toEqual(['moderator', 'regular', 'muted']);
    expect(rows).toHaveLength(members.size * config.channels.length);
  });

  it.each(rows.map((row) => [row['member'], row['channel'], row] as const))(
    '%s in %s',
    (name, channel, row) => {
      const resolved = resolvePermissions(config.permissions, member(name), channel ?? '');
      // The example's table has the text flags; the voice flags have their own cases.
      const flags = resolved && {
        view: resolved.flags.view,
        write: resolved.flags.write,
        moderate: resolved.flags.moderate,
        manage: resolved.flags.manage,
      };
      expect(flags).toEqual({
        view: yesNo(row['view']),
        write: yesNo(row['write']),
        moderate: yesNo(row['moderate']),
        manage: yesNo(row['manage']),
      });
      expect(resolved?.limits.maxMessageLength).toBe(num(row['max_message_length']));
      expect(resolved?.limits.slowmodeMs).toBe(num(row['slowmode_ms']));
    },
  );

  it.each(table('connection').map((row) => [row['member'], row] as const))(
    '%s’s flood bucket',
    (name, row) => {
      expect(resolveConnectionLimits(config.permissions, member(name))).toEqual({
        burst: num(row['burst']),
        ratePerSecond: num(row['rate_per_second']),
      });
    },
  );
});
