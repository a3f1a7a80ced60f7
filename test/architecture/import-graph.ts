/**
 * The product's import graph, read from the source: every relative import (static, dynamic,
 * type-only and re-exports) of `workers/` and `src/`, resolved to the file it names.
 */
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface Edge {
  from: string;
  to: string;
}

const SOURCE = /\.(ts|svelte)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function resolveImport(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.svelte`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Every relative import between product files, as repository-relative paths. */
export function importGraph(root: string, folders: readonly string[] = ['workers', 'src']): Edge[] {
  const edges: Edge[] = [];
  for (const folder of folders) {
    for (const file of walk(join(root, folder), [])) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2] ?? m[3];
        if (!spec?.startsWith('.')) continue;
        const target = resolveImport(file, spec);
        if (target) edges.push({ from: relative(root, file), to: relative(root, target) });
      }
    }
  }
  return edges;
}
