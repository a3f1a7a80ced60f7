/**
 * A publish after an edit, read by what NSX Manager says it copied (#17 item 4): the blob names
 * each list's origin, a host holding the earlier list reads only the lines between, and the
 * kernel counts and compares that list by the lines that changed. Over chains of edits the host
 * gets exactly the lines the whole message holds, the kept lines are the objects it decoded
 * before, and the sets its filter names are those a walk of every line finds.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DecodeMemory, decodeRuleSet, encodeRuleSetParts } from '../../workers/protocol/codec/ruleset-codec';
import { listChange } from '../../workers/protocol/codec/list-change';
import { joinRuleSet } from '../../workers/protocol/shared-rule-lists';
import type { HostRuleSet, L3RuleLine } from '../../workers/protocol/ruleset';
import { HostKernel } from '../../workers/host/kernel/host-kernel';
import { TestClock, WEB, WEB_FILTER } from '../kernel/helpers';

const SETS = ['ip-securitygroup-10', 'ip-securitygroup-11', 'ip-ipset-3', 'ip-ipset-4'];

const line = (id: number, port: number, src: number, dst: number, ipv6: boolean): L3RuleLine => ({
  id, sectionId: 1001, direction: 'inout', packetType: ipv6 ? 'ipv6' : 'any', protocol: 6,
  src: { sets: src < SETS.length ? [SETS[src]!] : [], cidrs: src < SETS.length ? [] : [`10.0.${src}.0/24`], negate: false },
  dst: { sets: dst < SETS.length ? [SETS[dst]!] : [], cidrs: [], negate: false }, srcPorts: [], dstPorts: [[port, port]], action: 'allow', logged: false, stateless: false, tcpStrict: false,
});

const drawnLine = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.nat({ max: 7 }), fc.nat({ max: 7 }), fc.boolean());
/** An edit as the REST API makes them: a rule changed, added or deleted somewhere in the list. */
const edit = fc.record({ kind: fc.constantFrom('change', 'add', 'delete' as const), at: fc.nat(), line: drawnLine });

/** What a filter's table would name: every set of every line but IPv6 ones, walked whole. */
function namedByWalk(lines: readonly L3RuleLine[]): string[] {
  return [...new Set(lines.filter((l) => l.packetType !== 'ipv6').flatMap((l) => [...l.src.sets, ...l.dst.sets]))].sort();
}

describe('lists read by their origin', () => {
  it('a chain of edits gives the host the lines of the whole message, the unchanged ones as the objects it held, and the sets its lines name', () => {
    fc.assert(
      fc.property(fc.array(drawnLine, { minLength: 1, maxLength: 30 }), fc.array(edit, { minLength: 1, maxLength: 6 }), (first, edits) => {
        let nextId = 1;
        let lines = first.map(([port, src, dst, v6]) => line(nextId++, port, src, dst, v6));
        const memory = new DecodeMemory();
        const kernel = new HostKernel('host-20', new TestClock());
        kernel.attachVnic(WEB);
        const sets = Object.fromEntries(SETS.map((s, i) => [s, [`172.16.${i}.1`]]));
        let held: readonly L3RuleLine[] | undefined;
        let heldId: number | undefined;
        for (const [generation, e] of [undefined, ...edits].entries()) {
          let changedInPlace = false;
          if (e) {
            const at = e.at % (lines.length + 1);
            const [port, src, dst, v6] = e.line;
            lines = [...lines];
            changedInPlace = e.kind === 'change' && at < lines.length;
            if (changedInPlace) lines[at] = line(lines[at]!.id, port, src, dst, v6);
            else if (e.kind === 'delete' && at < lines.length) lines.splice(at, 1);
            else lines.splice(at, 0, line(nextId++, port, src, dst, v6));
          }
          const rs: HostRuleSet = { hostId: 'host-20', generation: generation + 1, filters: { [WEB_FILTER]: { ruleset: 'domain-c25', generation: generation + 1, l3: lines, l2: [] } }, addressSets: sets, excluded: [] };
          const { head, lists: blob } = encodeRuleSetParts(rs);
          // A changed rule keeps the list's length: the manager encodes against the list it sent last and says so.
          const origin = blob.origins?.[0];
          if (changedInPlace && lines.length > 1) expect(origin?.from?.id).toBe(heldId);
          const shared = decodeRuleSet(head, memory, new Uint8Array(blob.bytes), blob.origins);
          // The shared path with origins gives what the whole message alone gives.
          expect(shared).toEqual(decodeRuleSet(joinRuleSet(head, blob)));
          const got = shared.ruleSet.filters[WEB_FILTER]!.l3;
          expect(got).toEqual(lines);
          if (held && got !== held && held.length > 1 && got.length > 1) {
            // Made from the list it held (by its origin, or by comparing bytes): the decoder says which lines it kept, and they are the objects it held.
            const change = listChange(got);
            expect(change?.base).toBe(held);
            const kept = [...got.slice(0, change!.head), ...got.slice(got.length - change!.tail)];
            for (const l of kept) expect(held).toContain(l);
          }
          held = got;
          heldId = origin?.id;
          kernel.program(shared.ruleSet);
          expect([...kernel.filter(WEB_FILTER)!.referencedSets()].sort()).toEqual(namedByWalk(lines));
          expect(kernel.resourceCounts().addressEntries).toBe(namedByWalk(lines).length);
        }
      }),
      { numRuns: 120 },
    );
  });
});
