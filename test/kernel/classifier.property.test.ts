import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompiledClassifier } from '../../workers/host/kernel/classifier/compiled';
import { linearClassify } from '../../workers/host/kernel/classifier/linear';
import { RuleTable, type EntrySpec } from '../../workers/host/kernel/classifier/rule-table';
import { L3RuleSet, lineToSpecs } from '../../workers/host/kernel/sfw/l3-ruleset';
import type { AddressMatch, AddressSets, L3RuleLine } from '../../workers/protocol/ruleset';
import { referenceFirstMatch, toInt, type RefPacket } from './reference-matcher';

const SET_NAMES = ['ip-securitygroup-1', 'ip-securitygroup-2', 'ip-ipset-3', 'ip-virtualwire-4'];

// A small address universe so rules and packets collide often.
const ip = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 3 })).map(([a, b, c]) => `10.${a}.${c}.${b}`);
const prefix = fc.tuple(ip, fc.constantFrom(0, 8, 16, 20, 24, 28, 30, 31, 32)).map(([a, len]) => `${a}/${len}`);
const range = fc.tuple(ip, ip).map(([a, b]) => `${a}-${b}`);
const setEntry = fc.oneof(ip, prefix, range, fc.constant('fe80::1'));
const addressSets: fc.Arbitrary<AddressSets> = fc.tuple(...SET_NAMES.map(() => fc.array(setEntry, { maxLength: 4 }))).map((lists) => Object.fromEntries(SET_NAMES.map((n, i) => [n, lists[i]])));

const side: fc.Arbitrary<AddressMatch> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<AddressMatch>({ sets: [], cidrs: [], negate: false }) },
  { weight: 3, arbitrary: fc.record({ sets: fc.subarray(SET_NAMES, { minLength: 1, maxLength: 2 }), cidrs: fc.constant([] as string[]), negate: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ sets: fc.constant([] as string[]), cidrs: fc.array(fc.oneof(ip, prefix), { minLength: 1, maxLength: 2 }), negate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ sets: fc.subarray(SET_NAMES, { minLength: 1, maxLength: 1 }), cidrs: fc.array(prefix, { minLength: 1, maxLength: 1 }), negate: fc.boolean() }) },
);

const port = fc.integer({ min: 0, max: 40 });
const portRanges = fc.oneof(
  { weight: 3, arbitrary: fc.constant([] as [number, number][]) },
  { weight: 2, arbitrary: fc.array(fc.tuple(port, port).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]), { minLength: 1, maxLength: 2 }) },
  { weight: 2, arbitrary: port.map((p) => [[p, p]] as [number, number][]) },
);

const line: fc.Arbitrary<L3RuleLine> = fc
  .record({
    direction: fc.constantFrom('in', 'out', 'inout') as fc.Arbitrary<'in' | 'out' | 'inout'>,
    packetType: fc.constantFrom('any', 'any', 'ipv4', 'ipv6') as fc.Arbitrary<'any' | 'ipv4' | 'ipv6'>,
    protocol: fc.constantFrom<number | 'any'>('any', 6, 17, 1, 47),
    src: side,
    dst: side,
    srcPorts: portRanges,
    dstPorts: portRanges,
    icmpType: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    icmpCode: fc.option(fc.integer({ min: 0, max: 1 }), { nil: undefined }),
    action: fc.constantFrom('allow', 'deny', 'reject') as fc.Arbitrary<'allow' | 'deny' | 'reject'>,
  })
  .map((r, ) => {
    const ports = r.protocol === 6 || r.protocol === 17;
    return {
      id: 0,
      sectionId: 1,
      logged: false,
      stateless: false,
      tcpStrict: false,
      ...r,
      srcPorts: ports ? r.srcPorts : [],
      dstPorts: ports ? r.dstPorts : [],
      icmpType: r.protocol === 1 ? r.icmpType : undefined,
      icmpCode: r.protocol === 1 && r.icmpType !== undefined ? r.icmpCode : undefined,
    };
  });

const packet: fc.Arbitrary<RefPacket> = fc.record({
  dir: fc.constantFrom('in', 'out') as fc.Arbitrary<'in' | 'out'>,
  proto: fc.constantFrom(6, 17, 1, 47),
  src: ip,
  dst: ip,
  sport: port,
  dport: port,
  icmpType: fc.integer({ min: 0, max: 3 }),
  icmpCode: fc.integer({ min: 0, max: 1 }),
});

function changedBetween(a: AddressSets, b: AddressSets): Set<string> {
  return new Set(SET_NAMES.filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n])));
}

function specsOf(lines: L3RuleLine[]): EntrySpec[] {
  return lines.flatMap((l, i) => lineToSpecs(l, i));
}

function headerArgs(p: RefPacket): [number, number, number, number, number, number, number, number] {
  const ports = p.proto === 6 || p.proto === 17;
  return [p.dir === 'in' ? 1 : 2, p.proto, toInt(p.src), toInt(p.dst), ports ? p.sport : 0, ports ? p.dport : 0, p.icmpType, p.icmpCode];
}

function refPacket(p: RefPacket): RefPacket {
  const ports = p.proto === 6 || p.proto === 17;
  return ports ? p : { ...p, sport: 0, dport: 0 };
}

