import { ProtocolError } from '../common/protocol-error';
import type { Sql } from '../database/sql';
import { MAX_BATCH, MAX_QUEUED, MessageBatchWriter, type NewMessage } from './message-batch-writer';

interface Call {
  readonly params: readonly unknown[];
  readonly settle: (rows: unknown[]) => void;
  readonly fail: (error: unknown) => void;
}

/** A Sql whose calls the test answers, so it sees how sends are grouped. */
class FakeSql {
  readonly calls: Call[] = [];

  rows(_text: string, params: readonly unknown[]): Promise<unknown[]> {
    return new Promise((settle, fail) => this.calls.push({ params, settle, fail }));
  }

  /** Answers a call the way mpqcht_post_messages does: one row per item, ordinal `ord`. */
  answer(call: Call, order?: number[]): void {
    const clients = call.params[2] as string[];
    const ords = order ?? clients.map((_c, i) => i);
    call.settle(
      ords.map((ord) => ({ ord, client_id: clients[ord], seq: String(ord + 1), duplicate: false })),
    );
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function message(n: number): NewMessage {
  return { channelId: 'lobby', author: 'a', clientId: `client-${n}`, content: `m${n}`, mentions: [] };
}

describe('MessageBatchWriter', () => {
  let sql: FakeSql;
  let writer: MessageBatchWriter;

  beforeEach(() => {
    sql = new FakeSql();
    writer = new MessageBatchWriter(sql as unknown as Sql);
  });

  it('stores the sends of one event-loop turn with one call', async () => {
    const results = [1, 2, 3].map((n) => writer.write(message(n)));
    await turn();
    expect(sql.calls).toHaveLength(1);
    expect(sql.calls[0]?.params[2]).toEqual(['client-1', 'client-2', 'client-3']);
    expect(JSON.parse(sql.calls[0]?.params[4] as string)).toEqual([[], [], []]);
    sql.answer(sql.calls[0] as Call);
    expect((await Promise.all(results)).map((r) => r.client_id)).toEqual([
      'client-1',
      'client-2',
      'client-3',
    ]);
    expect(writer.pending()).toBe(0);
  });

  it('groups what arrives while two batches commit into the next one', async () => {
    const first = writer.write(message(1));
    await turn();
    const second = writer.write(message(2));
    await turn();
    expect(sql.calls).toHaveLength(2);
    const waiting = [3, 4, 5].map((n) => writer.write(message(n)));
    await turn();
    expect(sql.calls).toHaveLength(2);
    expect(writer.pending()).toBe(5);

    sql.answer(sql.calls[0] as Call);
    await first;
    await turn(); // the batch's end schedules the next one for the turn after
    await turn();
    expect(sql.calls).toHaveLength(3);
    expect(sql.calls[2]?.params[2]).toEqual(['client-3', 'client-4', 'client-5']);
    sql.answer(sql.calls[1] as Call);
    sql.answer(sql.calls[2] as Call);
    await Promise.all([second, ...waiting]);
  });

  it('settles each send with its own row, in the order the rows come back', async () => {
    const settled: string[] = [];
    const results = [1, 2, 3].map((n) => writer.write(message(n)).then((r) => settled.push(r.client_id)));
    await turn();
    sql.answer(sql.calls[0] as Call, [2, 0, 1]);
    await Promise.all(results);
    expect(settled).toEqual(['client-3', 'client-1', 'client-2']);
  });

  it('fails every send of a batch whose call fails, and the next batch goes on', async () => {
    const failing = [1, 2].map((n) => writer.write(message(n)));
    await turn();
    sql.calls[0]?.fail(new Error('connection lost'));
    for (const result of failing) await expect(result).rejects.toThrow('connection lost');
    const later = writer.write(message(3));
    await turn();
    sql.answer(sql.calls[1] as Call);
    expect((await later).client_id).toBe('client-3');
  });

  it('fails a send the function returned no row for instead of leaving it waiting', async () => {
    const results = [1, 2].map((n) => writer.write(message(n)));
    await turn();
    sql.answer(sql.calls[0] as Call, [0]);
    expect((await results[0])?.client_id).toBe('client-1');
    await expect(results[1]).rejects.toThrow('no row');
  });

  it('takes at most MAX_BATCH sends per call', async () => {
    const results = Array.from({ length: MAX_BATCH + 1 }, (_v, n) => writer.write(message(n)));
    await turn();
    expect(sql.calls.map((c) => (c.params[2] as string[]).length)).toEqual([MAX_BATCH, 1]);
    for (const call of sql.calls) sql.answer(call);
    await Promise.all(results);
  });

  it('refuses sends with rate_limited beyond MAX_QUEUED waiting, instead of queueing without bound', async () => {
    const accepted = Array.from({ length: MAX_QUEUED }, (_v, n) => writer.write(message(n)));
    const refused = writer.write(message(-1));
    await expect(refused).rejects.toBeInstanceOf(ProtocolError);
    await expect(refused).rejects.toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 500 } });
    // Two batches leave the queue for the database: room for that many again.
    await turn();
    expect(sql.calls).toHaveLength(2);
    const more = Array.from({ length: 2 * MAX_BATCH }, (_v, n) => writer.write(message(MAX_QUEUED + n)));
    await expect(writer.write(message(-2))).rejects.toMatchObject({ code: 'rate_limited' });
    let answered = 0;
    while (answered < sql.calls.length) {
      sql.answer(sql.calls[answered] as Call);
      answered += 1;
      await turn();
      await turn();
    }
    expect(await Promise.all([...accepted, ...more])).toHaveLength(MAX_QUEUED + 2 * MAX_BATCH);
  });
});
