/**
 * Rebasing the Firewall screen's unpublished edits onto a configuration that changed on NSX
 * Manager meanwhile (exclusion list, Service Composer, another tab, the REST API): a three-way
 * merge of the configuration the edits started from (`base`), the working copy (`mine`) and
 * the manager's current one (`theirs`). Each rule and section merges on its own: a side that
 * left it as it was takes the other side's version; both sides changing it differently is a
 * conflict, named so the learner can keep theirs or keep mine.
 */
import { allSections, sectionsOf, type FwConfig, type FwRule, type FwSection, type Layer } from './firewall-model';

export type Choice = 'mine' | 'theirs';

export interface Conflict {
  /** `rule:1001` or `section:1003`: the key a resolution is given under. */
  key: string;
  kind: 'rule' | 'section';
  id: number;
  name: string;
  /** Which side deleted it, if one did; otherwise both changed it. */
  deleted?: 'mine' | 'theirs';
}

interface RebaseResult {
  config: FwConfig;
  /** Unresolved conflicts; `config` takes theirs for each until a choice is given. */
  conflicts: Conflict[];
}

/** JSON.stringify's replacer writing keys sorted at every level: a working copy read back from the saved lab has its keys in the schema's order, not the parser's. */
const sortedKeys = (_key: string, v: object | string | number | boolean | null) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
/** Equal content whatever the key order (after a reload every rule the learner edited was a false "changed on both sides"). */
const same = <T>(a: T, b: T) => JSON.stringify(a, sortedKeys) === JSON.stringify(b, sortedKeys);
const LAYERS: Layer[] = ['LAYER3', 'LAYER2'];
const headOf = (s: FwSection) => {
  const { rules: _r, generationNumber: _g, timestamp: _t, ...head } = s;
  return head;
};

function rulesById(c: FwConfig): Map<number, { rule: FwRule; section: number }> {
  const out = new Map<number, { rule: FwRule; section: number }>();
  for (const s of allSections(c)) for (const rule of s.rules) out.set(rule.id, { rule, section: s.id });
  return out;
}

function byId<T extends { id: number }>(list: T[]): Map<number, T> {
  return new Map(list.map((x) => [x.id, x]));
}

/**
 * Merges three orderings of ids. The side that reordered what both knew leads (mine when both
 * did); the other side's additions go after their nearest predecessor on that side, or first.
 */
export function mergeOrder(base: number[], mine: number[], theirs: number[], alive: (id: number) => boolean): number[] {
  const inBase = new Set(base);
  const relative = (list: number[], other: number[]) => {
    const keep = new Set(other);
    return list.filter((id) => inBase.has(id) && keep.has(id));
  };
  const mineMoved = !same(relative(mine, theirs), relative(base, mine).filter((id) => theirs.includes(id)));
  const [lead, follow] = mineMoved ? [mine, theirs] : [theirs, mine];
  const out = lead.filter(alive);
  const placeFrom = (list: number[]) => {
    list.forEach((id, i) => {
      if (!alive(id) || out.includes(id)) return;
      let at = 0;
      for (let j = i - 1; j >= 0; j--) {
        const k = out.indexOf(list[j]);
        if (k >= 0) {
          at = k + 1;
          break;
        }
      }
      out.splice(at, 0, id);
    });
  };
  placeFrom(follow);
  placeFrom(base);
  return out;
}

