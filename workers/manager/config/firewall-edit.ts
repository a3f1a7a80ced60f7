/**
 * Edits of the firewall configuration, applied to a working copy. Every function either
 * changes the copy consistently or throws an ApiError, and the caller commits the copy only on
 * success: a refused request leaves the published configuration untouched.
 *
 * Invariants kept here: each layer's default section is last and keeps its default rule last;
 * Service Composer sections sit above user sections and are not edited through the DFW API;
 * section and rule ids are unique across both layers.
 */
import { ApiError, notFound } from '../errors';
import type { FirewallConfig, FirewallRule, FirewallSection, SectionType } from '../types';

export interface IdAllocator {
  nextSection(): number;
  nextRule(): number;
}

interface InsertPosition {
  operation?: string;
  anchorId?: number;
}

const bad = (m: string) => new ApiError('badRequest', m);

/**
 * A configuration to edit: new section objects and rule lists, shared rules. Edits replace or
 * splice rules and never change one in place, and the published configuration is only ever
 * replaced, so copying 10k rules deeply for each edit would buy nothing.
 */
export function editableCopy(config: FirewallConfig): FirewallConfig {
  const copy = (sections: FirewallSection[]) => sections.map((s) => ({ ...s, rules: [...s.rules] }));
  return { ...config, layer3Sections: copy(config.layer3Sections), layer2Sections: copy(config.layer2Sections) };
}

export function sectionsOf(config: FirewallConfig, type: SectionType): FirewallSection[] {
  return type === 'LAYER3' ? config.layer3Sections : config.layer2Sections;
}

export function findSection(config: FirewallConfig, type: SectionType, id: number): FirewallSection {
  const s = sectionsOf(config, type).find((x) => x.id === id);
  if (!s) throw notFound(`Firewall section ${id}`);
  return s;
}

export function findRule(section: FirewallSection, ruleId: number): FirewallRule {
  const r = section.rules.find((x) => x.id === ruleId);
  if (!r) throw notFound(`Firewall rule ${ruleId} in section ${section.id}`);
  return r;
}

function assertEditable(section: FirewallSection): void {
  if (section.managedBy) {
    throw new ApiError('managedSection', `Section ${section.id} is managed by ${section.managedBy}; change it through its security policy`);
  }
}

/** All section and rule ids in use, to keep client-given ids unique. */
function idsInUse(config: FirewallConfig, skipSection?: number) {
  const sections = new Set<number>();
  const rules = new Set<number>();
  for (const s of [...config.layer3Sections, ...config.layer2Sections]) {
    if (s.id === skipSection) continue;
    sections.add(s.id);
    for (const r of s.rules) rules.add(r.id);
  }
  return { sections, rules };
}

/** Gives rules without an id (0) a new one; refuses an id already used elsewhere. */
function assignRuleIds(rules: FirewallRule[], used: Set<number>, ids: IdAllocator, keepGiven: boolean): void {
  for (const r of rules) {
    if (!keepGiven || r.id <= 0) r.id = ids.nextRule();
    else if (used.has(r.id)) throw new ApiError('duplicate', `Rule id ${r.id} is already used by another rule`);
    used.add(r.id);
    delete r.isDefault;
  }
}

/** Keeps the default rule last and limits its changes to action, logging, notes and tag. */
function keepDefaultRule(incoming: FirewallRule[], current: FirewallRule): FirewallRule[] {
  const sent = incoming.find((r) => r.id === current.id);
  const others = incoming.filter((r) => r.id !== current.id);
  const merged: FirewallRule = { ...structuredClone(current), action: sent?.action ?? current.action, logged: sent?.logged ?? current.logged };
  delete merged.notes;
  delete merged.tag;
  const notes = sent ? sent.notes : current.notes;
  const tag = sent ? sent.tag : current.tag;
  if (notes) merged.notes = notes;
  if (tag) merged.tag = tag;
  return [...others, merged];
}

function userArea(list: FirewallSection[]): { first: number; end: number } {
  let first = 0;
  while (first < list.length && list[first]!.managedBy) first++;
  const end = list.length && list[list.length - 1]!.isDefault ? list.length - 1 : list.length;
  return { first, end };
}

