import type { Sql } from '../database/sql';
import { MentionResolver } from './mention-resolver';

interface MemberRow {
  public_key: string;
  display_name: string;
}

/** A fake `Sql` whose queries wait until the test answers them, so a test can act in between. */
class FakeSql {
  readonly queries: string[] = [];
  private readonly pending: { resolve: (rows: MemberRow[]) => void; reject: (error: Error) => void }[] = [];

  rows(text: string): Promise<MemberRow[]> {
    this.queries.push(text);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  answer(rows: MemberRow[]): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no query is waiting');
    next.resolve(rows);
  }

  fail(error: Error): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no query is waiting');
    next.reject(error);
  }
}

const ROWS: MemberRow[] = [
  { public_key: 'key-ada', display_name: 'Ada' },
  { public_key: 'key-bob', display_name: 'Bob' },
];

/** Lets the resolver's pending promise callbacks run. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('MentionResolver', () => {
  let sql: FakeSql;
  let resolver: MentionResolver;

  beforeEach(() => {
    sql = new FakeSql();
    resolver = new MentionResolver(sql as unknown as Sql);
  });

  async function loaded(rows: MemberRow[] = ROWS): Promise<void> {
    const first = resolver.resolve('@nobody');
    await settle();
    sql.answer(rows);
    expect(await first).toEqual([]);
  }

  it('answers content without an at sign without loading anything', async () => {
    expect(await resolver.resolve('hello Ada')).toEqual([]);
    expect(await resolver.resolve('`code` and **bold**')).toEqual([]);
    expect(sql.queries).toEqual([]);
  });

  it('loads the joined members once, on the first at sign, and shares the load', async () => {
    const first = resolver.resolve('@Ada');
    const second = resolver.resolve('@Bob and @ada');
    await settle();
    expect(sql.queries).toHaveLength(1);
    expect(sql.queries[0]).toContain('FROM members');
    sql.answer(ROWS);
    expect(await first).toEqual(['key-ada']);
    expect(await second).toEqual(['key-bob', 'key-ada']);
    expect(await resolver.resolve('@BOB')).toEqual(['key-bob']);
    expect(sql.queries).toHaveLength(1);
  });

  it('learns about joins and revocations without a query', async () => {
    await loaded();
    resolver.memberJoined('key-cy', 'Cy Young');
    resolver.memberRemoved('key-ada');
    expect(await resolver.resolve('@Ada @Bob @cy young')).toEqual(['key-bob', 'key-cy']);
    // A key that joins again under another name is no longer mentioned by the old one.
    resolver.memberJoined('key-bob', 'Robert');
    expect(await resolver.resolve('@Bob @Robert')).toEqual(['key-bob']);
    expect(await resolver.resolve('@Bob')).toEqual([]);
    expect(sql.queries).toHaveLength(1);
  });

  it('keeps the changes reported while the members were loading', async () => {
    const pending = resolver.resolve('@Ada @Bob @Cy');
    await settle();
    // The query ran before these changes; its rows still have Ada and lack Cy.
    resolver.memberJoined('key-cy', 'Cy');
    resolver.memberRemoved('key-ada');
    sql.answer(ROWS);
    expect(await pending).toEqual(['key-bob', 'key-cy']);
    expect(await resolver.resolve('@Ada @Cy')).toEqual(['key-cy']);
    expect(sql.queries).toHaveLength(1);
  });

  it('needs no load for changes before the first at sign, and the load includes them', async () => {
    resolver.memberJoined('key-cy', 'Cy');
    expect(sql.queries).toEqual([]);
    const pending = resolver.resolve('@Cy');
    await settle();
    sql.answer([...ROWS, { public_key: 'key-cy', display_name: 'Cy' }]);
    expect(await pending).toEqual(['key-cy']);
  });

  it('tries again after a failed load', async () => {
    const failed = resolver.resolve('@Ada');
    await settle();
    sql.fail(new Error('connection lost'));
    await expect(failed).rejects.toThrow('connection lost');
    const retried = resolver.resolve('@Ada');
    await settle();
    expect(sql.queries).toHaveLength(2);
    sql.answer(ROWS);
    expect(await retried).toEqual(['key-ada']);
  });
});
