import { MarkReadThrottle } from './mark-read-throttle';

interface Sent {
  readonly channelId: string;
  readonly messageId: string;
  resolve(): void;
  reject(): void;
}

function recorder() {
  const sent: Sent[] = [];
  const send = (channelId: string, messageId: string) =>
    new Promise<void>((resolve, reject) =>
      sent.push({ channelId, messageId, resolve, reject: () => reject(new Error('offline')) }),
    );
  return { sent, send };
}

const target = (seq: number) => ({ messageId: `m${seq}`, seq });
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('MarkReadThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the first request at once, then at most one per interval, for the newest message', async () => {
    const { sent, send } = recorder();
    const throttle = new MarkReadThrottle(send, 1000);

    throttle.request('lobby', target(3));
    expect(sent.map((s) => s.messageId)).toEqual(['m3']);
    sent[0]?.resolve();
    await flush();

    for (let seq = 4; seq <= 9; seq++) throttle.request('lobby', target(seq));
    jest.advanceTimersByTime(999);
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sent.map((s) => s.messageId)).toEqual(['m3', 'm9']);
  });

  it('asks nothing for a message at or below one already asked', async () => {
    const { sent, send } = recorder();
    const throttle = new MarkReadThrottle(send, 1000);
    throttle.request('lobby', target(5));
    sent[0]?.resolve();
    await flush();
    jest.advanceTimersByTime(5000);

    throttle.request('lobby', target(5));
    throttle.request('lobby', target(4));

    expect(sent).toHaveLength(1);
  });

  it('paces each channel on its own', () => {
    const { sent, send } = recorder();
    const throttle = new MarkReadThrottle(send, 1000);

    throttle.request('lobby', target(1));
    throttle.request('random', target(1));

    expect(sent.map((s) => s.channelId)).toEqual(['lobby', 'random']);
  });

  it('never has two requests of a channel out at once, even after the interval', async () => {
    const { sent, send } = recorder();
    const throttle = new MarkReadThrottle(send, 1000);
    throttle.request('lobby', target(1));
    throttle.request('lobby', target(2));

    jest.advanceTimersByTime(5000);
    expect(sent).toHaveLength(1);

    sent[0]?.resolve();
    await flush();
    expect(sent.map((s) => s.messageId)).toEqual(['m1', 'm2']);
  });

  it('asks again for a message whose request failed', async () => {
    const { sent, send } = recorder();
    const throttle = new MarkReadThrottle(send, 1000);
    throttle.request('lobby', target(4));
    sent[0]?.reject();
    await flush();
    jest.advanceTimersByTime(1000);

    throttle.request('lobby', target(4));

    expect(sent.map((s) => s.messageId)).toEqual(['m4', 'm4']);
  });
});
