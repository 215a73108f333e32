// Fails when the JavaScript and CSS a first visit loads (what index.html references, and the chunks
// those preload) exceed a gzip budget. Angular's own budgets count raw bytes only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dir, limitKb] = process.argv.slice(2);
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const files = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let raw = 0;
let gzip = 0;
for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1000).toFixed(1);
console.log(
  `initial: ${files.length} files, ${kb(raw)} kB raw, ${kb(gzip)} kB gzip (budget ${limitKb} kB gzip)`,
);
if (gzip > Number(limitKb) * 1000) {
  console.error(`initial bundle over budget by ${kb(gzip - Number(limitKb) * 1000)} kB gzip`);
  process.exit(1);
}
