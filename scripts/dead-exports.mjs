// Lists exports of workers/ and src/ that no other file names (a hand-made ts-prune): `node scripts/dead-exports.mjs`.
// A name is alive when any other file under workers, src, test or scripts mentions it as a word; an export
// used only in its own file is listed as "local only". Generated protobuf code is left out.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) { if (!['node_modules', 'gen', 'dist', '.cache'].includes(e.name)) walk(p); }
    else if (/\.(ts|svelte|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push(p);
  }
};
for (const d of ['workers', 'src', 'test', 'scripts']) walk(path.join(root, d));
const text = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
const words = new Map();
for (const [f, t] of text) for (const w of new Set(t.match(/[A-Za-z_$][\w$]*/g) ?? [])) (words.get(w) ?? words.set(w, new Set()).get(w)).add(f);
const EXPORT = /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:const|let|function\*?|class|interface|type|enum|const\s+enum|abstract\s+class)\s+([A-Za-z_$][\w$]*)/gm;
let dead = 0;
for (const [f, t] of text) {
  const rel = path.relative(root, f);
  if (!/^(workers|src)\//.test(rel) || !rel.endsWith('.ts') || /\.worker\.ts$|unit\.node-worker/.test(rel)) continue;
  for (const m of t.matchAll(EXPORT)) {
    const name = m[1];
    const users = [...(words.get(name) ?? [])].filter((x) => x !== f);
    if (users.length) continue;
    const local = (t.match(new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g')) ?? []).length > 1;
    console.log(`${rel}: ${name}${local ? ' (local only)' : ''}`);
    dead++;
  }
}
console.error(`${dead} exports no other file names`);
