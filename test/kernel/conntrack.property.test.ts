import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnTable } from '../../workers/host/kernel/conntrack/table';

const flow = fc.record({
  src: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  dst: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  sport: fc.integer({ min: 0, max: 65535 }),
  dport: fc.integer({ min: 0, max: 65535 }),
  proto: fc.constantFrom(1, 6, 17, 47),
});
type Flow = { src: number; dst: number; sport: number; dport: number; proto: number };
const keyOf = (f: Flow) => {
  const fwd = f.src < f.dst || (f.src === f.dst && f.sport <= f.dport);
  return fwd ? `${f.proto}|${f.src}|${f.sport}|${f.dst}|${f.dport}` : `${f.proto}|${f.dst}|${f.dport}|${f.src}|${f.sport}`;
};

describe('connection table', () => {
  it('finds every entry from both directions and reports which way the packet runs', () => {
    fc.assert(
      fc.property(fc.array(flow, { maxLength: 300 }), (flows) => {
        const t = new ConnTable(16);
        const ids = new Map<string, number>();
        for (const f of flows) {
          if (ids.has(keyOf(f)) || t.find(f.src, f.dst, f.sport, f.dport, f.proto) >= 0) continue;
          ids.set(keyOf(f), t.insert(f.src, f.dst, f.sport, f.dport, f.proto));
        }
        for (const f of flows) {
          const e = ids.get(keyOf(f))!;
          expect(t.find(f.src, f.dst, f.sport, f.dport, f.proto)).toBe(e);
          const symmetric = f.src === f.dst && f.sport === f.dport;
          const fwdOrig = t.src[e] === f.src && t.sport(e) === f.sport;
          expect(t.lastReply).toBe(!fwdOrig && !symmetric);
          expect(t.find(f.dst, f.src, f.dport, f.sport, f.proto)).toBe(e);
          expect(t.lastReply).toBe(fwdOrig && !symmetric);
        }
        expect(t.count).toBe(ids.size);
      }),
      { numRuns: 200 },
    );
  });

  it('behaves like a map under random inserts and removals (backward-shift deletion)', () => {
    // A narrow key space forces collisions and long probe runs.
    const narrow = fc.record({ src: fc.integer({ min: 0, max: 7 }), dst: fc.integer({ min: 0, max: 7 }), sport: fc.integer({ min: 0, max: 3 }), dport: fc.constant(80), proto: fc.constant(6) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), narrow), { maxLength: 400 }), (ops) => {
        const t = new ConnTable(16);
        const model = new Map<string, number>();
        for (const [add, f] of ops) {
          const k = keyOf(f);
          if (add && !model.has(k)) model.set(k, t.insert(f.src, f.dst, f.sport, f.dport, f.proto));
          else if (!add && model.has(k)) {
            t.remove(model.get(k)!);
            model.delete(k);
          }
          expect(t.count).toBe(model.size);
        }
        for (const [, f] of ops) expect(t.find(f.src, f.dst, f.sport, f.dport, f.proto)).toBe(model.get(keyOf(f)) ?? -1);
      }),
      { numRuns: 200 },
    );
  });

  it('snapshot → restore gives the same lookups and the same slot layout', () => {
    const t = new ConnTable(16);
    for (let i = 0; i < 500; i++) t.insert(i * 7919, i * 104729, i & 0xffff, 443, 6);
    for (let i = 0; i < 500; i += 3) t.remove(t.find(i * 7919, i * 104729, i & 0xffff, 443, 6));
    const s = JSON.parse(JSON.stringify(t.snapshot()));
    const r = ConnTable.restore(s);
    expect(r.snapshot()).toEqual(s);
    for (let i = 0; i < 500; i++) expect(r.find(i * 104729, i * 7919, 443, i & 0xffff, 6)).toBe(t.find(i * 104729, i * 7919, 443, i & 0xffff, 6));
    // same next entry id after restore
    expect(r.insert(1, 2, 3, 4, 17)).toBe(t.insert(1, 2, 3, 4, 17));
  });

  it('refuses new entries at its limit (state-limit)', () => {
    const t = new ConnTable(16, 3);
    expect([0, 1, 2, 3].map((i) => t.insert(i, 100, 1, 1, 17))).toEqual([0, 1, 2, -1]);
  });
});
