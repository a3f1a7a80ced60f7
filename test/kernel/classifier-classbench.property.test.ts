import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledClassifier } from '../../workers/host/kernel/classifier/compiled';
import { linearClassify } from '../../workers/host/kernel/classifier/linear';
import { RuleTable, type EntrySpec } from '../../workers/host/kernel/classifier/rule-table';
import { cornerTrace } from '../bench/classbench/generator';

// ClassBench-like rules: few networks so prefixes nest and collide, lengths from wildcard to /32,
// wide and narrow port ranges, exact ports, protocol wildcards.
const net = fc.constantFrom(0x0a000000, 0x0a010000, 0xc0a80000, 0xac100000, 0x00000000, 0xffffff00).chain((base) => fc.integer({ min: 0, max: 0xffff }).map((low) => (base | low) | 0));
const len = fc.constantFrom(0, 0, 1, 2, 8, 16, 22, 24, 28, 30, 31, 32, 32);
const side = fc.tuple(net, len).map(([n, l]) => ({ prefix: [l === 0 ? 0 : n & ((0xffffffff << (32 - l)) | 0), l] as [number, number] }));
const portPick = fc.constantFrom(0, 22, 53, 80, 443, 1023, 1024, 8080, 65535);
const ports = fc.oneof(
  fc.constant<[number, number]>([0, 65535]),
  fc.constant<[number, number]>([1024, 65535]),
  portPick.map((p) => [p, p] as [number, number]),
  fc.tuple(portPick, portPick).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]),
);
const rule = fc.record({ proto: fc.constantFrom(-1, 6, 6, 17, 1, 47), sport: ports, dport: ports, src: side, dst: side, dirMask: fc.constantFrom(1, 2, 3, 3) });
type Rule = Omit<EntrySpec, 'line' | 'icmpType' | 'icmpCode'>;
const toSpecs = (rs: Rule[]): EntrySpec[] => rs.map((r, line) => ({ ...r, line, icmpType: -1, icmpCode: -1 }));

function disagreements(specs: EntrySpec[], headers: { src: number; dst: number; sport: number; dport: number; proto: number }[]): number {
  const table = new RuleTable(specs);
  const compiled = new CompiledClassifier(table);
  let bad = 0;
  for (const h of headers) {
    for (const dir of [1, 2]) {
      for (const after of [-1, specs.length >> 1]) {
        const want = linearClassify(table, dir, h.proto, h.src, h.dst, h.sport, h.dport, 0, 0, after);
        if (compiled.classify(dir, h.proto, h.src, h.dst, h.sport, h.dport, 0, 0, after) !== want) bad++;
      }
    }
  }
  return bad;
}

