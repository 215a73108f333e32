import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { API_MAIN, type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person } from './support/browser';
import { createIdentity } from './support/pages';

/** Where the api serves the web client from (main.ts: `../web/browser` beside its bundle). */
const BUILT = path.resolve(path.dirname(API_MAIN), '../web/browser');

interface Fetched {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire, not decoded. */
  readonly body: Buffer;
}

/** A GET with exactly these headers (fetch would add its own Accept-Encoding and decode). */
function get(url: string, acceptEncoding: string | null): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding };
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function decode(fetched: Fetched): Buffer {
  const coding = fetched.headers['content-encoding'];
  switch (coding) {
    case 'br':
      return brotliDecompressSync(fetched.body);
    case 'gzip':
      return gunzipSync(fetched.body);
    case undefined:
      return fetched.body;
    default:
      throw new Error(`unexpected Content-Encoding ${coding}`);
  }
}

/** Compared by digest: Jest's element-wise Buffer comparison takes seconds on a 300 KB bundle. */
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What the request accepts (as named in the test, as sent: null sends no header), what comes back. */
const ENCODINGS = [
  ['gzip, br', 'gzip, br', 'br'],
  ['gzip', 'gzip', 'gzip'],
  ['none', null, undefined],
] as const;

describe('the web client over the wire (issue 14, point 4)', () => {
  let api: ApiProcess;
  /** What index.html loads: style sheets, the entry script and the chunks it preloads. */
  let referenced: string[];

  beforeAll(async () => {
    api = await startApi({ configToml: defaultConfig() });
    const page = await get(`${api.url}/`, null);
    referenced = [...page.body.toString().matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] ?? '',
    );
  }, 120_000);

  afterAll(async () => {
    await api.dispose();
  }, 60_000);

  it('the build wrote brotli and gzip variants beside the bundles', () => {
    expect(referenced.length).toBeGreaterThanOrEqual(3);
    for (const file of referenced) {
      if (fs.statSync(path.join(BUILT, file)).size < 1024) continue;
      expect([file, fs.existsSync(path.join(BUILT, `${file}.br`))]).toEqual([file, true]);
      expect([file, fs.existsSync(path.join(BUILT, `${file}.gz`))]).toEqual([file, true]);
    }
  });

  it.each(ENCODINGS)(
    'index.html for Accept-Encoding %s: never cached, with its CSP, a fresh nonce each time',
    async (_name, accept) => {
      const [first, second] = [await get(`${api.url}/`, accept), await get(`${api.url}/chat`, accept)];
      for (const page of [first, second]) {
        expect(page.status).toBe(200);
        expect(page.headers['cache-control']).toBe('no-cache');
        expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
        // Under 1 KB and different in every response (its nonce): sent as it is.
        expect(page.headers['content-encoding']).toBeUndefined();
        expect(page.headers['content-security-policy']).toMatch(/style-src 'self' 'nonce-[^']+'/);
        expect(page.body.toString()).not.toContain('__CSP_NONCE__');
      }
      const nonce = (p: Fetched) => /nonce-([^']+)'/.exec(String(p.headers['content-security-policy']))?.[1];
      expect(nonce(first)).not.toBe(nonce(second));
    },
  );

  it.each(ENCODINGS)(
    'every bundle index.html loads, for Accept-Encoding %s: its best encoding, cached for a year, the built bytes',
    async (_name, accept, coding) => {
      let over = 0;
      let sent = 0;
      let raw = 0;
      for (const file of referenced) {
        const built = fs.readFileSync(path.join(BUILT, file));
        const res = await get(`${api.url}/${file}`, accept);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(res.headers['content-type']).toMatch(/^text\/(javascript|css); charset=utf-8$/);
        expect([file, sha256(decode(res))]).toEqual([file, sha256(built)]);
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        if (built.length >= 1024) {
          over += 1;
          expect([file, res.headers['content-encoding']]).toEqual([file, coding]);
          expect(res.headers['vary']).toMatch(/\bAccept-Encoding\b/);
        }
        sent += res.body.length;
        raw += built.length;
      }
      expect(over).toBeGreaterThan(0);
      // Brotli and gzip leave about a third of these bundles.
      if (coding) expect(sent).toBeLessThan(raw / 2);
      else expect(sent).toBe(raw);
    },
  );

  it('a file the build does not have is a 404 in the error envelope, not index.html; client routes still get the page', async () => {
    const missing = await get(`${api.url}/chunk-OLDBUILD1.js`, 'gzip, br');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no such file' },
    });
    const route = await get(`${api.url}/join/${encodeURIComponent('http://chat.example.org')}/abc123`, null);
    expect(route.status).toBe(200);
    expect(route.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  describe('in Chromium', () => {
    let person: Person;

    beforeAll(async () => {
      person = await launchPerson('assets');
    }, 60_000);

    afterAll(async () => {
      await person.close();
    });

    it('the first visit gets brotli for every script and style sheet over 1 KB, and runs them', async () => {
      const encodings = new Map<string, string | undefined>();
      person.page.on('response', (response) => {
        const kind = response.request().resourceType();
        if (kind !== 'script' && kind !== 'stylesheet') return;
        encodings.set(new URL(response.url()).pathname.slice(1), response.headers()['content-encoding']);
      });
      // The unlock page renders and rates a passphrase (its checker is a lazy chunk): the decoded
      // scripts ran.
      await createIdentity(person.page, api.url, 'assets-e2e', 'marble osprey cobalt thistle');
      expect(encodings.size).toBeGreaterThanOrEqual(referenced.length);
      for (const [file, encoding] of encodings) {
        const big = fs.statSync(path.join(BUILT, file)).size >= 1024;
        expect([file, encoding]).toEqual([file, big ? 'br' : undefined]);
      }
      expect(person.consoleErrors).toEqual([]);
    });
  });
});
