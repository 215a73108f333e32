import type { ServerInfoDto } from '@mpqcht/protocol';

import { ServerUnreachable } from '../connection/server-http';
import { FakeServerHttp, serverInfo } from '../testing/fake-socket';
import {
  type AddServerCheck,
  addServerHint,
  type AddServerProbe,
  checkServerAddress,
} from './add-server-check';

/**
 * Servers by the address they answer at, each naming its PUBLIC_ORIGIN; any other address fails as
 * the browser's fetch does (a TLS handshake with a plain http server, nothing listening).
 */
function network(
  servers: Record<string, string>,
  pageProtocol = 'http:',
): AddServerProbe & { asked: string[] } {
  const http = new FakeServerHttp();
  http.info = (url) => {
    const origin = servers[url];
    return origin === undefined ? new ServerUnreachable(`cannot reach ${url}`) : serverInfo(origin);
  };
  return {
    pageProtocol,
    asked: http.infoCalls,
    serverInfo: (url) => http.serverInfo(url),
  };
}

describe('checkServerAddress', () => {
  it('finds a server that names the address it was asked at', async () => {
    const probe = network({ 'https://chat.example.org': 'https://chat.example.org' });
    expect(await checkServerAddress('chat.example.org', probe)).toEqual({
      kind: 'ok',
      origin: 'https://chat.example.org',
    });
    expect(probe.asked).toEqual(['https://chat.example.org']);
  });

  it('does not ask anything for what is not an address', async () => {
    const probe = network({});
    expect(await checkServerAddress('ftp://x.org', probe)).toEqual({ kind: 'invalid' });
    expect(probe.asked).toEqual([]);
  });

  it('reports the address a server names when it is not the one typed (127.0.0.1 vs localhost)', async () => {
    const probe = network({ 'http://127.0.0.1:3000': 'http://localhost:3000' });
    expect(await checkServerAddress('http://127.0.0.1:3000', probe)).toEqual({
      kind: 'other_origin',
      tried: 'http://127.0.0.1:3000',
      claimed: 'http://localhost:3000',
    });
  });

  it('after the https:// guess fails, asks over http and reports what answered there', async () => {
    const probe = network({ 'http://localhost:3000': 'http://localhost:3000' });
    expect(await checkServerAddress('localhost:3000', probe)).toEqual({
      kind: 'no_https',
      tried: 'https://localhost:3000',
      guessed: true,
      claimed: 'http://localhost:3000',
    });
    expect(probe.asked).toEqual(['https://localhost:3000', 'http://localhost:3000']);
  });

  it('says the https:// was typed, not guessed, when it was', async () => {
    const probe = network({ 'http://localhost:3000': 'http://localhost:3000' });
    expect(await checkServerAddress('https://localhost:3000', probe)).toMatchObject({
      kind: 'no_https',
      guessed: false,
    });
  });

  it('never asks an http address from a page served over https (mixed content, the CSP)', async () => {
    const probe = network({ 'http://localhost:3000': 'http://localhost:3000' }, 'https:');
    expect(await checkServerAddress('localhost:3000', probe)).toEqual({
      kind: 'unreachable',
      tried: 'https://localhost:3000',
      reason: 'cannot reach https://localhost:3000',
      guessed: true,
      pageIsHttps: true,
    });
    expect(probe.asked).toEqual(['https://localhost:3000']);
  });

  it('reports the first failure when nothing answers over http either', async () => {
    const probe = network({});
    expect(await checkServerAddress('chat.example.org', probe)).toEqual({
      kind: 'unreachable',
      tried: 'https://chat.example.org',
      reason: 'cannot reach https://chat.example.org',
      guessed: true,
      pageIsHttps: false,
    });
    expect(probe.asked).toEqual(['https://chat.example.org', 'http://chat.example.org']);
  });

  it('gives up on a server that does not answer in time', async () => {
    jest.useFakeTimers();
    try {
      const probe: AddServerProbe = {
        pageProtocol: 'https:',
        timeoutMs: 5_000,
        serverInfo: () => new Promise<ServerInfoDto>(() => undefined),
      };
      const check = checkServerAddress('chat.example.org', probe);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await check).toMatchObject({
        kind: 'unreachable',
        reason: 'https://chat.example.org did not answer within 5 s',
      });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('addServerHint', () => {
  it('says nothing when the server was found', () => {
    expect(addServerHint({ kind: 'ok', origin: 'https://chat.example.org' })).toBeNull();
  });

  it('explains 127.0.0.1 vs localhost: one computer, two addresses, and offers the right one', () => {
    const hint = addServerHint({
      kind: 'other_origin',
      tried: 'http://127.0.0.1:3000',
      claimed: 'http://localhost:3000',
    });
    expect(hint).toEqual({
      message:
        'http://127.0.0.1:3000 and http://localhost:3000 are this computer, but not the same address to a ' +
        'browser: this server accepts logins only for http://localhost:3000, its PUBLIC_ORIGIN. Add it as ' +
        'http://localhost:3000.',
      suggestion: 'http://localhost:3000',
    });
    // The other way round too.
    expect(
      addServerHint({
        kind: 'other_origin',
        tried: 'http://localhost:3000',
        claimed: 'http://127.0.0.1:3000',
      })?.message,
    ).toMatch(/^http:\/\/localhost:3000 and http:\/\/127\.0\.0\.1:3000 are this computer/);
  });

  it.each<[string, AddServerCheck]>([
    [
      'another host',
      { kind: 'other_origin', tried: 'https://chat.example.org', claimed: 'https://talk.example.org' },
    ],
    [
      'another port on loopback',
      { kind: 'other_origin', tried: 'http://localhost:3000', claimed: 'http://127.0.0.1:4000' },
    ],
  ])('names the PUBLIC_ORIGIN a server claims for %s', (_name, check) => {
    if (check.kind !== 'other_origin') throw new Error('not an other_origin check');
    expect(addServerHint(check)).toEqual({
      message:
        `This server's address is ${check.claimed} (its PUBLIC_ORIGIN), not ${check.tried}: logins are ` +
        `signed for that address, so it refuses any other. Add it as ${check.claimed}.`,
      suggestion: check.claimed,
    });
  });

  it('explains a refused https:// guess and offers the http:// address that answered', () => {
    expect(
      addServerHint({
        kind: 'no_https',
        tried: 'https://localhost:3000',
        guessed: true,
        claimed: 'http://localhost:3000',
      }),
    ).toEqual({
      message:
        'An address typed without http:// is tried as https://, and https://localhost:3000 did not answer. ' +
        'The server answers over plain http (no TLS): add it as http://localhost:3000.',
      suggestion: 'http://localhost:3000',
    });
    expect(
      addServerHint({
        kind: 'no_https',
        tried: 'https://localhost:3000',
        guessed: false,
        claimed: 'http://localhost:3000',
      })?.message,
    ).toMatch(/^https:\/\/localhost:3000 did not answer over https\. The server answers over plain http/);
  });

  it('offers to add an unreachable server anyway (it may only be down)', () => {
    expect(
      addServerHint({
        kind: 'unreachable',
        tried: 'https://chat.example.org',
        reason: 'cannot reach https://chat.example.org',
        guessed: true,
        pageIsHttps: true,
      }),
    ).toEqual({
      message:
        'Cannot reach https://chat.example.org. Check the address and that the server is running, or add it ' +
        'anyway to keep trying.',
      addAnyway: 'https://chat.example.org',
    });
  });

  it('on an https page, says why a local server without TLS cannot be reached from it', () => {
    const guessedLocal = addServerHint({
      kind: 'unreachable',
      tried: 'https://localhost:3000',
      reason: 'cannot reach https://localhost:3000',
      guessed: true,
      pageIsHttps: true,
    });
    expect(guessedLocal?.message).toContain(
      'it is then http://localhost:3000, which this page, served over https',
    );
    expect(guessedLocal?.addAnyway).toBeUndefined();

    const typedHttp = addServerHint({
      kind: 'unreachable',
      tried: 'http://192.168.1.5:3000',
      reason: 'cannot reach http://192.168.1.5:3000',
      guessed: false,
      pageIsHttps: true,
    });
    expect(typedHttp?.message).toMatch(
      /^This page is served over https, and the browser does not let it reach/,
    );
    expect(typedHttp?.addAnyway).toBeUndefined();
  });

  it('asks for an address when the text is not one', () => {
    expect(addServerHint({ kind: 'invalid' })?.message).toMatch(/^Enter a server address/);
  });
});
