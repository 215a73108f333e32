import { serverOrigin } from './server-address';

describe('serverOrigin', () => {
  it.each([
    ['chat.example.org', 'https://chat.example.org'],
    ['  https://chat.example.org/  ', 'https://chat.example.org'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['HTTPS://Chat.Example.org', 'https://chat.example.org'],
  ])('%j is %s', (input, expected) => {
    expect(serverOrigin(input)).toBe(expected);
  });

  it.each([
    '',
    'ftp://x.org',
    'https://x.org/path',
    'https://user:pw@x.org',
    'https://x.org/?q=1',
    'javascript:alert(1)',
  ])('refuses %j', (input) => {
    expect(serverOrigin(input)).toBeNull();
  });
});
