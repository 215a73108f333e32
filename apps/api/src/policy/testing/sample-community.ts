import { AppConfig } from '../../config/app-config';
import { loadEnv } from '../../config/env';
import { parseCommunityConfig } from '../../config/load-community-config';
import type { ThreadDirectory } from '../../streams/thread-directory';
import type { ThreadRecord } from '../../streams/thread-record';
import { type Actor, ChannelPolicy } from '../channel-policy';

/**
 * A small community for the policy and guard specs: `lobby` (everyone writes; `mod` moderates;
 * 100 code points), `announcements` (read-only except for `writer`), `staff-room` (hidden except
 * from `staff`, whose messages may be 2000 long), and `admin` with `manage_members`.
 */
export const SAMPLE_TOML = `
[server]
name = "sample"

[limits]
max_message_length = 300

[[roles]]
id = "writer"
name = "Writer"

[[roles]]
id = "staff"
name = "Staff"
limits = { max_message_length = 2000 }

[[roles]]
id = "admin"
name = "Admin"
permissions = ["manage_members"]

[[roles]]
id = "mod"
name = "Mod"

[[groups]]
id = "general"
name = "General"

[[groups]]
id = "staff"
name = "Staff"

[[channels]]
id = "lobby"
name = "lobby"
group = "general"
default_permissions = { max_message_length = 100 }

[[channels.overrides]]
role = "mod"
allow = ["moderate"]

[[channels]]
id = "announcements"
name = "announcements"
group = "general"
default_permissions = { write = false }

[[channels.overrides]]
role = "writer"
allow = ["write"]

[[channels]]
id = "staff-room"
name = "staff-room"
group = "staff"
default_permissions = { view = false }

[[channels.overrides]]
role = "staff"
allow = ["view"]
`;

export function samplePolicy(toml = SAMPLE_TOML): { config: AppConfig; policy: ChannelPolicy } {
  const config = new AppConfig(loadEnv({}), parseCommunityConfig(toml, 'config.toml'));
  return { config, policy: new ChannelPolicy(config) };
}

export function actor(name: string, ...roles: string[]): Actor {
  return { publicKey: `key-of-${name}`, isRoot: false, roles };
}

export const ROOT: Actor = { publicKey: 'key-of-root', isRoot: true, roles: [] };

/** A ThreadDirectory that knows these threads (none by default) without a database. */
export function threadsOf(...records: ThreadRecord[]): ThreadDirectory {
  const byStream = new Map(records.map((record) => [record.streamId, record]));
  const fake: Pick<ThreadDirectory, 'find'> = {
    find: (streamId) => Promise.resolve(byStream.get(streamId) ?? null),
  };
  return fake as ThreadDirectory;
}

export const noThreads = (): ThreadDirectory => threadsOf();