/** Adds a new section at the requested position; its id and its rules' ids are new. */
export function insertSection(config: FirewallConfig, section: FirewallSection, pos: InsertPosition, ids: IdAllocator): FirewallSection {
  const list = sectionsOf(config, section.type);
  if (list.some((s) => s.name === section.name)) throw new ApiError('duplicate', `A section named "${section.name}" already exists`);
  const { first, end } = userArea(list);
  const op = (pos.operation ?? 'insert_top').toLowerCase();
  let index: number;
  if (op === 'insert_top') index = first;
  else if (op === 'insert_before_default') index = end;
  else if (op === 'insert_before' || op === 'insert_after') {
    if (pos.anchorId === undefined) throw bad(`operation ${op} needs anchorId`);
    const at = list.findIndex((s) => s.id === pos.anchorId);
    if (at < 0) throw bad(`Anchor section ${pos.anchorId} does not exist`);
    const anchor = list[at]!;
    if (op === 'insert_after' && anchor.isDefault) throw bad(`Cannot insert a section after the default section ${anchor.id}`);
    if (anchor.managedBy && (op === 'insert_before' || at + 1 < first)) throw bad(`Cannot insert a section among Service Composer sections (anchor ${anchor.id})`);
    index = op === 'insert_before' ? at : at + 1;
  } else throw bad(`Unknown operation "${pos.operation}"; expected insert_top, insert_before, insert_after or insert_before_default`);
  delete section.managedBy;
  delete section.isDefault;
  section.id = ids.nextSection();
  assignRuleIds(section.rules, idsInUse(config).rules, ids, false);
  list.splice(index, 0, section);
  return section;
}

/** Moves an existing section (`action=revise`). */
export function moveSection(config: FirewallConfig, type: SectionType, id: number, pos: InsertPosition): void {
  const list = sectionsOf(config, type);
  const section = findSection(config, type, id);
  assertEditable(section);
  if (section.isDefault) throw new ApiError('defaultSection', `Cannot move default section ${id}`);
  list.splice(list.indexOf(section), 1);
  const anchorGone = pos.anchorId !== undefined && !list.some((s) => s.id === pos.anchorId);
  if (anchorGone) throw bad(`Anchor section ${pos.anchorId} does not exist`);
  const { first, end } = userArea(list);
  const op = (pos.operation ?? 'insert_top').toLowerCase();
  let index: number;
  if (op === 'insert_top') index = first;
  else if (op === 'insert_before_default') index = end;
  else if (op === 'insert_before' || op === 'insert_after') {
    const at = list.findIndex((s) => s.id === pos.anchorId);
    if (at < 0) throw bad(`operation ${op} needs anchorId`);
    if (op === 'insert_after' && list[at]!.isDefault) throw bad('Cannot move a section after the default section');
    index = op === 'insert_before' ? at : at + 1;
    if (index < first) throw bad('Cannot move a section among Service Composer sections');
  } else throw bad(`Unknown operation "${pos.operation}"`);
  list.splice(index, 0, section);
}

/** Replaces a section's content (PUT section). New rules (no id) get ids; the default rule stays last. */
export function replaceSection(config: FirewallConfig, type: SectionType, id: number, incoming: FirewallSection, ids: IdAllocator): FirewallSection {
  const list = sectionsOf(config, type);
  const current = findSection(config, type, id);
  assertEditable(current);
  if (incoming.id && incoming.id !== id) throw bad(`Section id ${incoming.id} in the body does not match ${id} in the URL`);
  if (list.some((s) => s.id !== id && s.name === incoming.name)) throw new ApiError('duplicate', `A section named "${incoming.name}" already exists`);
  const next: FirewallSection = { ...incoming, id, generationNumber: current.generationNumber, timestamp: current.timestamp };
  delete next.managedBy;
  delete next.isDefault;
  const used = idsInUse(config, id).rules;
  const defaultRule = current.rules.find((r) => r.isDefault);
  const plain = defaultRule ? next.rules.filter((r) => r.id !== defaultRule.id) : next.rules;
  assignRuleIds(plain, used, ids, true);
  if (defaultRule) {
    next.isDefault = true;
    next.name = current.name;
    next.rules = keepDefaultRule([...plain, ...next.rules.filter((r) => r.id === defaultRule.id)], defaultRule);
  }
  list[list.indexOf(current)] = next;
  return next;
}

export function deleteSection(config: FirewallConfig, type: SectionType, id: number): FirewallSection {
  const list = sectionsOf(config, type);
  const section = findSection(config, type, id);
  if (section.isDefault) throw new ApiError('defaultSection', `Cannot delete default section ${id}`);
  assertEditable(section);
  list.splice(list.indexOf(section), 1);
  return section;
}

export function insertRule(config: FirewallConfig, section: FirewallSection, rule: FirewallRule, pos: InsertPosition, ids: IdAllocator): FirewallRule {
  assertEditable(section);
  const op = (pos.operation ?? 'insert_top').toLowerCase();
  const rules = section.rules;
  const defaultAt = rules.findIndex((r) => r.isDefault);
  let index: number;
  if (op === 'insert_top') index = 0;
  else if (op === 'insert_bottom') index = defaultAt >= 0 ? defaultAt : rules.length;
  else if (op === 'insert_before' || op === 'insert_after') {
    if (pos.anchorId === undefined) throw bad(`operation ${op} needs anchorId`);
    const at = rules.findIndex((r) => r.id === pos.anchorId);
    if (at < 0) throw bad(`Anchor rule ${pos.anchorId} is not in section ${section.id}`);
    if (op === 'insert_after' && rules[at]!.isDefault) throw bad(`Cannot insert a rule after the default rule ${pos.anchorId}`);
    index = op === 'insert_before' ? at : at + 1;
  } else throw bad(`Unknown operation "${pos.operation}"; expected insert_top, insert_before or insert_after`);
  assignRuleIds([rule], idsInUse(config).rules, ids, false);
  rules.splice(index, 0, rule);
  return rule;
}

