import { parseJoinLink } from '../servers/join.page';
import { inviteLink } from './invite-dialog.component';

describe('inviteLink', () => {
  it('puts the URL-encoded server origin and the code under /join, and parses back', () => {
    const code = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXoxMjM0';
    const link = inviteLink('https://web.example.org', 'http://127.0.0.1:3000', code);
    expect(link).toBe(`https://web.example.org/join/http%3A%2F%2F127.0.0.1%3A3000/${code}`);
    const [, , server, got] = new URL(link).pathname.split('/');
    expect(parseJoinLink(decodeURIComponent(server ?? ''), got ?? null)).toEqual({
      origin: 'http://127.0.0.1:3000',
      code,
    });
  });
});
