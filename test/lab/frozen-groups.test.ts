/**
 * A save keeps what it worked out for groups of deep-frozen elements (workers/lab/frozen-groups.ts):
 * the next save does not serialise them again, and never reuses it for an element that changed.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { componentParts, componentPartsOffering, joinComponent, type PartRef } from '../../workers/lab/lab-parts';
import { isDeepFrozen, listName, nameListsBy } from '../../workers/lab/frozen-groups';
import { readRuleList, writeRuleList } from '../../workers/protocol/codec/rule-list-wire';
import { decodedListBytes, decodeRuleSet, encodeRuleSet } from '../../workers/protocol/codec/ruleset-codec';
import type { HostRuleSet, L3RuleLine } from '../../workers/protocol/ruleset';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A kernel rule line's shape, about 250 characters of JSON (ids repeat, as a host's lines' do). */
function line(i: number, port = 80 + (i % 50)): L3RuleLine {
  const match = (n: number) => ({ sets: n % 3 ? [`securitygroup-${n % 200}`] : [], cidrs: n % 3 ? [] : [`10.${n % 250}.${n % 7}.0/24`], negate: false });
  return { id: 1000 + Math.floor(i / 2), sectionId: 1000 + Math.floor(i / 100), direction: 'inout', packetType: 'any', protocol: 6, src: match(i), dst: match(i + 1), srcPorts: [], dstPorts: [[port, port]], action: i % 5 ? 'allow' : 'deny', logged: false, stateless: false, tcpStrict: false };
}

const frozenLines = (n: number) => Array.from({ length: n }, (_, i) => deepFreeze(line(i)));
const hostDoc = (lines: readonly unknown[]) => ({ type: 'host', state: { kernel: { rules: lines, filters: [{ name: 'nic-1', l3: lines }] }, clock: 7 }, rng: { s: [1, 2, 3, 4] } }) as never;
const knownOf = (parts: PartRef[]) => new Map(parts.map((p) => [p.key, p.hash]));
const storedOf = (parts: PartRef[]) => new Map(parts.map((p) => [p.key, p.json!]));

/** JSON.stringify calls made by `run`. */
function stringifyCalls(run: () => void): number {
  const spy = vi.spyOn(JSON, 'stringify');
  run();
  const calls = spy.mock.calls.length;
  spy.mockRestore();
  return calls;
}

afterEach(() => vi.restoreAllMocks());