describe('classifier on ClassBench-like rule sets == linear oracle', () => {
  it('agrees on corner headers and random headers (wide port ranges, wildcards, nested prefixes)', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 300 }), fc.array(fc.record({ src: net, dst: net, sport: portPick, dport: portPick, proto: fc.constantFrom(0, 6, 17, 1, 47, 255) }), { maxLength: 40 }), fc.integer(), (rs, random, seed) => {
        const specs = toSpecs(rs);
        expect(disagreements(specs, [...cornerTrace(specs, 60, seed), ...random])).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees when hundreds of rules share their addresses (the build falls back to priority bands)', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 40 }), fc.array(fc.tuple(ports, ports, fc.constantFrom(-1, 6, 17)), { minLength: 200, maxLength: 400 }), fc.integer(), (head, services, seed) => {
        // Any-to-any rules that differ only in ports and protocol pile up in one bucket.
        const piled = services.map(([sport, dport, proto]) => ({ proto, sport, dport, src: { prefix: [0, 0] as [number, number] }, dst: { prefix: [0, 0] as [number, number] }, dirMask: 3 }));
        const specs = toSpecs([...head, ...piled]);
        expect(disagreements(specs, cornerTrace(specs, 80, seed))).toBe(0);
      }),
      { numRuns: 15 },
    );
  });

  it('agrees when dozens of rules share a relaxed bucket (one server from one /16, a service each: the build keys them by their exact fields)', () => {
    const service = fc.record({ srcLen: fc.integer({ min: 16, max: 32 }), low: fc.integer({ min: 0, max: 0xffff }), dport: fc.oneof(portPick.map((p) => [p, p] as [number, number]), ports), sport: fc.oneof(fc.constant<[number, number]>([0, 65535]), portPick.map((p) => [p, p] as [number, number])), proto: fc.constantFrom(-1, 6, 6, 17) });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 30 }), fc.array(service, { minLength: 45, maxLength: 120 }), fc.integer(), (head, services, seed) => {
        const server = { prefix: [0x0a010203, 32] as [number, number] };
        const crowd = services.map((x) => ({ proto: x.proto, sport: x.sport, dport: x.dport, src: { prefix: [(0xc0a80000 | x.low) & ((0xffffffff << (32 - x.srcLen)) | 0), x.srcLen] as [number, number] }, dst: server, dirMask: 3 }));
        const specs = toSpecs([...head, ...crowd]);
        expect(disagreements(specs, cornerTrace(specs, 80, seed))).toBe(0);
      }),
      { numRuns: 20 },
    );
  });

  it('agrees when one network pair is crowded with services and short prefixes fill the coarse tables (port-keyed grid tables, 8- and 4-bit grids, the coarse bucket limit)', () => {
    const lenIn = (min: number, max: number) => fc.integer({ min, max });
    const crowded = fc.record({ sLen: lenIn(16, 32), dLen: lenIn(16, 32), sLow: fc.integer({ min: 0, max: 0xffff }), dLow: fc.integer({ min: 0, max: 0xffff }), dport: fc.oneof(portPick.map((p) => [p, p] as [number, number]), portPick.map((p) => [p, p] as [number, number]), ports), proto: fc.constantFrom(-1, 6, 17) });
    const short = fc.record({ sLen: lenIn(0, 15), dLen: lenIn(0, 15), s: net, d: net, dport: ports, sport: ports, proto: fc.constantFrom(-1, 6, 17) });
    const mask = (l: number) => (l === 0 ? 0 : (0xffffffff << (32 - l)) | 0);
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 30 }), fc.array(crowded, { minLength: 45, maxLength: 150 }), fc.array(short, { minLength: 10, maxLength: 60 }), fc.integer(), (head, services, shorts, seed) => {
        const pair = services.map((x) => ({ proto: x.proto, sport: [0, 65535] as [number, number], dport: x.dport, src: { prefix: [(0xc0a80000 | x.sLow) & mask(x.sLen), x.sLen] as [number, number] }, dst: { prefix: [(0x0a010000 | x.dLow) & mask(x.dLen), x.dLen] as [number, number] }, dirMask: 3 }));
        const wide = shorts.map((x) => ({ proto: x.proto, sport: x.sport, dport: x.dport, src: { prefix: [x.s & mask(x.sLen), x.sLen] as [number, number] }, dst: { prefix: [x.d & mask(x.dLen), x.dLen] as [number, number] }, dirMask: 3 }));
        const specs = toSpecs([...head, ...pair, ...wide, ...pair.slice(0, 10)]);
        expect(disagreements(specs, cornerTrace(specs, 100, seed))).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('agrees when a long run of specific rules leads the list (leading tables take the run, the rest is placed row by row, falling back to bands after them)', () => {
    const mask = (l: number) => (l === 0 ? 0 : (0xffffffff << (32 - l)) | 0);
    const specific = fc.record({ sLen: fc.integer({ min: 20, max: 32 }), dLen: fc.integer({ min: 12, max: 32 }), sLow: fc.integer({ min: 0, max: 0xffffff }), dLow: fc.integer({ min: 0, max: 0xffffff }), dport: ports, sport: ports, proto: fc.constantFrom(-1, 6, 17) });
    const wideRange = fc.constantFrom<[number, number]>([0, 65535], [1024, 65535], [80, 443]);
    fc.assert(
      fc.property(fc.array(specific, { minLength: 150, maxLength: 300 }), fc.boolean(), fc.array(rule, { maxLength: 30 }), fc.array(fc.tuple(wideRange, fc.constantFrom(-1, 6, 17)), { maxLength: 200 }), fc.integer(), (run, onePort, tail, services, seed) => {
        // With one port each, the leading tables key the destination port too.
        const lead = run.map((x) => ({ proto: x.proto, sport: x.sport, dport: onePort ? ([x.dport[0], x.dport[0]] as [number, number]) : x.dport, src: { prefix: [(0x0a000000 | x.sLow) & mask(x.sLen), x.sLen] as [number, number] }, dst: { prefix: [(0xac000000 | x.dLow) & mask(x.dLen), x.dLen] as [number, number] }, dirMask: 3 }));
        // Any-to-any rules on port ranges: more than 80 pile up in one bucket, so the row-by-row part retries with bands.
        const piled = services.map(([dport, proto]) => ({ proto, sport: [0, 65535] as [number, number], dport, src: { prefix: [0, 0] as [number, number] }, dst: { prefix: [0, 0] as [number, number] }, dirMask: 3 }));
        const specs = toSpecs([...lead, ...tail, ...piled, ...lead.slice(0, 20).map((r) => ({ ...r, dport: [0, 65535] as [number, number] }))]);
        expect(new CompiledClassifier(new RuleTable(specs)).stats().leading).toBeGreaterThan(0);
        expect(disagreements(specs, cornerTrace(specs, 100, seed))).toBe(0);
      }),
      { numRuns: 20 },
    );
  });

  it('agrees when an address pair holds a long run of single-port services among port ranges (the bucket is split into port groups)', () => {
    const service = fc.record({ dport: fc.oneof(portPick.map((p) => [p, p] as [number, number]), portPick.map((p) => [p, p] as [number, number]), ports), sport: fc.oneof(fc.constant<[number, number]>([0, 65535]), portPick.map((p) => [p, p] as [number, number])), proto: fc.constantFrom(-1, 6, 17), dirMask: fc.constantFrom(1, 3) });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 20 }), fc.array(service, { minLength: 10, maxLength: 40 }), fc.array(fc.tuple(portPick, portPick, fc.constantFrom(6, 17, 1)), { maxLength: 30 }), fc.integer(), (head, services, probes, seed) => {
        const pair = services.map((x) => ({ ...x, src: { prefix: [0xc0a80105, 32] as [number, number] }, dst: { prefix: [0x0a010203, 32] as [number, number] } }));
        const specs = toSpecs([...head, ...pair]);
        const onPair = probes.map(([sport, dport, proto]) => ({ src: 0xc0a80105, dst: 0x0a010203, sport, dport, proto }));
        expect(disagreements(specs, [...cornerTrace(specs, 60, seed), ...onPair])).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('can fail: a header outside every rule finds nothing, one at a rule corner finds a rule', () => {
    const specs = toSpecs([{ proto: 6, sport: [0, 65535], dport: [80, 80], src: { prefix: [0x0a000000, 8] }, dst: { prefix: [0, 0] }, dirMask: 3 }]);
    const compiled = new CompiledClassifier(new RuleTable(specs));
    expect(compiled.classify(1, 6, 0x0b000000, 1, 5, 80, 0, 0)).toBe(-1);
    expect(compiled.classify(1, 6, 0x0affffff, 1, 5, 80, 0, 0)).toBe(0);
  });
});
