// Folder cycle check, run by `npm test` for apps/api/src and apps/web/src/app.
//
// Copied from the design notes' /work/shared/scripts/folder-cycles.js (issue 13: "make room for the
// next ten features"). It reads the relative imports of every .ts file under one source root (specs
// left out), maps each to the top-level folder it is in and the one it points into, and prints the
// strongly connected components of that folder graph: folders that import each other in a circle,
// directly or through others. Exit code 1 when there is any, so a cycle that comes back fails CI;
// folders must keep importing downwards only (docs/architecture.md draws the api's layers).
//
// Usage: node tools/checks/folder-cycles.js <source root>
const fs = require('fs'),
  path = require('path');
const root = path.resolve(process.argv[2]);
const edges = new Map();
const folderOf = (f) => path.relative(root, f).split(path.sep)[0];
function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ts$/.test(e.name) && !/\.spec\.ts$/.test(e.name)) {
      const from = folderOf(p);
      if (!fs.statSync(path.join(root, from)).isDirectory()) continue;
      const src = fs.readFileSync(p, 'utf8');
      for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = path.resolve(path.dirname(p), m[1]);
        if (!target.startsWith(root + path.sep)) continue;
        const to = folderOf(target);
        if (
          to === from ||
          !fs.existsSync(path.join(root, to)) ||
          !fs.statSync(path.join(root, to)).isDirectory()
        )
          continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from).add(to);
      }
    }
  }
}
walk(root);
// strongly connected components (Tarjan)
let index = 0;
const idx = new Map(),
  low = new Map(),
  on = new Set(),
  stack = [],
  sccs = [];
function strong(v) {
  idx.set(v, index);
  low.set(v, index);
  index++;
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v) || []) {
    if (!idx.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) sccs.push(c);
  }
}
for (const v of new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]))
  if (!idx.has(v)) strong(v);
const folders = new Set([...edges.keys()]).size;
if (sccs.length) {
  console.log(
    `${sccs.length} folder cycle(s) in ${path.basename(path.dirname(root))}/${path.basename(root)}: ` +
      sccs.map((c) => c.sort().join(' ⇄ ')).join('; '),
  );
  process.exit(1);
}
console.log(`no folder cycles among ${folders} folders`);
