import { streamId, threadStream } from './fields';
import { CreateThreadRequest, SendMessageRequest, UpdateThreadRequest } from './requests';
import { threadIdOf, threadStreamId } from './streams';

const ID = '0193a6f0-3c1e-7cc4-9b1e-2f0d2a5f3e11';

describe('message streams', () => {
  it('are a channel id or thread:<uuid>, the uuid read in either case and handed on in lowercase', () => {
    expect(streamId.parse('lobby')).toBe('lobby');
    expect(streamId.parse(`thread:${ID}`)).toBe(`thread:${ID}`);
    expect(streamId.parse(`thread:${ID.toUpperCase()}`)).toBe(`thread:${ID}`);
    for (const bad of ['Lobby', `thread:${ID}x`, 'thread:', `THREAD:${ID}`, `thread:${'g'.repeat(36)}`, 7]) {
      expect(streamId.safeParse(bad).success).toBe(false);
    }
  });

  it('names a thread only with thread:<uuid> where a request acts on a thread as such', () => {
    expect(threadStream.safeParse(`thread:${ID}`).success).toBe(true);
    expect(threadStream.safeParse('lobby').success).toBe(false);
    expect(threadIdOf(`thread:${ID}`)).toBe(ID);
    expect(threadIdOf('lobby')).toBeNull();
    expect(threadStreamId(ID.toUpperCase())).toBe(`thread:${ID}`);
  });

  it('lets messages.send name a thread, and threads.create only a channel', () => {
    const send = { channelId: `thread:${ID}`, clientId: ID, content: 'hi' };
    expect(SendMessageRequest.safeParse(send).success).toBe(true);
    expect(CreateThreadRequest.safeParse({ channelId: 'lobby', messageId: ID, name: 'Plans' }).success).toBe(
      true,
    );
    expect(
      CreateThreadRequest.safeParse({ channelId: `thread:${ID}`, messageId: ID, name: 'Plans' }).success,
    ).toBe(false);
  });

  it('wants a thread update to change something', () => {
    expect(UpdateThreadRequest.safeParse({ channelId: `thread:${ID}` }).success).toBe(false);
    expect(UpdateThreadRequest.safeParse({ channelId: `thread:${ID}`, locked: true }).success).toBe(true);
  });
});
