import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { resolvePermissions } from '@mpqcht/permissions';

import { parseCommunityConfig } from './load-community-config';

/**
 * docs/protocol.md's examples name channels a reader can try on a fresh install: every `channelId`
 * in them is a channel of the repository's default config.toml where members may write.
 */
const root = path.join(__dirname, '../../../..');
const markdown = readFileSync(path.join(root, 'docs/protocol.md'), 'utf8');

describe('docs/protocol.md examples', () => {
  const config = parseCommunityConfig(readFileSync(path.join(root, 'config.toml'), 'utf8'), 'config.toml');
  const named = [...markdown.matchAll(/channelId: '([^']+)'/g)].map((m) => m[1] ?? '');

  it('name at least one channel', () => {
    expect(named.length).toBeGreaterThan(0);
  });

  it.each(named)(
    'use %s, a channel of the default config.toml where a member without roles writes',
    (channelId) => {
      expect(config.channels.map((c) => c.id)).toContain(channelId);
      expect(
        resolvePermissions(config.permissions, { isRoot: false, roles: [] }, channelId)?.flags.write,
      ).toBe(true);
    },
  );
});
