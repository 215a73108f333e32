// Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside every text file of the
// built web client, so the api sends each visitor the smallest one their browser accepts without
// compressing anything per request (apps/api/src/web/static-assets.ts picks the variant).
//
//   node apps/web/scripts/precompress.mjs dist/apps/web/browser
//
// Run by `nx run web:build` after Angular's bundle. Skipped: files under 1 KB (headers and the
// extra round of decoding cost more than they save), a variant that would not be smaller, and
// index.html, which the api serves with a fresh CSP nonce in every response, never as a file.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.svg',
  '.json',
  '.txt',
  '.ico',
  '.map',
  '.xml',
]);
const MIN_BYTES = 1024;
const SKIP = new Set(['index.html']);

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: precompress.mjs <built web client folder>');
  process.exit(2);
}

function* files(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const file = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(file);
    else if (entry.isFile()) yield file;
  }
}

// zlib's asynchronous calls run on libuv's thread pool: the files compress on every core at once.
const variants = {
  br: (bytes) =>
    promisify(brotliCompress)(bytes, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  gz: (bytes) => promisify(gzip)(bytes, { level: 9 }),
};

// Variants from an earlier run over the same folder go first: one must never outlive, or disagree
// with, its file.
const all = [...files(dir)];
for (const file of all) {
  const ext = extname(file);
  if ((ext === '.br' || ext === '.gz') && COMPRESSIBLE.has(extname(file.slice(0, -ext.length))))
    unlinkSync(file);
}

let count = 0;
const totals = { raw: 0, br: 0, gz: 0 };
async function precompress(file, bytes) {
  for (const [suffix, compress] of Object.entries(variants)) {
    const packed = await compress(bytes);
    // The api serves a variant whenever it exists: only one that saves bytes is written.
    if (packed.length < bytes.length) writeFileSync(`${file}.${suffix}`, packed);
    totals[suffix] += Math.min(packed.length, bytes.length);
  }
}
const work = [];
for (const file of all) {
  const ext = extname(file);
  if (!COMPRESSIBLE.has(ext) || SKIP.has(relative(dir, file))) continue;
  const bytes = readFileSync(file);
  if (bytes.length < MIN_BYTES) continue;
  count += 1;
  totals.raw += bytes.length;
  work.push(precompress(file, bytes));
}
await Promise.all(work);

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(
  `precompressed ${count} files: ${kb(totals.raw)} raw, ${kb(totals.gz)} gzip, ${kb(totals.br)} brotli`,
);
