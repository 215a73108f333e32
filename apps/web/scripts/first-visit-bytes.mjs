// Bytes over the wire for a first visit of a running server's web client: Chromium (Debian's, as
// in the browser tests) opens the page with an empty cache and lists the document, scripts and
// style sheets it loads; each is then fetched again with `Accept-Encoding` none, `gzip` and
// `gzip, br`, and the response bodies are counted as they arrive (headers not included).
//
//   node apps/web/scripts/first-visit-bytes.mjs http://localhost:3000
//
// The figures in docs/operations.md ("Serving the web client") come from it.
import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { chromium } from 'playwright-core';

const [origin] = process.argv.slice(2);
if (!origin) {
  console.error('usage: first-visit-bytes.mjs <server origin>');
  process.exit(2);
}

const KINDS = new Set(['document', 'script', 'stylesheet']);

async function firstVisit(url) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ],
  });
  try {
    const page = await browser.newPage();
    const loaded = [];
    page.on('requestfinished', (req) => {
      if (KINDS.has(req.resourceType())) loaded.push(req.url());
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    return loaded;
  } finally {
    await browser.close();
  }
}

/** The body's length as sent, not decoded. */
function bodyBytes(url, acceptEncoding) {
  const get = url.startsWith('https:') ? requestTls : request;
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
    const req = get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const urls = await firstVisit(origin);
const columns = [
  ['none', ''],
  ['gzip', 'gzip'],
  ['gzip, br', 'gzip, br'],
];
const totals = columns.map(() => 0);
for (const url of urls) {
  const row = [];
  for (const [i, [, accept]] of columns.entries()) {
    const { bytes, encoding } = await bodyBytes(url, accept);
    totals[i] += bytes;
    row.push(`${String(bytes).padStart(8)} ${encoding.padEnd(8)}`);
  }
  console.log(`${row.join(' ')}  ${new URL(url).pathname}`);
}
console.log(
  `${urls.length} files; ` +
    columns.map(([name], i) => `${name}: ${totals[i].toLocaleString('en')} B`).join(', '),
);
