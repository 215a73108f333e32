import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';

import {
  cacheControlFor,
  type ContentCoding,
  IMMUTABLE,
  negotiateEncoding,
  REVALIDATE,
  staticAssets,
} from './static-assets';

describe('negotiateEncoding', () => {
  const both: ContentCoding[] = ['br', 'gzip'];

  it.each<[string | undefined, readonly ContentCoding[], ContentCoding | null]>([
    // What browsers send: brotli, the smaller one.
    ['gzip, deflate, br, zstd', both, 'br'],
    ['gzip, br', both, 'br'],
    ['br', both, 'br'],
    ['gzip', both, 'gzip'],
    ['GZIP', both, 'gzip'],
    ['x-gzip', both, 'gzip'],
    ['deflate', both, null],
    // No header: the file's own bytes (curl without --compressed).
    [undefined, both, null],
    ['', both, null],
    ['identity', both, null],
    // q=0 refuses a coding, whatever the preference.
    ['gzip, br;q=0', both, 'gzip'],
    ['br;q=0, gzip;q=0', both, null],
    ['gzip;q=0, *', both, 'br'],
    ['*;q=0, gzip', both, 'gzip'],
    // The highest quality wins, brotli on a tie.
    ['br;q=0.5, gzip;q=0.8', both, 'gzip'],
    ['br;q=0.8, gzip;q=0.8', both, 'br'],
    ['gzip;q=0.5, identity', both, null],
    ['*', both, 'br'],
    ['*;q=0.5, identity;q=0.2', both, 'br'],
    // A malformed quality counts as a refusal.
    ['br;q=2, gzip', both, 'gzip'],
    ['br;q=abc, gzip', both, 'gzip'],
    // Only what the build wrote can be sent.
    ['gzip, br', ['gzip'], 'gzip'],
    ['br', ['gzip'], null],
    ['gzip, br', [], null],
  ])('%j with %j → %s', (header, available, expected) => {
    expect(negotiateEncoding(header, available)).toBe(expected);
  });
});

describe('cacheControlFor', () => {
  it.each([
    ['main-BEELHIPL.js', IMMUTABLE],
    ['chunk-3YT3SLGF.js', IMMUTABLE],
    ['styles-KVRL5Q2X.css', IMMUTABLE],
    ['media/font-ABCD1234.woff2', IMMUTABLE],
    // Not hashed: the same name may hold another file after the next build.
    ['favicon.svg', REVALIDATE],
    ['index.html', REVALIDATE],
    ['main-beelhipl.js', REVALIDATE],
    ['main.js', REVALIDATE],
  ])('%s', (file, expected) => {
    expect(cacheControlFor(file)).toBe(expected);
  });
});

interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire, not decoded. */
  readonly body: Buffer;
}

describe('staticAssets', () => {
  const bundle = Buffer.from('export const greeting = "hello";\n'.repeat(200));
  const bundleName = 'main-ABCD1234.js';
  let dir: string;
  let server: http.Server;
  let port: number;

  function get(urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpqcht-static-'));
    fs.writeFileSync(path.join(dir, bundleName), bundle);
    fs.writeFileSync(path.join(dir, `${bundleName}.br`), brotliCompressSync(bundle));
    fs.writeFileSync(path.join(dir, `${bundleName}.gz`), gzipSync(bundle));
    // Only a gzip variant: brotli must not be claimed for it.
    fs.writeFileSync(path.join(dir, 'styles-ABCD1234.css'), 'body{color:red}'.repeat(100));
    fs.writeFileSync(path.join(dir, 'styles-ABCD1234.css.gz'), gzipSync('body{color:red}'.repeat(100)));
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    fs.writeFileSync(path.join(dir, 'index.html'), '<html nonce="__CSP_NONCE__"></html>');
    fs.writeFileSync(path.join(dir, '.secret'), 'no');
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'media', 'font-ABCD1234.woff2'), Buffer.from([1, 2, 3]));

    const app = express();
    app.use(staticAssets(dir, ['index.html']));
    app.use((_req, res) => res.status(299).send('next'));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['', undefined, (b: Buffer) => b],
  ] as const)(
    'a hashed bundle for Accept-Encoding %j: %s, cached for good',
    async (accept, coding, decode) => {
      const res = await get(`/${bundleName}`, accept ? { 'accept-encoding': accept } : {});
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['vary']).toBe('Accept-Encoding');
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe(IMMUTABLE);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      if (coding) expect(res.body.length).toBeLessThan(bundle.length / 10);
      expect(decode(res.body)).toEqual(bundle);
    },
  );

  it('gives each encoding its own ETag, and answers 304 to the one it sent', async () => {
    const br = await get(`/${bundleName}`, { 'accept-encoding': 'br' });
    const gzip = await get(`/${bundleName}`, { 'accept-encoding': 'gzip' });
    const plain = await get(`/${bundleName}`);
    const tags = [br, gzip, plain].map((r) => r.headers.etag);
    expect(new Set(tags).size).toBe(3);

    const again = await get(`/${bundleName}`, {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers HEAD with the headers of the variant and no body', async () => {
    const res = await get(`/${bundleName}`, { 'accept-encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(Number(res.headers['content-length'])).toBe(fs.statSync(path.join(dir, `${bundleName}.br`)).size);
    expect(res.body.length).toBe(0);
  });

  it('sends only a variant that exists', async () => {
    const res = await get('/styles-ABCD1234.css', { 'accept-encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(gunzipSync(res.body).toString()).toBe('body{color:red}'.repeat(100));
  });

  it('sends a file without variants as it is, revalidated when its name has no hash', async () => {
    const res = await get('/favicon.svg', { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.headers['cache-control']).toBe(REVALIDATE);
    expect(res.body.toString()).toBe('<svg xmlns="http://www.w3.org/2000/svg"/>');

    const font = await get('/media/font-ABCD1234.woff2');
    expect(font.headers['cache-control']).toBe(IMMUTABLE);
    expect(font.headers['content-type']).toBe('font/woff2');
  });

  it.each([
    ['/', 'not a file'],
    ['/chat/lobby', 'a client-side route'],
    ['/index.html', 'the excluded template'],
    [`/${bundleName}.br`, 'a variant asked for by name'],
    ['/.secret', 'a dot file'],
    ['/%2e%2e/%2e%2e/etc/passwd', 'a path out of the folder'],
    ['/%E0%A4%A', 'a path that does not decode'],
    ['/media', 'a folder'],
  ])('%s (%s) goes to the next handler', async (urlPath) => {
    const res = await get(urlPath, { 'accept-encoding': 'br' });
    expect(res.status).toBe(299);
    expect(res.body.toString()).toBe('next');
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('leaves other methods to the next handler', async () => {
    const res = await get(`/${bundleName}`, {}, 'POST');
    expect(res.status).toBe(299);
  });
});
