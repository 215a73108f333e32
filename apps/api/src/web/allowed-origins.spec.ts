import { originAllowed } from './allowed-origins';

describe('originAllowed', () => {
  it('lets any page in with *', () => {
    expect(originAllowed(['*'], 'https://elsewhere.example')).toBe(true);
  });

  it('lets only listed pages in otherwise, and always requests without an Origin', () => {
    const list = ['https://chat.example.org'];
    expect(originAllowed(list, 'https://chat.example.org')).toBe(true);
    expect(originAllowed(list, 'https://evil.example')).toBe(false);
    expect(originAllowed(list, undefined)).toBe(true);
  });
});
