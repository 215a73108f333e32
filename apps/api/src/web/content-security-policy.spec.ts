import { contentSecurityPolicy } from './content-security-policy';

describe('contentSecurityPolicy', () => {
  const https = contentSecurityPolicy('https://chat.example.org', 'abc');

  it('allows scripts from the page origin only and styles with the nonce', () => {
    expect(https).toContain("script-src 'self';");
    expect(https).not.toMatch(/script-src[^;]*unsafe/);
    expect(https).toContain("style-src 'self' 'nonce-abc'");
    expect(https).toContain("object-src 'none'");
    expect(https).toContain("frame-ancestors 'none'");
  });

  it('opens connect-src to https/wss, and to http/ws only for a page served over http', () => {
    expect(https).toContain("connect-src 'self' https: wss:;");
    expect(contentSecurityPolicy('http://localhost:3000', 'n')).toContain(
      "connect-src 'self' https: wss: http: ws:;",
    );
  });
});
