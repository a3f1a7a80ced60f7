/**
 * The rule-set codec: the hand-written wire path gives the bytes the generated schema gives,
 * and a HostRuleSet survives encode → decode with shared rule lists still shared.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { RuleListSchema } from '../../workers/protocol/gen/vsfw_pb';
import { LineReuse, readRuleList, writeRuleList } from '../../workers/bus/codec/rule-list-wire';
import { l2FromPb, l2ToPb, l3FromPb, l3ToPb } from '../../workers/bus/codec/rule-lines';
import { decodeRuleSet, encodeRuleSet } from '../../workers/bus/codec/ruleset-codec';
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
    action: fc.constantFrom('allow', 'deny', 'reject' as const),
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
        const signatures = Object.values(ruleSet.filters).map((f) => f.signature);
        for (const f of Object.values(ruleSet.filters)) delete f.signature;
        expect(ruleSet).toEqual(rs);
        expect(scopedRuleIds).toEqual([1009, 1010]);
        expect(ruleSet.filters['nic-1-eth0-vmware-sfw.2']!.l3).toBe(ruleSet.filters['nic-2-eth0-vmware-sfw.2']!.l3);
        // The content signature: equal lines, equal signature; different lines, different signature.
        expect(signatures[0]).toBe(signatures[1]);
        expect(signatures[2] === signatures[0]).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 100 },
    );
  });

  it('a host decoding its next rule set gets unchanged lines back as the same objects, changed ones read anew', () => {
    fc.assert(
      fc.property(fc.array(l3Line, { minLength: 1, maxLength: 10 }), fc.array(l3Line, { maxLength: 10 }), fc.nat(), (before, fresh, at) => {
        const reuse = new LineReuse();
        reuse.begin();
        const first = readRuleList(writeRuleList(before, []), reuse).l3;
        // The next publish: some lines of the first kept, new ones spliced in at some position.
        const kept = before.filter((_, i) => i % 2 === 0);
        const next = [...kept.slice(0, at % (kept.length + 1)), ...fresh, ...kept.slice(at % (kept.length + 1))];
        reuse.begin();
        const second = readRuleList(writeRuleList(next, []), reuse).l3;
        expect(second).toEqual(next);
        const seen = new Map(first.map((l) => [JSON.stringify(l), l]));
        for (const line of second) {
          const earlier = seen.get(JSON.stringify(line));
          if (earlier) expect(line).toBe(earlier);
          else expect(first).not.toContain(line);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('damaged bytes are refused, not half-applied', () => {
    const rs: HostRuleSet = { hostId: 'h', generation: 1, filters: { f: { ruleset: 'c', generation: 1, l3: [], l2: [] } }, addressSets: {}, excluded: [] };
    const bytes = encodeRuleSet(rs);
    const cut = bytes.slice(0, bytes.length - 1);
    cut[cut.length - 1] = 0xff;
    expect(() => decodeRuleSet(cut)).toThrow();
  });
});
