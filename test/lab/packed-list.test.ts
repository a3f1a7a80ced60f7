/**
 * Lists stored packed (workers/lab/packed-list.ts): unpacking gives back values with the very JSON
 * the list had, whatever it holds, and the large lab's rules pack to a fraction of their JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DamagedPackError, packList, unpackList } from '../../workers/lab/packed-list';
import { largeLab } from '../bench/large-lab';

/** As a save stores it and a load reads it: through JSON both ways. */
function roundTrip(list: unknown[]): unknown[] {
  return unpackList(JSON.parse(JSON.stringify(packList(JSON.parse(JSON.stringify(list)) as unknown[]))));
}

describe('packed lists', () => {
  it('any JSON list comes back with the same JSON', () => {
    fc.assert(fc.property(fc.array(fc.jsonValue(), { maxLength: 40 }), (list) => {
      expect(JSON.stringify(roundTrip(list))).toBe(JSON.stringify(list));
    }), { numRuns: 300 });
  });

  it('lists of records of a few shapes, with numbers, integer-like strings and shared prefixes, come back with the same JSON', () => {
    const text = fc.oneof(fc.constantFrom('', '0', '007', '-0', '-12', '1e3', '9007199254740993', 'rule 1', 'rule 12', 'rule', '\ud83d\ude00a', '\ud83d\ude01b'), fc.string({ maxLength: 6 }), fc.nat().map(String));
    const value = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(fc.nat({ max: 3 }), { maxLength: 3 }));
    const row = fc.record({ id: fc.nat({ max: 50 }), name: text, v: value, members: fc.array(fc.record({ value: text, type: fc.constantFrom('SecurityGroup', 'Ipv4Address') }), { maxLength: 3 }) }, { requiredKeys: ['id'] });
    fc.assert(fc.property(fc.array(fc.oneof(row, row.map((r) => ({ ...r, ['__proto__']: 1 }))), { maxLength: 60 }), (list) => {
      expect(JSON.stringify(roundTrip(list))).toBe(JSON.stringify(list));
    }), { numRuns: 300 });
  });

  it('an object without keys and one whose only key is empty are different shapes', () => {
    const list = [{}, { '': 1 }, {}, { '': '' }];
    expect(JSON.stringify(roundTrip(list))).toBe(JSON.stringify(list));
  });

  it('"__proto__" comes back as an own key, as JSON.parse makes it', () => {
    const list = JSON.parse('[{"__proto__":{"x":1},"a":1},{"__proto__":{"x":2},"a":2}]') as unknown[];
    const back = roundTrip(list) as Record<string, unknown>[];
    expect(Object.getPrototypeOf(back[0])).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(list));
  });

  it("NSX Manager's 10k rules pack to less than a tenth of their JSON", () => {
    const sections = (largeLab().components.manager.state as { manager: { config: { layer3Sections: unknown[] } } }).manager.config.layer3Sections;
    const json = JSON.stringify(sections);
    expect(JSON.stringify(packList(JSON.parse(json) as unknown[])).length).toBeLessThan(json.length / 10);
  });

  it('a damaged pack is refused with what is wrong', () => {
    const packed = packList([{ a: 'x' }, { a: 'y' }, { a: 'z' }]);
    expect(() => unpackList({ ...packed, n: 4 })).toThrow(DamagedPackError);
    expect(() => unpackList({ n: 2, c: ['v', 1] })).toThrow('a column holds 1 values, not 2');
    expect(() => unpackList({ n: 1, c: ['d', ['x'], ['v', 3]] })).toThrow('a dictionary index is out of range');
    expect(() => unpackList({ n: 1, c: ['o', ['a', 'b'], ['=', 1]] })).toThrow('an object column does not match its keys');
    expect(() => unpackList([1, 2])).toThrow('not a packed list');
  });
});
