/**
 * The shared rule-list blob (#17 item 4): every host gets the rules the per-host message gave
 * it, hosts that run the same lists get the very same blob, and a host decoding a blob whose
 * lists did not change gets back the arrays it decoded before.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBinary } from '@bufbuild/protobuf';
import { RuleSetSchema } from '../../workers/protocol/gen/vsfw_pb';
import { DecodeMemory, decodeRuleSet, encodeRuleSetParts } from '../../workers/protocol/codec/ruleset-codec';
import { joinRuleSet, ruleSetLength } from '../../workers/protocol/shared-rule-lists';
import type { HostRuleSet, L2RuleLine, L3RuleLine } from '../../workers/protocol/ruleset';

const line = (id: number, port: number, action: L3RuleLine['action']): L3RuleLine => ({
  id, sectionId: 1000 + (id % 3), direction: 'inout', packetType: 'any', protocol: 6,
  src: { sets: id % 2 ? ['ip-securitygroup-10'] : [], cidrs: [`10.0.${id % 250}.0/24`], negate: false },
  dst: { sets: [], cidrs: ['172.16.10.11'], negate: id % 5 === 0 }, srcPorts: [], dstPorts: [[port, port]], action, logged: id % 7 === 0, stateless: false, tcpStrict: false,
});

/** A pool of rule lists (as the manager's translation shares them, one array per Applied To outcome) and hosts picking from it. */
const scenario = fc.record({
  lists: fc.array(fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 65535 }), fc.constantFrom('allow', 'deny', 'reject' as const)), { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
  hosts: fc.array(fc.array(fc.nat(), { minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
  edit: fc.record({ list: fc.nat(), at: fc.nat(), port: fc.integer({ min: 1, max: 65535 }) }),
});

/** One layer-2 selection for every vNIC, as the manager's layer selector shares it when no Applied To differs. */
const NO_L2_RULES: L2RuleLine[] = [];

function ruleSets(lists: L3RuleLine[][], hosts: number[][], generation: number): HostRuleSet[] {
  return hosts.map((picks, h) => ({
    hostId: `host-${20 + h}`,
    generation,
    filters: Object.fromEntries(picks.map((p, f) => [`nic-${100 * h + f}-eth0-vmware-sfw.2`, { ruleset: 'domain-c25', generation, l3: lists[p % lists.length]!, l2: NO_L2_RULES }])),
    addressSets: { 'ip-securitygroup-10': [`172.16.10.${11 + h}`] },
    excluded: [],
    spoofGuard: [],
  }));
}

const NO_RULES: L3RuleLine[] = [];

describe('shared rule-list blob', () => {
  it('each host gets the rules the per-host message gave it; same lists, same blob; unchanged lists come back as the arrays decoded before', () => {
    fc.assert(
      fc.property(scenario, ({ lists: drawn, hosts, edit }) => {
        const lists = drawn.map((l) => l.map(([id, port, action]) => line(id, port, action)));
        const memories = hosts.map(() => new DecodeMemory());
        const rounds: ReturnType<typeof decodeRuleSet>['ruleSet'][][] = [];
        // Round two edits one line of one list (a new array, as the manager builds one); the other lists are the same arrays.
        const edited = lists.map((l, i) => (i === edit.list % lists.length && l.length ? l.map((x, j) => (j === edit.at % l.length ? line(x.id, edit.port, x.action) : x)) : l));
        for (const [round, pool] of [lists, edited].entries()) {
          const sets = ruleSets(pool, hosts, 10 + round);
          const parts = sets.map((rs) => encodeRuleSetParts(rs, [7]));
          const decoded = sets.map((rs, h) => {
            const { head, lists: blob } = parts[h]!;
            const whole = joinRuleSet(head, blob);
            expect(ruleSetLength(head, blob)).toBe(whole.length);
            // The per-host path: the whole message on its own, through the generated schema and through the codec.
            const schema = fromBinary(RuleSetSchema, whole);
            expect(schema.hostId).toBe(rs.hostId);
            expect(schema.filters.map((f) => f.name)).toEqual(Object.keys(rs.filters));
            const perHost = decodeRuleSet(whole);
            // With the origins NSX Manager gives the lists (a host holding the list one was made from reads only its new lines).
            const shared = decodeRuleSet(head, memories[h], new Uint8Array(blob.bytes), blob.origins);
            expect(shared).toEqual(perHost);
            expect(shared.ruleSet).toEqual(rs);
            expect(shared.scopedRuleIds).toEqual([7]);
            return shared.ruleSet;
          });
          // Hosts whose filters run the same arrays in the same order get one blob, not copies.
          for (let a = 0; a < sets.length; a++) {
            for (let b = a + 1; b < sets.length; b++) {
              // A host's distinct list arrays in order; an empty one is any empty one (the manager keys them alike).
              const arrays = (rs: HostRuleSet) => [...new Set(Object.values(rs.filters).map((f) => f.l3))].map((l) => (l.length ? l : NO_RULES));
              const same = arrays(sets[a]!).length === arrays(sets[b]!).length && arrays(sets[a]!).every((x, i) => x === arrays(sets[b]!)[i]);
              if (same) expect(parts[a]!.lists).toBe(parts[b]!.lists);
              else expect(parts[a]!.lists.key).not.toBe(parts[b]!.lists.key);
              if (parts[a]!.lists.key === parts[b]!.lists.key) expect(new Uint8Array(parts[a]!.lists.bytes)).toEqual(new Uint8Array(parts[b]!.lists.bytes));
            }
          }
          rounds.push(decoded);
        }
        // A list round two did not change is the very array the host decoded in round one.
        hosts.forEach((picks, h) => {
          picks.forEach((p, f) => {
            const name = `nic-${100 * h + f}-eth0-vmware-sfw.2`;
            if (edited[p % lists.length] === lists[p % lists.length]) expect(rounds[1]![h]!.filters[name]!.l3).toBe(rounds[0]![h]!.filters[name]!.l3);
          });
        });
      }),
      { numRuns: 150 },
    );
  });
});
