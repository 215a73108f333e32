import type { ServerSession } from '../connection/server-session';
import { reconnectOnWake } from './reconnect-on-wake';

function fakeSessions(count: number) {
  const calls: string[][] = Array.from({ length: count }, () => []);
  const sessions = calls.map(
    (log) => ({ reconnectNow: (trigger: string) => log.push(trigger) }) as unknown as ServerSession,
  );
  return { calls, sessions };
}

function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
}

describe('reconnectOnWake', () => {
  afterEach(() => setVisibility('visible'));

  it('starts every waiting reconnect when the network comes back', () => {
    const { calls, sessions } = fakeSessions(2);
    const stop = reconnectOnWake(document, () => sessions);

    window.dispatchEvent(new Event('online'));

    expect(calls).toEqual([['online'], ['online']]);
    stop();
  });

  it('starts them when the tab becomes visible, not when it is hidden', () => {
    const { calls, sessions } = fakeSessions(1);
    const stop = reconnectOnWake(document, () => sessions);

    setVisibility('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    setVisibility('visible');
    document.dispatchEvent(new Event('visibilitychange'));

    expect(calls).toEqual([['visible']]);
    stop();
  });

  it('listens no more once stopped', () => {
    const { calls, sessions } = fakeSessions(1);
    reconnectOnWake(document, () => sessions)();

    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));

    expect(calls).toEqual([[]]);
  });
});