export function rebase(base: FwConfig, mine: FwConfig, theirs: FwConfig, choices: Record<string, Choice> = {}): RebaseResult {
  const conflicts: Conflict[] = [];
  const conflict = (c: Conflict): Choice => {
    const chosen = choices[c.key];
    if (!chosen) conflicts.push(c);
    return chosen ?? 'theirs';
  };
  const B = rulesById(base);
  const M = rulesById(mine);
  const T = rulesById(theirs);
  let nextTemp = Math.min(-1, ...[...M.keys()].map((id) => id - 1));

  // ---- rule contents: the merged rule for every id, or undefined when it is gone ----------------
  const merged = new Map<number, FwRule | undefined>();
  for (const id of new Set([...B.keys(), ...M.keys(), ...T.keys()])) {
    const b = B.get(id)?.rule;
    const m = M.get(id)?.rule;
    const t = T.get(id)?.rule;
    if (!b) {
      merged.set(id, t ?? m);
      continue;
    }
    const mineChanged = !m || !same(m, b);
    const theirsChanged = !t || !same(t, b);
    if (!mineChanged) merged.set(id, t);
    else if (!theirsChanged) merged.set(id, m);
    else if (!m && !t) merged.set(id, undefined);
    else if (m && t && same(m, t)) merged.set(id, m);
    else {
      const choice = conflict({ key: `rule:${id}`, kind: 'rule', id, name: (m ?? t ?? b).name, deleted: !m ? 'mine' : !t ? 'theirs' : undefined });
      merged.set(id, choice === 'mine' ? m : t);
    }
  }
  /** Rules mine keeps that the manager deleted come back as new rules. */
  const renamed = new Map<number, number>();
  for (const [id, rule] of merged) {
    if (rule && id > 0 && !T.has(id) && B.has(id)) {
      const fresh = nextTemp--;
      renamed.set(id, fresh);
    }
  }

  // ---- sections: order, header and rule order per layer ----------------------------------------
  const out: FwConfig = { ...theirs, layer3Sections: [], layer2Sections: [] };
  // Redirect sections a loaded saved configuration brought along still go out with the next Publish.
  if (mine.redirectSections !== undefined) out.redirectSections = mine.redirectSections;
  const placed = new Set<number>();
  for (const layer of LAYERS) {
    const [bs, ms, ts] = [sectionsOf(base, layer), sectionsOf(mine, layer), sectionsOf(theirs, layer)];
    const [Bs, Ms, Ts] = [byId(bs), byId(ms), byId(ts)];
    const keepSection = new Map<number, boolean>();
    for (const id of new Set([...Bs.keys(), ...Ms.keys(), ...Ts.keys()])) {
      const [b, m, t] = [Bs.get(id), Ms.get(id), Ts.get(id)];
      if (!b || (m && t)) {
        keepSection.set(id, !!(m ?? t));
        continue;
      }
      if (!m && !t) {
        keepSection.set(id, false);
        continue;
      }
      // One side deleted the section: a conflict only if the other side changed it.
      const other = (m ?? t)!;
      const changed = !same(headOf(other), headOf(b)) || !same(other.rules, b.rules);
      const deleted = !m ? 'mine' : 'theirs';
      if (!changed || other.managedBy) keepSection.set(id, false);
      else keepSection.set(id, (conflict({ key: `section:${id}`, kind: 'section', id, name: other.name, deleted }) === 'mine') === !!m);
    }
    const order = mergeOrder(bs.map((s) => s.id), ms.map((s) => s.id), ts.map((s) => s.id), (id) => keepSection.get(id) ?? false);
    const list: FwSection[] = [];
    for (const id of order) {
      const [b, m, t] = [Bs.get(id), Ms.get(id), Ts.get(id)];
      let head: FwSection;
      if (t?.managedBy) head = t; // Service Composer owns its sections
      else if (!m || !t) head = (m ?? t)!;
      else if (!b || same(headOf(m), headOf(b))) head = t;
      else if (same(headOf(t), headOf(b)) || same(headOf(m), headOf(t))) head = { ...t, ...headOf(m) };
      else head = conflict({ key: `section:${id}`, kind: 'section', id, name: m.name }) === 'mine' ? { ...t, ...headOf(m) } : t;
      // A section one side deleted and the other kept brings its rules back as that side has them.
      const fallback = !m ? T : !t ? M : undefined;
      const ruleOf = (rid: number) => merged.get(rid) ?? fallback?.get(rid)?.rule;
      const inHere = (map: typeof M, rid: number) => map.get(rid)?.section === id;
      /** Gone from this section when a side moved it elsewhere; otherwise there while it exists. */
      const alive = (rid: number) => {
        if (!ruleOf(rid)) return false;
        if (!b?.rules.some((r) => r.id === rid)) return true;
        return !(M.has(rid) && !inHere(M, rid)) && !(T.has(rid) && !inHere(T, rid));
      };
      const ids = t?.managedBy ? t.rules.map((r) => r.id) : mergeOrder(b?.rules.map((r) => r.id) ?? [], m?.rules.map((r) => r.id) ?? [], t?.rules.map((r) => r.id) ?? [], alive);
      // A section kept against the manager's deletion comes back as a new one.
      const sectionId = t ? id : id > 0 ? nextTemp-- : id;
      const rules = ids
        .filter((rid) => !placed.has(rid) && ruleOf(rid))
        .map((rid) => {
          placed.add(rid);
          const rule = ruleOf(rid)!;
          const fresh = renamed.get(rid) ?? (!t && rid > 0 ? nextTemp-- : undefined);
          return fresh === undefined ? rule : { ...rule, id: fresh };
        });
      list.push({ ...head, id: sectionId, rules: keepDefaultLast(rules) });
    }
    sectionsOf(out, layer).push(...keepDefaultSectionLast(list));
  }
  return { config: out, conflicts };
}

function keepDefaultLast(rules: FwRule[]): FwRule[] {
  return [...rules.filter((r) => !r.isDefault), ...rules.filter((r) => r.isDefault)];
}

function keepDefaultSectionLast(sections: FwSection[]): FwSection[] {
  const isDefault = (s: FwSection) => s.rules.some((r) => r.isDefault);
  return [...sections.filter((s) => !isDefault(s)), ...sections.filter(isDefault)];
}
