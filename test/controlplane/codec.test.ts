/**
 * The rule-set codec: the hand-written wire path gives the bytes the generated schema gives,
 * and a HostRuleSet survives encode → decode with shared rule lists still shared.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { RuleListSchema } from '../../workers/protocol/gen/vsfw_pb';
import { L2_FIELD, L3_FIELD, l2LineBytes, l3LineBytes, readRuleList, writeRuleList } from '../../workers/protocol/codec/rule-list-wire';
import { encodeAgainst, ListEncoder } from '../../workers/protocol/codec/list-encoding';
import { l2FromPb, l2ToPb, l3FromPb, l3ToPb } from '../../workers/protocol/codec/rule-lines';
import { DecodeMemory, decodeRuleSet, encodeRuleSet } from '../../workers/protocol/codec/ruleset-codec';
import type { HostRuleSet, L2RuleLine, L3RuleLine } from '../../workers/protocol/ruleset';

const name = fc.stringMatching(/^[a-z0-9.\-/]{1,20}$/);
const match = fc.record({ sets: fc.array(name, { maxLength: 3 }), cidrs: fc.array(name, { maxLength: 3 }), negate: fc.boolean() });
const ports = fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })), { maxLength: 3 });

const l3Line: fc.Arbitrary<L3RuleLine> = fc
  .record({
    id: fc.integer({ min: 0, max: 1 << 30 }),
    sectionId: fc.integer({ min: 0, max: 1 << 20 }),
    direction: fc.constantFrom('in', 'out', 'inout' as const),
    packetType: fc.constantFrom('any', 'ipv4', 'ipv6' as const),
    protocol: fc.oneof(fc.constant('any' as const), fc.integer({ min: 0, max: 255 })),
    src: match,
    dst: match,
    srcPorts: ports,
    dstPorts: ports,
    icmpType: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    icmpCode: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    action: fc.constantFrom('allow', 'deny', 'reject', 'punt' as const),
    logged: fc.boolean(),
    stateless: fc.boolean(),
    tcpStrict: fc.boolean(),
    alg: fc.option(fc.constant('ftp' as const), { nil: undefined }),
    tag: fc.option(name, { nil: undefined }),
  })
  .map((l) => JSON.parse(JSON.stringify(l)) as L3RuleLine);

const l2Line: fc.Arbitrary<L2RuleLine> = fc
  .record({
    id: fc.integer({ min: 0, max: 1 << 30 }),
    sectionId: fc.integer({ min: 0, max: 1 << 20 }),
    direction: fc.constantFrom('in', 'out', 'inout' as const),
    ethertype: fc.oneof(fc.constant('any' as const), fc.integer({ min: 0, max: 0xffff })),
    src: fc.record({ sets: fc.array(name, { maxLength: 2 }), macs: fc.array(name, { maxLength: 2 }), negate: fc.boolean() }),
    dst: fc.record({ sets: fc.array(name, { maxLength: 2 }), macs: fc.array(name, { maxLength: 2 }), negate: fc.boolean() }),
    action: fc.constantFrom('allow', 'deny', 'reject' as const),
    logged: fc.boolean(),
    tag: fc.option(name, { nil: undefined }),
  })
  .map((l) => JSON.parse(JSON.stringify(l)) as L2RuleLine);

describe('rule-set codec', () => {
  it('the wire path writes the bytes the generated schema writes, and each reads the other', () => {
    fc.assert(
      fc.property(fc.array(l3Line, { maxLength: 8 }), fc.array(l2Line, { maxLength: 4 }), (l3, l2) => {
        const fast = writeRuleList(l3, l2);
        const schema = toBinary(RuleListSchema, create(RuleListSchema, { l3: l3.map(l3ToPb), l2: l2.map(l2ToPb) }));
        expect(fast).toEqual(schema);
        const back = fromBinary(RuleListSchema, fast);
        expect(back.l3.map(l3FromPb)).toEqual(l3);
        expect(back.l2.map(l2FromPb)).toEqual(l2);
        expect(readRuleList(schema)).toEqual({ l3, l2 });
      }),
      { numRuns: 200 },
    );
  });

  it('a list cut off inside a line leaves nothing behind: the next list reads as it would have alone', () => {
    fc.assert(
      fc.property(fc.array(l3Line, { minLength: 1, maxLength: 6 }), fc.array(l3Line, { maxLength: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), (cut, next, at) => {
        const bytes = writeRuleList(cut, []);
        try {
          readRuleList(bytes.subarray(0, Math.floor(bytes.length * at)));
        } catch {
          // a truncated message may fail; what matters is the next one
        }
        expect(readRuleList(writeRuleList(next, [])).l3).toEqual(next);
      }),
      { numRuns: 200 },
    );
  });

  it('a line with a field numbered 0 or a key past 32 bits is refused as the generated reader refuses it', () => {
    const line = (...inner: number[]) => Uint8Array.from([0x0a, inner.length, ...inner]); // RuleList.l3 = 1, length-delimited
    expect(() => readRuleList(line(0x00, 0x00))).toThrow('illegal tag: field no 0 wire type 0');
    expect(() => readRuleList(line(0xff, 0xff, 0xff, 0xff, 0x1f, 0x00))).toThrow('illegal tag: varint overflows uint32');
    expect(() => fromBinary(RuleListSchema, line(0xff, 0xff, 0xff, 0xff, 0x1f, 0x00))).toThrow('illegal tag: varint overflows uint32');
    expect(readRuleList(line(0x88, 0x80, 0x80, 0x80, 0x00, 0x07)).l3[0]!.id).toBe(7); // field 1 in a five-byte key is still field 1
  });

  it('what a decoded line holds is read-only where lines share it (an any match, no ports)', () => {
    const any = { sets: [], cidrs: [], negate: false };
    const line: L3RuleLine = { id: 7, sectionId: 1, direction: 'inout', packetType: 'any', protocol: 'any', src: any, dst: any, srcPorts: [], dstPorts: [], action: 'allow', logged: false, stateless: false, tcpStrict: false };
    const [a, b] = readRuleList(writeRuleList([line, { ...line, id: 8 }], [])).l3;
    expect(a!.src).toBe(b!.dst); // one shared any match
    expect(() => (a!.src.cidrs as string[]).push('10.0.0.0/8')).toThrow(TypeError);
    expect(() => (a!.dstPorts as [number, number][]).push([80, 80])).toThrow(TypeError);
    expect(b).toEqual({ ...line, id: 8 });
  });

  it('lines naming the same address or one port share one read-only match and port list, across lists; others get their own', () => {
    const web = { sets: [], cidrs: ['172.16.10.11'], negate: false };
    const group = { sets: ['ip-securitygroup-10'], cidrs: [], negate: false };
    const line = (id: number, dst: L3RuleLine['dst'], port: number): L3RuleLine => ({
      id, sectionId: 1, direction: 'inout', packetType: 'any', protocol: 6, src: group, dst, srcPorts: [], dstPorts: [[port, port]], action: 'allow', logged: false, stateless: false, tcpStrict: false,
    });
    const first = [line(1, web, 80), line(2, web, 443), line(3, { ...web, negate: true }, 80)];
    const [a, b, c] = readRuleList(writeRuleList(first, [])).l3;
    const [d] = readRuleList(writeRuleList([line(4, web, 443)], [])).l3; // a later list: the same objects
    expect(a!.dst).toBe(b!.dst);
    expect(d!.dst).toBe(a!.dst);
    expect(a!.src).toBe(c!.src);
    expect(c!.dst).not.toBe(a!.dst); // negated: another match
    expect(a!.dstPorts).toBe(c!.dstPorts);
    expect(d!.dstPorts).toBe(b!.dstPorts);
    expect(a!.dstPorts).not.toBe(b!.dstPorts);
    expect(() => (a!.dst.cidrs as string[]).push('10.0.0.0/8')).toThrow(TypeError);
    expect(() => (a!.src.sets as string[]).push('ip-securitygroup-11')).toThrow(TypeError);
    expect(() => (b!.dstPorts as [number, number][]).push([80, 80])).toThrow(TypeError);
    expect([a, b, c, d]).toEqual([...first, line(4, web, 443)]);
  });

  it('a host rule set round-trips; filters that shared a rule list still share one', () => {
    fc.assert(
      fc.property(fc.array(l3Line, { maxLength: 6 }), fc.array(l3Line, { maxLength: 6 }), fc.array(l2Line, { maxLength: 3 }), (a, b, l2) => {
        const rs: HostRuleSet = {
          hostId: 'host-20',
          generation: 1767603600123,
          filters: { 'nic-1-eth0-vmware-sfw.2': { ruleset: 'domain-c25', generation: 7, l3: a, l2 }, 'nic-2-eth0-vmware-sfw.2': { ruleset: 'domain-c25', generation: 7, l3: a, l2 }, 'nic-3-eth0-vmware-sfw.2': { ruleset: 'domain-c25', generation: 7, l3: b, l2 } },
          addressSets: { 'ip-securitygroup-10': ['172.16.10.11', '172.16.10.12'], 'mac-securitygroup-10': [] },
          excluded: ['nic-9-eth0-vmware-sfw.2'],
          spoofGuard: [{ network: 'virtualwire-1', mode: 'manual', approved: [{ mac: '00:50:56:a1:00:36', ip: '172.16.10.11' }] }, { network: 'virtualwire-3', mode: 'off', approved: [] }],
        };
        const { ruleSet, scopedRuleIds } = decodeRuleSet(encodeRuleSet(rs, [1009, 1010]));
        expect(ruleSet).toEqual(rs);
        expect(scopedRuleIds).toEqual([1009, 1010]);
        expect(ruleSet.filters['nic-1-eth0-vmware-sfw.2']!.l3).toBe(ruleSet.filters['nic-2-eth0-vmware-sfw.2']!.l3);
      }),
      { numRuns: 100 },
    );
  });

  it('a host decoding its next rule set gets unchanged lines back as the same objects, changed ones read anew', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), line: l3Line }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), line: l3Line }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('move' as const), at: fc.nat(), to: fc.nat() }),
    );
    const ruleSet = (l3: L3RuleLine[]): HostRuleSet => ({ hostId: 'host-20', generation: 1, filters: { 'nic-1-eth0-vmware-sfw.2': { ruleset: 'domain-c25', generation: 1, l3, l2: [] } }, addressSets: {}, excluded: [] });
    const linesOf = (rs: HostRuleSet) => rs.filters['nic-1-eth0-vmware-sfw.2']!.l3;
    fc.assert(
      fc.property(fc.array(l3Line, { minLength: 1, maxLength: 40 }), fc.array(edit, { maxLength: 3 }), (lines, edits) => {
        // Distinct ids, as rule ids are: old lines 1…n, new ones from 1000.
        const before = lines.map((l, i) => ({ ...l, id: i + 1 }));
        const next = [...before];
        edits.forEach((e, n) => {
          const at = e.at % (next.length + 1);
          if (e.kind === 'replace' && at < next.length) next[at] = { ...e.line, id: 1000 + n };
          if (e.kind === 'insert') next.splice(at, 0, { ...e.line, id: 1000 + n });
          if (e.kind === 'delete' && at < next.length) next.splice(at, 1);
          if (e.kind === 'move' && at < next.length) next.splice(e.to % next.length, 0, ...next.splice(at, 1));
        });
        const memory = new DecodeMemory();
        const first = linesOf(decodeRuleSet(encodeRuleSet(ruleSet(before)), memory).ruleSet);
        const second = linesOf(decodeRuleSet(encodeRuleSet(ruleSet(next)), memory).ruleSet);
        expect(second).toEqual(next);
        // New lines are new objects. After one replace, insert or delete (an edit, a new rule, a
        // deleted rule), every kept line is the object decoded the first time, which the kernel
        // has compiled already; after moves or several edits some may be read again, never wrongly.
        const simple = edits.length <= 1 && edits.every((e) => e.kind !== 'move');
        for (const line of second) {
          if (line.id >= 1000) expect(first).not.toContain(line);
          else if (simple) expect(line).toBe(first[line.id - 1]);
        }
        // An unchanged list is the very array decoded before.
        expect(linesOf(decodeRuleSet(encodeRuleSet(ruleSet(next)), memory).ruleSet)).toBe(second);
      }),
      { numRuns: 150 },
    );
  });

  it('damaged bytes are refused, not half-applied', () => {
    const rs: HostRuleSet = { hostId: 'h', generation: 1, filters: { f: { ruleset: 'c', generation: 1, l3: [], l2: [] } }, addressSets: {}, excluded: [] };
    const bytes = encodeRuleSet(rs);
    const cut = bytes.slice(0, bytes.length - 1);
    cut[cut.length - 1] = 0xff;
    expect(() => decodeRuleSet(cut)).toThrow();
  });

  it('a list encoded against an earlier one (the runs of lines both share copied as bytes) is byte for byte the list written whole', () => {
    // A list, and the next one made from it as edits make them: lines cut out and new lines put in, anywhere.
    const edited = <T>(line: fc.Arbitrary<T>) =>
      fc.array(line, { maxLength: 12 }).chain((base) =>
        fc.record({ at: fc.nat({ max: base.length }), cut: fc.nat({ max: 4 }), put: fc.array(line, { maxLength: 3 }), moved: fc.boolean() }).map(({ at, cut, put, moved }) => {
          const next = [...base];
          next.splice(at, cut, ...put);
          // Sometimes a line of the old list comes back elsewhere: the same object, another place.
          if (moved && base.length) next.push(base[0]!);
          return { base, next };
        }),
      );
    fc.assert(
      fc.property(edited(l3Line), edited(l2Line), ({ base, next }, l2) => {
        const before = encodeAgainst(base, L3_FIELD, l3LineBytes);
        const after = encodeAgainst(next, L3_FIELD, l3LineBytes, before);
        expect(after.bytes).toEqual(writeRuleList(next, []));
        expect(readRuleList(after.bytes).l3).toEqual(next);
        // Each line's field ends where the next one's starts; the last at the end.
        expect(after.ends.at(-1) ?? 0).toBe(after.bytes.length);
        const l2After = encodeAgainst(l2.next, L2_FIELD, l2LineBytes, encodeAgainst(l2.base, L2_FIELD, l2LineBytes));
        expect(l2After.bytes).toEqual(writeRuleList([], l2.next));
      }),
      { numRuns: 150 },
    );
    // Lines longer than 127 bytes (two-byte lengths), the changed line in the middle of a long list.
    const long = (i: number): L3RuleLine => ({ ...JSON.parse(JSON.stringify({ id: i, sectionId: 1, direction: 'inout', packetType: 'any', protocol: 6, src: { sets: [], cidrs: ['10.0.0.0/8'], negate: false }, dst: { sets: [], cidrs: [], negate: false }, srcPorts: [], dstPorts: [[80, 80]], action: 'allow', logged: false, stateless: false, tcpStrict: false })), tag: 'x'.repeat(100 + i) });
    const lines = Array.from({ length: 50 }, (_, i) => long(i));
    const encoder = new ListEncoder<L3RuleLine>(L3_FIELD, l3LineBytes);
    encoder.encode(lines);
    const next = [...lines];
    next[25] = long(500);
    expect(encoder.encode(next).bytes).toEqual(writeRuleList(next, []));
  });
});
