/**
 * Where issue 16's grep (`grep -R "as unknown as\|: unknown" workers src`) still finds code:
 * the same pattern, per file, leaving out string literals (an `iptables: unknown option` a
 * console prints is not a type), and counting `: readonly unknown[]` too (the grep's words let it
 * pass). Svelte files are read by their `<script>` blocks.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const UNKNOWN_PATTERN = /as unknown as|: (?:readonly )?unknown/g;

/** Start and end of every string and template text in a TypeScript source. */
function literalRanges(source: string): [number, number][] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const ranges: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      ranges.push([node.getStart(file), node.getEnd()]);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return ranges;
}

/** How many lines of a source the pattern matches in code (not inside its strings), as grep counts them. */
export function codeMatches(source: string): number {
  const ranges = literalRanges(source);
  const lines = new Set<number>();
  for (const m of source.matchAll(UNKNOWN_PATTERN)) {
    if (!ranges.some(([a, b]) => m.index >= a && m.index < b)) lines.add(source.slice(0, m.index).split('\n').length);
  }
  return lines.size;
}

function scripts(svelte: string): string[] {
  return [...svelte.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

/** Per file under `workers/` and `src/` (paths relative to root): matches in code, files with none left out. */
export function unknownMatches(root: string): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (/\.(ts|svelte)$/.test(e.name)) {
        const text = fs.readFileSync(path.join(root, rel), 'utf8');
        if (!text.match(UNKNOWN_PATTERN)) continue;
        const n = (e.name.endsWith('.svelte') ? scripts(text) : [text]).reduce((sum, s) => sum + codeMatches(s), 0);
        if (n) out[rel] = n;
      }
    }
  };
  walk('workers');
  walk('src');
  return out;
}
