/** Rebasing unpublished firewall edits onto a configuration that changed on NSX Manager meanwhile. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankRule, type FwConfig, type FwRule, type FwSection } from '../../src/lib/nsx/firewall-model';
import { mergeOrder, rebase } from '../../src/lib/nsx/firewall-rebase';

const rule = (id: number, name = `r${id}`, extra: Partial<FwRule> = {}): FwRule => ({ ...blankRule(id), name, ...extra });
const section = (id: number, rules: FwRule[], extra: Partial<FwSection> = {}): FwSection => ({
  id, name: `s${id}`, type: 'LAYER3', generationNumber: 1, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules, ...extra,
});
const config = (layer3: FwSection[], generationNumber = 1): FwConfig => ({ contextId: 'globalroot-0', generationNumber, timestamp: 0, layer3Sections: layer3, layer2Sections: [] });
const defaultSection = () => section(1003, [rule(1001, 'Default Rule', { isDefault: true, action: 'deny' })], { name: 'Default Section Layer3' });

const where = (c: FwConfig, id: number) => {
  for (const s of [...c.layer3Sections, ...c.layer2Sections]) {
    const r = s.rules.find((x) => x.id === id);
    if (r) return { section: s.id, rule: r };
  }
  return undefined;
};
const ids = (c: FwConfig) => [...c.layer3Sections, ...c.layer2Sections].flatMap((s) => s.rules.map((r) => r.id));

describe('mergeOrder', () => {
  it('keeps the order of the side that moved things and places the other side’s additions after their neighbour', () => {
    const alive = () => true;
    expect(mergeOrder([1, 2, 3], [1, 2, 3], [1, 2, 9, 3], alive)).toEqual([1, 2, 9, 3]);
    expect(mergeOrder([1, 2, 3], [3, 1, 2], [1, 2, 9, 3], alive)).toEqual([3, 1, 2, 9]);
    expect(mergeOrder([1, 2, 3], [-1, 1, 2, 3], [1, 3], (id) => id !== 2)).toEqual([-1, 1, 3]);
  });
});

describe('rebase', () => {
  const base = config([section(1004, [rule(10), rule(11), rule(12)]), defaultSection()]);

  it('re-applies a new unpublished rule on top of a configuration that only changed generation (the exclusion-list case)', () => {
    const mine = structuredClone(base);
    mine.layer3Sections[0].rules.unshift(rule(-1, 'allow admin'));
    mine.layer3Sections[1].rules[0].action = 'allow';
    const theirs = { ...structuredClone(base), generationNumber: 2 };
    const { config: out, conflicts } = rebase(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(out.generationNumber).toBe(2);
    expect(out.layer3Sections[0].rules.map((r) => r.id)).toEqual([-1, 10, 11, 12]);
    expect(where(out, 1001)?.rule.action).toBe('allow');
  });

  it('a base read back with its keys in another order (the saved lab, after a reload) is the same base: no conflict', () => {
    const reordered = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reordered) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) : v;
    const saved = reordered(structuredClone(base)) as FwConfig;
    const mine = structuredClone(saved);
    mine.layer3Sections[1].rules[0].action = 'allow';
    const theirs = { ...structuredClone(base), generationNumber: 2 };
    const { config: out, conflicts } = rebase(saved, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(where(out, 1001)?.rule.action).toBe('allow');
  });

  it('names a rule changed on both sides, and follows the learner’s choice', () => {
    const mine = structuredClone(base);
    mine.layer3Sections[0].rules[1].action = 'deny';
    const theirs = structuredClone(base);
    theirs.layer3Sections[0].rules[1].notes = 'changed over REST';
    const first = rebase(base, mine, theirs);
    expect(first.conflicts).toEqual([{ key: 'rule:11', kind: 'rule', id: 11, name: 'r11', deleted: undefined }]);
    expect(where(rebase(base, mine, theirs, { 'rule:11': 'mine' }).config, 11)?.rule).toEqual(mine.layer3Sections[0].rules[1]);
    expect(where(rebase(base, mine, theirs, { 'rule:11': 'theirs' }).config, 11)?.rule).toEqual(theirs.layer3Sections[0].rules[1]);
  });

  it('a rule deleted on one side and changed on the other is a conflict; keeping a rule the manager deleted re-adds it as new', () => {
    const mine = structuredClone(base);
    mine.layer3Sections[0].rules[0].name = 'renamed here';
    const theirs = structuredClone(base);
    theirs.layer3Sections[0].rules.splice(0, 1);
    const { conflicts } = rebase(base, mine, theirs);
    expect(conflicts.map((c) => [c.key, c.deleted])).toEqual([['rule:10', 'theirs']]);
    const kept = rebase(base, mine, theirs, { 'rule:10': 'mine' }).config;
    expect(kept.layer3Sections[0].rules[0]).toMatchObject({ name: 'renamed here' });
    expect(kept.layer3Sections[0].rules[0].id).toBeLessThan(0);
    expect(rebase(base, mine, theirs, { 'rule:10': 'theirs' }).config.layer3Sections[0].rules.map((r) => r.id)).toEqual([11, 12]);
  });

  it('keeps a move made here and a Service Composer section added there', () => {
    const mine = structuredClone(base);
    mine.layer3Sections[0].rules = [mine.layer3Sections[0].rules[2], mine.layer3Sections[0].rules[0], mine.layer3Sections[0].rules[1]];
    const theirs = structuredClone(base);
    theirs.layer3Sections.unshift(section(1010, [rule(20, 'sc rule')], { managedBy: 'universalroot-0', name: 'SC policy' }));
    const { config: out, conflicts } = rebase(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(out.layer3Sections.map((s) => s.id)).toEqual([1010, 1004, 1003]);
    expect(out.layer3Sections[1].rules.map((r) => r.id)).toEqual([12, 10, 11]);
  });

  // ---- properties ------------------------------------------------------------------------------

  type Fate = 'keep' | 'mine-edit' | 'mine-delete' | 'theirs-edit' | 'theirs-delete';
  const world = fc.record({
    sizes: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }),
    fates: fc.array(fc.constantFrom<Fate>('keep', 'mine-edit', 'mine-delete', 'theirs-edit', 'theirs-delete'), { minLength: 16, maxLength: 16 }),
    mineAdds: fc.array(fc.nat(), { maxLength: 3 }),
    theirsAdds: fc.array(fc.nat(), { maxLength: 3 }),
    theirsSection: fc.boolean(),
    mineSection: fc.boolean(),
  });

  type World = typeof world extends fc.Arbitrary<infer T> ? T : never;
  function build(w: World) {
    let next = 10;
    const base = config([...w.sizes.map((n, i) => section(2000 + i, Array.from({ length: n }, () => rule(next++)))), defaultSection()]);
    const mine = structuredClone(base);
    const theirs = { ...structuredClone(base), generationNumber: 7 };
    const fate = (id: number): Fate => (id >= 10 && id < 1000 ? w.fates[(id - 10) % w.fates.length] : 'keep');
    const edit = (c: FwConfig, who: 'mine' | 'theirs') => {
      for (const s of c.layer3Sections) {
        s.rules = s.rules.filter((r) => fate(r.id) !== `${who}-delete`);
        for (const r of s.rules) if (fate(r.id) === `${who}-edit`) r.notes = `edited by ${who}`;
      }
    };
    edit(mine, 'mine');
    edit(theirs, 'theirs');
    const editable = (c: FwConfig) => c.layer3Sections.filter((s) => !s.rules.some((r) => r.isDefault));
    w.mineAdds.forEach((k, i) => editable(mine)[k % w.sizes.length].rules.unshift(rule(-1 - i, `mine new ${i}`)));
    w.theirsAdds.forEach((k, i) => editable(theirs)[k % w.sizes.length].rules.unshift(rule(5000 + i, `theirs new ${i}`)));
    if (w.theirsSection) theirs.layer3Sections.unshift(section(3000, [rule(6000, 'theirs section rule')]));
    if (w.mineSection) mine.layer3Sections.unshift(section(-100, [rule(-50, 'mine section rule')]));
    return { base, mine, theirs, fate };
  }

  it('rebasing unconflicting edits onto any concurrent change keeps both', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { base, mine, theirs, fate } = build(w);
        const { config: out, conflicts } = rebase(base, mine, theirs);
        expect(conflicts).toEqual([]);
        const all = ids(out);
        expect(new Set(all).size).toBe(all.length);
        for (const id of ids(base)) {
          const f = fate(id);
          const got = where(out, id);
          if (f === 'mine-delete' || f === 'theirs-delete') expect(got).toBeUndefined();
          else {
            expect(got?.section).toBe(where(base, id)?.section);
            expect(got?.rule.notes ?? '').toBe(f === 'mine-edit' ? 'edited by mine' : f === 'theirs-edit' ? 'edited by theirs' : '');
          }
        }
        for (const id of [...ids(mine).filter((x) => x < 0), ...ids(theirs).filter((x) => x >= 5000)]) {
          expect(where(out, id)?.rule).toEqual((where(mine, id) ?? where(theirs, id))!.rule);
          expect(where(out, id)?.section).toBe((where(mine, id) ?? where(theirs, id))!.section);
        }
        expect(out.generationNumber).toBe(7);
        expect(out.layer3Sections.at(-1)!.rules.at(-1)!.isDefault).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('with no edits on one side, the rebase is the other side', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { base, mine, theirs } = build(w);
        expect(rebase(base, structuredClone(base), theirs).config).toEqual(theirs);
        expect(rebase(base, mine, structuredClone(base)).config).toEqual(mine);
      }),
      { numRuns: 200 },
    );
  });

  it('the same rule changed on both sides is always reported, never merged silently', () => {
    fc.assert(
      fc.property(world, fc.nat(), (w, pick) => {
        const { base, mine, theirs } = build(w);
        const shared = ids(base).filter((id) => id >= 10 && where(mine, id) && where(theirs, id));
        fc.pre(shared.length > 0);
        const id = shared[pick % shared.length];
        where(mine, id)!.rule.notes = 'changed here';
        where(theirs, id)!.rule.notes = 'changed there';
        expect(rebase(base, mine, theirs).conflicts.map((c) => c.key)).toContain(`rule:${id}`);
      }),
      { numRuns: 200 },
    );
  });
});
