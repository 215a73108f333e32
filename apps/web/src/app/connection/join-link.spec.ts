import { inviteLink, parseJoinLink, parseJoinPath } from './join-link';

const CODE = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXoxMjM0';

describe('inviteLink', () => {
  it('puts the URL-encoded server origin and the code under /join, and parses back', () => {
    const link = inviteLink('https://web.example.org', 'http://127.0.0.1:3000', CODE);
    expect(link).toBe(`https://web.example.org/join/http%3A%2F%2F127.0.0.1%3A3000/${CODE}`);
    const [, , server, got] = new URL(link).pathname.split('/');
    expect(parseJoinLink(decodeURIComponent(server ?? ''), got ?? null)).toEqual({
      origin: 'http://127.0.0.1:3000',
      code: CODE,
    });
    expect(parseJoinPath(new URL(link).pathname)).toEqual({ origin: 'http://127.0.0.1:3000', code: CODE });
  });
});

describe('parseJoinPath', () => {
  it("reads the server and code of a join path (the unlock page's `next`), and nothing else", () => {
    expect(parseJoinPath(`/join/${encodeURIComponent('https://chat.example.org')}/${CODE}`)).toEqual({
      origin: 'https://chat.example.org',
      code: CODE,
    });
    expect(parseJoinPath('/chat')).toBeNull();
    expect(parseJoinPath(`/join/${encodeURIComponent('https://chat.example.org')}/short`)).toBeNull();
    expect(parseJoinPath(`/join/${encodeURIComponent('javascript:alert(1)')}/${CODE}`)).toBeNull();
    expect(parseJoinPath(`/join/%E0%A4%A/${CODE}`)).toBeNull();
    expect(parseJoinPath(`/join/a/${CODE}/more`)).toBeNull();
  });
});
