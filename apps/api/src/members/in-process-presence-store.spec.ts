import { InProcessPresenceStore } from './in-process-presence-store';

describe('InProcessPresenceStore', () => {
  it('is online from the first socket to the last', async () => {
    const store = new InProcessPresenceStore();
    expect(await store.isOnline('k')).toBe(false);
    expect(await store.connected('k', 's1')).toBe(true);
    expect(await store.connected('k', 's2')).toBe(false);
    expect(await store.isOnline('k')).toBe(true);
    expect(await store.disconnected('k', 's1')).toBe(false);
    expect(await store.isOnline('k')).toBe(true);
    expect(await store.disconnected('k', 's2')).toBe(true);
    expect(await store.isOnline('k')).toBe(false);
  });

  it('counts a socket once, and ignores one it never counted', async () => {
    const store = new InProcessPresenceStore();
    expect(await store.connected('k', 's1')).toBe(true);
    expect(await store.connected('k', 's1')).toBe(false);
    expect(await store.disconnected('k', 'other')).toBe(false);
    expect(await store.disconnected('other-key', 's1')).toBe(false);
    expect(await store.disconnected('k', 's1')).toBe(true);
    expect(await store.disconnected('k', 's1')).toBe(false);
  });

  it('keeps members apart', async () => {
    const store = new InProcessPresenceStore();
    await store.connected('a', 's1');
    expect(await store.isOnline('b')).toBe(false);
    expect(await store.connected('b', 's2')).toBe(true);
  });
});
