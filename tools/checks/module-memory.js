#!/usr/bin/env node
/**
 * What the api's dependencies cost before any of its code runs (docs/performance.md, "Idle memory
 * (issue 18, part 4: by module)"): requires them one by one, in the order the api bundle does,
 * collects twice after each, and prints the files loaded and what the heap and RSS grew by.
 * Run with `node --expose-gc tools/checks/module-memory.js`.
 */
if (typeof global.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(1);
}
const MODULES = [
  'reflect-metadata',
  'rxjs',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  'typeorm',
  '@nestjs/typeorm',
  'pg',
  'socket.io',
  '@nestjs/websockets',
  '@nestjs/platform-socket.io',
  'zod',
  '@noble/curves/nist.js',
  '@noble/hashes/sha2.js',
  'toml',
];
const mb = (bytes) => (bytes / 1048576).toFixed(1);
function settle() {
  global.gc();
  global.gc();
  return process.memoryUsage();
}
let previous = settle();
console.log(`bare node: heap ${mb(previous.heapUsed)} MB, RSS ${mb(previous.rss)} MB`);
for (const name of MODULES) {
  const files = Object.keys(require.cache).length;
  require(name);
  const now = settle();
  console.log(
    `${name.padEnd(28)} files ${String(Object.keys(require.cache).length - files).padStart(4)}` +
      `  heap +${mb(now.heapUsed - previous.heapUsed).padStart(5)} MB  RSS +${mb(now.rss - previous.rss).padStart(5)} MB`,
  );
  previous = now;
}
console.log(
  `all: ${Object.keys(require.cache).length} files, heap ${mb(previous.heapUsed)} MB, RSS ${mb(previous.rss)} MB`,
);
