import { HistoryRequest, SendMessageRequest } from './requests';
import { displayName } from './fields';

describe('request schemas', () => {
  const send = { channelId: 'lobby', clientId: '0193a6f0-3c1e-7cc4-9b1e-2f0d2a5f3e11', content: 'hi' };

  it('accepts a well-formed send', () => {
    expect(SendMessageRequest.safeParse(send).success).toBe(true);
  });

  it('rejects unknown fields', () => {
    expect(SendMessageRequest.safeParse({ ...send, admin: true }).success).toBe(false);
  });

  it('rejects whitespace-only content and a non-uuid client id', () => {
    expect(SendMessageRequest.safeParse({ ...send, content: ' \n ' }).success).toBe(false);
    expect(SendMessageRequest.safeParse({ ...send, clientId: 'x' }).success).toBe(false);
  });

  it('defaults the history page size and refuses before+after together', () => {
    const parsed = HistoryRequest.parse({ channelId: 'lobby' });
    expect(parsed.limit).toBe(50);
    const both = { channelId: 'lobby', before: send.clientId, after: send.clientId };
    expect(HistoryRequest.safeParse(both).success).toBe(false);
  });

  it.each([
    ['Ada', true],
    ['Ada Lovelace', true],
    ['Zoë_2', true],
    ['', false],
    [' Ada', false],
    ['Ada ', false],
    ['Ada  Lovelace', false],
    ['<script>', false],
    ['a'.repeat(33), false],
  ])('display name %j valid: %s', (name, valid) => {
    expect(displayName.safeParse(name).success).toBe(valid);
  });
});