export function replaceRule(section: FirewallSection, ruleId: number, incoming: FirewallRule): FirewallRule {
  assertEditable(section);
  const current = findRule(section, ruleId);
  if (incoming.id && incoming.id !== ruleId) throw bad(`Rule id ${incoming.id} in the body does not match ${ruleId} in the URL`);
  const next = current.isDefault ? keepDefaultRule([{ ...incoming, id: ruleId }], current)[0]! : { ...incoming, id: ruleId };
  if (!current.isDefault) delete next.isDefault;
  section.rules[section.rules.indexOf(current)] = next;
  return next;
}

export function deleteRule(section: FirewallSection, ruleId: number): FirewallRule {
  assertEditable(section);
  const rule = findRule(section, ruleId);
  if (rule.isDefault) throw new ApiError('defaultRule', `Cannot delete default rule ${ruleId}`);
  section.rules.splice(section.rules.indexOf(rule), 1);
  return rule;
}

/**
 * Replaces the whole configuration (PUT /config, or loading a saved configuration). Ids the
 * body carries are kept, so putting a saved configuration back restores it exactly; missing
 * default sections are kept from the current configuration; Service Composer sections come
 * from the security policies, not from the body.
 */
export function replaceConfig(current: FirewallConfig, incoming: FirewallConfig, ids: IdAllocator): FirewallConfig {
  const next: FirewallConfig = { ...current, layer3Sections: [], layer2Sections: [] };
  const usedSections = new Set<number>();
  const usedRules = new Set<number>();
  for (const type of ['LAYER3', 'LAYER2'] as const) {
    const cur = sectionsOf(current, type);
    const managed = cur.filter((s) => s.managedBy);
    for (const s of managed) {
      usedSections.add(s.id);
      for (const r of s.rules) usedRules.add(r.id);
    }
    const curDefault = cur.find((s) => s.isDefault);
    const sent = sectionsOf(incoming, type).filter((s) => !s.managedBy);
    const names = new Set<string>();
    const out: FirewallSection[] = [...managed.map((s) => structuredClone(s))];
    let sentDefault: FirewallSection | undefined;
    for (const s of sent) {
      if (curDefault && s.id === curDefault.id) {
        sentDefault = s;
        continue;
      }
      if (names.has(s.name)) throw new ApiError('duplicate', `Two sections are named "${s.name}"`);
      names.add(s.name);
      if (s.id <= 0) s.id = ids.nextSection();
      else if (usedSections.has(s.id) || s.id === curDefault?.id) throw new ApiError('duplicate', `Section id ${s.id} appears twice`);
      usedSections.add(s.id);
      delete s.isDefault;
      out.push(s);
    }
    if (curDefault) {
      const d: FirewallSection = sentDefault ? { ...sentDefault, id: curDefault.id, name: curDefault.name, isDefault: true } : structuredClone(curDefault);
      const defaultRule = curDefault.rules.find((r) => r.isDefault)!;
      d.rules = keepDefaultRule(d.rules, defaultRule);
      usedSections.add(d.id);
      out.push(d);
    }
    next[type === 'LAYER3' ? 'layer3Sections' : 'layer2Sections'] = out;
  }
  // Default rules first: their ids are fixed, the rest must not collide with them.
  for (const s of [...next.layer3Sections, ...next.layer2Sections]) for (const r of s.rules) if (r.isDefault) usedRules.add(r.id);
  for (const s of [...next.layer3Sections, ...next.layer2Sections]) {
    if (s.managedBy) continue;
    assignRuleIds(s.rules.filter((r) => !r.isDefault), usedRules, ids, true);
  }
  return next;
}

/** Whether two sections differ in anything but their generation stamps. */
export function sectionChanged(a: FirewallSection | undefined, b: FirewallSection): boolean {
  if (!a) return true;
  if (a === b) return false;
  // Fast path: a re-publish or an edit elsewhere shares the rules; then only the section's own fields matter.
  if (a.rules === b.rules || (a.rules.length === b.rules.length && a.rules.every((r, i) => r === b.rules[i]))) {
    return a.name !== b.name || a.type !== b.type || a.tcpStrict !== b.tcpStrict || a.stateless !== b.stateless || a.useSid !== b.useSid || a.managedBy !== b.managedBy || a.isDefault !== b.isDefault;
  }
  const strip = (s: FirewallSection) => JSON.stringify({ ...s, generationNumber: 0, timestamp: 0 });
  return strip(a) !== strip(b);
}
