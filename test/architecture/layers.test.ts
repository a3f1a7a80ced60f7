import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { importGraph, type Edge } from './import-graph';
import { componentOf, crossing, layerOf } from './layers';
import { KNOWN_CROSSINGS } from './known-crossings';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const edges = importGraph(ROOT);
const key = (e: Edge) => `${e.from} -> ${e.to}`;

/** Cycles between parts: each layer, with the components one part each (a guest inside its host). */
function partCycles(all: Edge[]): string[][] {
  const part = (p: string) => (layerOf(p) === 'component' ? componentOf(p)!.replace(/^guest$/, 'host') : layerOf(p));
  const next = new Map<string, Set<string>>();
  for (const e of all) {
    const [a, b] = [part(e.from), part(e.to)];
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const cycles: string[][] = [];
  const walk = (start: string, at: string, path: string[]) => {
    for (const n of next.get(at) ?? []) {
      if (n === start) cycles.push([...path, n]);
      else if (!path.includes(n) && n > start) walk(start, n, [...path, n]);
    }
  };
  for (const a of next.keys()) walk(a, a, [a]);
  return cycles;
}

describe('layers point one way (DESIGN.md)', () => {
  it('reads the import graph', () => {
    // The graph parser must see the imports every check below relies on.
    expect(edges).toContainEqual({ from: 'workers/lab/lab-api.ts', to: 'workers/lab/lab.ts' });
    expect(edges).toContainEqual({ from: 'workers/registry.ts', to: 'workers/host/host.ts' });
    expect(edges.some((e) => e.from.endsWith('.svelte'))).toBe(true);
  });

  it('has no import up the layers and no new crossing between components or from the UI', () => {
    const known = new Set(KNOWN_CROSSINGS);
    const fresh = edges.filter((e) => crossing(e.from, e.to) && !known.has(key(e))).map((e) => `${key(e)}: ${crossing(e.from, e.to)}`);
    expect(fresh).toEqual([]);
  });

  it('keeps no stale entry in the known crossings', () => {
    const now = new Set(edges.filter((e) => crossing(e.from, e.to)).map(key));
    expect(KNOWN_CROSSINGS.filter((k) => !now.has(k))).toEqual([]);
    expect(KNOWN_CROSSINGS.filter((k) => crossing(...(k.split(' -> ') as [string, string]))?.includes('up the layers'))).toEqual([]);
  });

  it('finds an upward import when one is made', () => {
    expect(crossing('workers/lab/transport.ts', 'workers/registry.ts')).toMatch(/up the layers/);
    expect(crossing('workers/host/vsfwd/vsfwd.ts', 'workers/manager/types.ts')).toMatch(/components meet only in protocol/);
    expect(crossing('workers/protocol/frame.ts', 'workers/lab/component.ts')).toMatch(/up the layers/);
    expect(crossing('src/App.svelte', 'workers/host/host.ts')).toMatch(/the UI/);
    expect(crossing('workers/host/host.ts', 'workers/guest/guest.ts')).toBeUndefined();
    expect(crossing('workers/fabric/fabric.ts', 'workers/guest/guest.ts')).toBeUndefined();
    expect(crossing('workers/guest/guest.ts', 'workers/fabric/fabric.ts')).toMatch(/components meet only in protocol/);
    expect(layerOf('workers/lab/lab-api.ts')).toBe('api');
  });

  it('has no cycle between layers or components, type imports included', () => {
    expect(partCycles(edges)).toEqual([]);
  });
});