describe('classifier: compiled tuple-space search == linear oracle == naive reference', () => {
  it('agrees on random rule sets and packets (first match, and first match after a line)', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), addressSets, fc.array(packet, { minLength: 1, maxLength: 40 }), fc.integer({ min: -1, max: 30 }), (lines, sets, packets, after) => {
        const table = new RuleTable(specsOf(lines), sets);
        const compiled = new CompiledClassifier(table);
        for (const p of packets) {
          const args = headerArgs(p);
          for (const a of [-1, after]) {
            const lin = linearClassify(table, ...args, a);
            const cmp = compiled.classify(...args, a);
            const ref = referenceFirstMatch(lines, sets, refPacket(p), a);
            expect(lin < 0 ? -1 : table.line[lin]).toBe(ref);
            expect(cmp < 0 ? -1 : table.line[cmp]).toBe(ref);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('still agrees after address sets change under an existing rule table', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 30, maxLength: 80 }), addressSets, addressSets, fc.array(packet, { minLength: 5, maxLength: 30 }), (lines, before, after, packets) => {
        const rs = new L3RuleSet(lines, before);
        const rowsBefore = rs.table.count;
        const changed = new Set(SET_NAMES.filter((n) => JSON.stringify(before[n]) !== JSON.stringify(after[n])));
        rs.updateSets(after, changed);
        expect(rs.table.count).toBe(rowsBefore);
        for (const p of packets) {
          const args = headerArgs(p);
          const ref = referenceFirstMatch(lines, after, refPacket(p));
          expect(rs.classify(...args)).toBe(ref);
          expect(rs.classifyLinear(...args)).toBe(ref);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('agrees when the same line objects are compiled again in another order (specs kept per line)', () => {
    fc.assert(
      // At least 30 lines: enough rows for the indexed classifier, whose priority checks read each row's line.
      fc.property(fc.array(line, { minLength: 30, maxLength: 60 }), addressSets, fc.array(packet, { minLength: 5, maxLength: 30 }), (lines, sets, packets) => {
        new L3RuleSet(lines, sets); // first compile: the per-line specs are kept
        const reordered = [...lines].reverse();
        const rs = new L3RuleSet(reordered, sets);
        for (const p of packets) expect(rs.classify(...headerArgs(p))).toBe(referenceFirstMatch(reordered, sets, refPacket(p)));
      }),
      { numRuns: 150 },
    );
  });

  it('a table patched from the previous one (an edit between kept lines, sets changed) equals a fresh compile and follows later set updates', () => {
    const edit = fc.record({ at: fc.nat(), removed: fc.integer({ min: 0, max: 5 }), inserted: fc.array(line, { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(line, { minLength: 30, maxLength: 70 }), edit, addressSets, addressSets, addressSets, fc.array(packet, { minLength: 5, maxLength: 30 }), (lines, e, sets1, sets2, sets3, packets) => {
        const previous = new L3RuleSet(lines, sets1);
        const at = e.at % (lines.length + 1);
        const edited = [...lines.slice(0, at), ...e.inserted, ...lines.slice(at + e.removed)];
        const rs = new L3RuleSet(edited, sets2, previous);
        rs.updateSets(sets2, changedBetween(sets1, sets2)); // as a filter does when sets and rules change together
        expect(rs.compiledLines).toBe(e.inserted.length);
        const fresh = new L3RuleSet(edited, sets2);
        expect(Array.from(rs.table.rows)).toEqual(Array.from(fresh.table.rows));
        expect(Array.from(rs.table.line)).toEqual(Array.from(fresh.table.line));
        for (const p of packets) expect(rs.classify(...headerArgs(p))).toBe(referenceFirstMatch(edited, sets2, refPacket(p)));
        rs.updateSets(sets3, changedBetween(sets2, sets3));
        for (const p of packets) {
          const ref = referenceFirstMatch(edited, sets3, refPacket(p));
          expect(rs.classify(...headerArgs(p))).toBe(ref);
          expect(rs.classifyLinear(...headerArgs(p))).toBe(ref);
        }
        expect(new Set(rs.referencedSets())).toEqual(new Set(fresh.referencedSets()));
      }),
      { numRuns: 200 },
    );
  });

  it('can fail: a classifier that ignores direction disagrees with the reference', () => {
    const lines = [{ ...line_in(), direction: 'in' as const }];
    const table = new RuleTable(specsOf(lines), {});
    const p: RefPacket = { dir: 'out', proto: 6, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, icmpType: 0, icmpCode: 0 };
    const wrong = linearClassify(table, 3 /* both directions: the bug */, 6, toInt(p.src), toInt(p.dst), 1, 2, 0, 0);
    expect(wrong).not.toBe(referenceFirstMatch(lines, {}, p));
  });
});

describe('a rule table used up by its successor', () => {
  it('RuleTable.from takes the previous table over; building on it again throws, the successor classifies as before', () => {
    const lines = [line_in(), { ...line_in(), id: 2, direction: 'out' as const, action: 'allow' as const }];
    const first = new RuleTable(specsOf(lines), {});
    const keepAll = { head: first.count, tailFrom: first.count, shift: 0 };
    const next = RuleTable.from(first, [], {}, undefined, keepAll);
    expect(first.usedUp).toBe(true);
    expect(next.usedUp).toBe(false);
    expect(() => RuleTable.from(first, [], {}, undefined, keepAll)).toThrow(/used up by a newer one/);
    const p: RefPacket = { dir: 'out', proto: 6, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2, icmpType: 0, icmpCode: 0 };
    expect(linearClassify(next, 2, 6, toInt(p.src), toInt(p.dst), 1, 2, 0, 0)).toBe(referenceFirstMatch(lines, {}, p));
  });
});

function line_in(): L3RuleLine {
  return { id: 1, sectionId: 1, direction: 'in', packetType: 'any', protocol: 'any', src: { sets: [], cidrs: [], negate: false }, dst: { sets: [], cidrs: [], negate: false }, srcPorts: [], dstPorts: [], action: 'deny', logged: false, stateless: false, tcpStrict: false };
}
