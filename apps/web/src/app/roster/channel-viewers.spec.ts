import { serverInfo } from '../testing/fake-socket';
import { channel, member, onlineHarness, settle, THIRD_KEY, URL_A } from '../testing/fixtures';
import { ChannelViewers } from './channel-viewers';

describe('ChannelViewers', () => {
  async function setup() {
    const h = await onlineHarness({ channels: [channel('lobby'), channel('staff')] });
    const asked: string[] = [];
    h.socket.handle('channels.viewers', ({ channelId }) => {
      asked.push(channelId);
      return {
        ok: true,
        data: {
          channelId,
          publicKeys: channelId === 'staff' ? [h.self.publicKey] : [h.self.publicKey, THIRD_KEY],
        },
      };
    });
    return { ...h, asked, viewers: h.connection.get(ChannelViewers) };
  }

  it('asks the server once per channel and keeps the answer for a minute', async () => {
    const { viewers, asked, clock, self } = await setup();
    expect(viewers.of('staff')).toBeNull();
    viewers.load('staff');
    viewers.load('staff');
    await settle();
    expect(asked).toEqual(['staff']);
    expect([...(viewers.of('staff') ?? [])]).toEqual([self.publicKey]);

    clock.now += 30_000;
    viewers.load('staff');
    await settle();
    expect(asked).toEqual(['staff']);
    clock.now += 31_000;
    viewers.load('staff');
    await settle();
    expect(asked).toEqual(['staff', 'staff']);
  });

  it('forgets every answer when a member joins or leaves or config.toml changes', async () => {
    const { viewers, asked, socket } = await setup();
    viewers.load('lobby');
    await settle();
    expect(viewers.of('lobby')?.has(THIRD_KEY)).toBe(true);

    socket.push('member.joined', member('02' + 'd'.repeat(64), 'Newcomer'));
    expect(viewers.of('lobby')).toBeNull();
    viewers.load('lobby');
    await settle();
    socket.push('member.removed', { publicKey: THIRD_KEY, reason: 'revoked' });
    expect(viewers.of('lobby')).toBeNull();
    viewers.load('lobby');
    await settle();
    socket.push('server.updated', serverInfo(URL_A));
    expect(viewers.of('lobby')).toBeNull();
    expect(asked).toEqual(['lobby', 'lobby', 'lobby']);
  });

  it('drops an answer to a question asked before everything was forgotten', async () => {
    const { viewers, socket } = await setup();
    socket.unhandle('channels.viewers');
    viewers.load('lobby');
    const question = socket.pending('channels.viewers');
    socket.push('member.joined', member('02' + 'd'.repeat(64), 'Newcomer'));
    question?.ok({ channelId: 'lobby', publicKeys: [THIRD_KEY] });
    await settle();
    expect(viewers.of('lobby')).toBeNull();
  });
});
