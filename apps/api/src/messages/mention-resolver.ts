import { Injectable } from '@nestjs/common';

import { Sql } from '../database/sql';
import type { MemberRosterListener } from '../members/member-roster-events';
import { findMentions, mayMention, MemberNames } from './mentions';

type Change = (names: MemberNames) => void;

/**
 * Resolves the mentions of a message's content to public keys, from an in-memory copy of the joined
 * members' names. The copy is loaded from the members table on the first message that contains an
 * `@`, and kept current by MemberRosterEvents (MembersService reports every join and revocation there): a message
 * without `@` costs nothing, one with `@` costs no query once the names are loaded.
 */
@Injectable()
export class MentionResolver implements MemberRosterListener {
  private names: MemberNames | null = null;
  private loading: Promise<MemberNames> | null = null;
  /** Changes reported while the load runs, applied to its result (the query may predate them). */
  private changesDuringLoad: Change[] | null = null;

  constructor(private readonly sql: Sql) {}

  /** Public keys of the joined members that `content` mentions (see `findMentions`). */
  async resolve(content: string): Promise<string[]> {
    if (!mayMention(content)) return [];
    const names = this.names ?? (await this.load());
    return findMentions(content, names);
  }

  /** A member joined (or joined again): mentions of the name resolve to the key from now on. */
  memberJoined(publicKey: string, displayName: string): void {
    this.change((names) => {
      names.set(publicKey, displayName);
    });
  }

  /** A key was revoked: its name is no longer a mention. */
  memberRemoved(publicKey: string): void {
    this.change((names) => {
      names.remove(publicKey);
    });
  }

  private change(change: Change): void {
    if (this.names) change(this.names);
    this.changesDuringLoad?.push(change);
  }

  private load(): Promise<MemberNames> {
    this.loading ??= this.fetch().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async fetch(): Promise<MemberNames> {
    const changes: Change[] = [];
    this.changesDuringLoad = changes;
    try {
      const rows = await this.sql.rows<{ public_key: string; display_name: string }>(
        'SELECT public_key, display_name FROM members WHERE display_name IS NOT NULL AND joined_at IS NOT NULL',
      );
      const names = new MemberNames();
      for (const row of rows) names.set(row.public_key, row.display_name);
      // Each change sets an absolute state, so replaying one the query already saw is harmless.
      for (const change of changes) change(names);
      this.names = names;
      return names;
    } finally {
      this.changesDuringLoad = null;
    }
  }
}