describe('groups of deep-frozen elements', () => {
  it('are not serialised again by the next save after a one-line edit; lines that are not frozen are', () => {
    const n = 3000;
    for (const [frozen, lines] of [[true, frozenLines(n)], [false, Array.from({ length: n }, (_, i) => line(i))]] as const) {
      const first = componentParts('host-1', hostDoc(lines));
      const edited = lines.slice();
      edited[n / 2] = frozen ? deepFreeze(line(n / 2, 9999)) : line(n / 2, 9999);
      let second: PartRef[] = [];
      const calls = stringifyCalls(() => (second = componentParts('host-1', hostDoc(edited), knownOf(first))));
      if (frozen) expect(calls).toBeLessThan(n / 4);
      else expect(calls).toBeGreaterThanOrEqual(n);
      // Either way the edit is written, and only the group around it.
      expect(second.filter((p) => p.json !== undefined && p.key.includes('#')).length).toBeLessThanOrEqual(2);
    }
  });

  it('are never reused once an element under a shallow freeze, or one not frozen, changed in place', () => {
    const lines: L3RuleLine[] = frozenLines(400);
    const shallow = Object.freeze({ ...line(100), src: { sets: ['securitygroup-1'], cidrs: [], negate: false } });
    const mutable = line(300);
    lines[100] = shallow;
    lines[300] = mutable;
    const first = componentParts('host-1', hostDoc(lines));
    (shallow.src.sets as string[]).push('securitygroup-2');
    (mutable as { action: string }).action = 'reject';
    const second = componentParts('host-1', hostDoc(lines), knownOf(first));
    const joined = joinComponent('host-1', new Map([...storedOf(first), ...second.filter((p) => p.json !== undefined).map((p) => [p.key, p.json!] as const)])) as { state: { kernel: { rules: L3RuleLine[] } } };
    expect(joined.state.kernel.rules[100].src.sets).toEqual(['securitygroup-1', 'securitygroup-2']);
    expect(joined.state.kernel.rules[300].action).toBe('reject');
    expect(JSON.stringify(joined.state.kernel.rules)).toBe(JSON.stringify(lines));
  });

  // Lines of ~1.2 kB, so groups close by content after some 55 (GROUP_MIN_CHARS); the edits'
  // lines have other ids, so where groups close moves (a group kept must still close where it did).
  const big = (seed: number, port: number) => deepFreeze({ ...line(seed, port), tag: `t${seed}`.padEnd(1000, '.') });

  it('make the very parts a save without them makes, after an edit at any position', () => {
    const lines = Array.from({ length: 240 }, (_, i) => big(i, 80));
    const known = knownOf(componentParts('host-1', hostDoc(lines)));
    for (let at = 0; at < lines.length; at++) {
      const edited = lines.slice();
      edited[at] = big(at + 5000, 81);
      expect(componentParts('host-1', hostDoc(edited), known)).toEqual(componentParts('host-1', hostDoc(structuredClone(edited)), known));
    }
  });

  it('make the very parts a save without them makes, whatever the edits', () => {
    const edit = fc.record({ kind: fc.constantFrom('replace', 'insert', 'remove'), at: fc.nat(), seed: fc.nat(100_000), port: fc.integer({ min: 1, max: 65535 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 4 }), (n, saves) => {
        let lines = Array.from({ length: n }, (_, i) => big(i, 80));
        let known = knownOf(componentParts('host-1', hostDoc(lines)));
        for (const edits of saves) {
          lines = lines.slice();
          for (const { kind, at, seed, port } of edits) {
            const i = at % (lines.length + 1);
            if (kind === 'insert') lines.splice(i, 0, big(seed, port));
            else if (lines.length > 1 && i < lines.length) {
              if (kind === 'remove') lines.splice(i, 1);
              else lines[i] = big(seed, port);
            }
          }
          const cached = componentParts('host-1', hostDoc(lines), known);
          // A copy is not frozen: its groups are worked out afresh.
          expect(cached).toEqual(componentParts('host-1', hostDoc(structuredClone(lines)), known));
          known = knownOf(cached);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('isDeepFrozen', () => {
  it('holds for frozen plain data only, all the way down, without getters', () => {
    expect(isDeepFrozen(deepFreeze({ a: [1, { b: 'x' }], c: null }))).toBe(true);
    expect(isDeepFrozen(Object.freeze({ a: [1] }))).toBe(false);
    expect(isDeepFrozen(deepFreeze({ get a() { return Math.random(); } }))).toBe(false);
    expect(isDeepFrozen(Object.freeze(new Date(0)))).toBe(false);
    expect(isDeepFrozen(Object.freeze({ f: () => 1 }))).toBe(false);
  });

  it('holds for the rule lines a host decodes', () => {
    const l3: L3RuleLine[] = [line(1), { ...line(2), srcPorts: [[1, 2], [5, 9]], icmpType: 3, tag: 'web' }, { ...line(3), dstPorts: [] }];
    const decoded = readRuleList(writeRuleList(l3, [{ id: 7, sectionId: 1, direction: 'in', ethertype: 2048, src: { sets: ['mac-1'], macs: ['00:50:56:00:00:01'], negate: false }, dst: { sets: [], macs: [], negate: false }, action: 'allow', logged: true }]));
    expect(decoded.l3).toHaveLength(3);
    for (const l of [...decoded.l3, ...decoded.l2]) expect(isDeepFrozen(l)).toBe(true);
  });
});

describe('lists named by the bytes a host decoded them from', () => {
  const ruleSet = (lines: L3RuleLine[]): HostRuleSet => ({ hostId: 'host-1', generation: 1, filters: { 'nic-1': { ruleset: 'default', generation: 1, l3: lines, l2: [] } }, addressSets: {}, excluded: [] });
  const decodedLines = (lines: L3RuleLine[]) => decodeRuleSet(encodeRuleSet(ruleSet(lines))).ruleSet.filters['nic-1'].l3;
  nameListsBy(decodedListBytes);

  it('a host told the groups another host found for the same bytes makes the very parts it would make itself, without serialising its lines', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => line(i));
    const first = componentPartsOffering('host-1', hostDoc(decodedLines(lines)), new Map());
    expect(first.learned.size).toBe(1);
    const mine = decodedLines(lines);
    let told!: ReturnType<typeof componentPartsOffering>;
    // Only the host's own part (its small fields) is serialised: none of its 3000 lines.
    expect(stringifyCalls(() => (told = componentPartsOffering('host-2', hostDoc(mine), new Map(), first.learned)))).toBeLessThan(10);
    expect(told.learned.size).toBe(0);
    const afresh = componentPartsOffering('host-2', hostDoc(structuredClone(mine)), new Map());
    expect(told.parts).toEqual(afresh.parts);
    const made = (offers: Map<string, () => PartRef>) => [...offers].map(([key, make]) => [key, make()]);
    expect(made(told.offers)).toEqual(made(afresh.offers));
    expect(joinComponent('host-2', storedOf([...told.parts.filter((p) => p.json !== undefined), ...[...told.offers.values()].map((make) => make())]))).toEqual(hostDoc(mine));
  });

  it('lists of other bytes have other names; lists not decoded, or not frozen, have none', () => {
    const lines = Array.from({ length: 200 }, (_, i) => line(i));
    const edited = lines.map((l, i) => (i === 150 ? { ...l, action: 'reject' as const } : l));
    expect(listName(decodedLines(lines))).toBe(listName(decodedLines(lines)));
    expect(listName(decodedLines(edited))).not.toBe(listName(decodedLines(lines)));
    expect(listName(lines.map((l) => deepFreeze(structuredClone(l))))).toBeUndefined();
    const decoded = decodedLines(lines);
    expect(listName(decoded.map((l) => ({ ...l })))).toBeUndefined();
  });
});
