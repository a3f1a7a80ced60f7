import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { codeMatches, unknownMatches } from './unknown-matches';
import { UNKNOWN_BOUNDARY, UNKNOWN_TO_TYPE } from './unknown-boundary';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe("untyped values stay at the boundary (issue 16's grep)", () => {
  const found = unknownMatches(ROOT);
  const allowed: Record<string, number> = { ...UNKNOWN_TO_TYPE };
  for (const [file, { lines }] of Object.entries(UNKNOWN_BOUNDARY)) allowed[file] = lines;

  it('counts code, not strings', () => {
    expect(codeMatches('const x = y as unknown as Z;\nfunction f(a: unknown) {}')).toBe(2);
    expect(codeMatches('throw new Error(`fabric: unknown host ${moid}`);\nreturn "iptables: unknown option";')).toBe(0);
    expect(codeMatches('f(`${a as unknown as string}: unknown`);')).toBe(1);
    expect(codeMatches('function g(list: readonly unknown[]) {}')).toBe(1);
    expect(found['workers/lab/lab-parts.ts']).toBeGreaterThan(0);
  });

  it('finds no match outside the listed files, and no more than listed', () => {
    const over = Object.entries(found)
      .filter(([file, n]) => n > (allowed[file] ?? 0))
      .map(([file, n]) => `${file}: ${n} lines (listed: ${allowed[file] ?? 0}); type the value, or parse it where it enters`);
    expect(over).toEqual([]);
  });

  it('keeps the lists as short as the code (they only shrink)', () => {
    const stale = Object.entries(allowed)
      .filter(([file, n]) => (found[file] ?? 0) < n)
      .map(([file, n]) => `${file}: listed ${n}, found ${found[file] ?? 0}`);
    expect(stale).toEqual([]);
    expect(Object.keys(UNKNOWN_BOUNDARY).filter((f) => f in UNKNOWN_TO_TYPE)).toEqual([]);
  });
});
