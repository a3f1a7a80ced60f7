/**
 * Redirect sections in saved configurations: NSX-V saves the whole firewall configuration,
 * `layer3RedirectSections` with the DFW's layers, and a PUT /config carrying them restores them.
 * Only the user's sections are saved and restored; Service Composer's follow its policies.
 */
import type { ManagerCore } from '../core';
import { ApiError } from '../errors';
import { child, childrenOf, type XmlNode } from '../xml';
import { DEFAULT_REDIRECT_SECTION_ID, DEFAULT_REDIRECT_SECTION_NAME, defaultRedirectSection, type RedirectSection } from './model';
import { parseRedirectSection, redirectSectionXml } from './redirect-xml';
import { ServiceInsertion } from './service-insertion';

/** A copy of the user's redirect sections to keep with a saved configuration (sections are edited in place). */
export function redirectSectionsToSave(core: ManagerCore): RedirectSection[] | undefined {
  const st = core.state.serviceInsertion;
  return st ? structuredClone(st.sections) : undefined;
}

/** The redirect sections a `<config>` / `<firewallConfiguration>` body carries; undefined when it has no `<layer3RedirectSections>`. */
export function parseRedirectSections(config: XmlNode): RedirectSection[] | undefined {
  const holder = child(config, 'layer3RedirectSections');
  if (!holder) return undefined;
  return childrenOf(holder, 'section')
    .filter((s) => !s.attrs.managedBy)
    .map((s) => ({ ...parseRedirectSection(s), id: Number(s.attrs.id ?? 0) || 0 }));
}

/** A saved configuration's `<config>` with its own redirect sections in place of the default one. */
export function withSavedRedirectSections(config: XmlNode, sections: RedirectSection[] | undefined, core: ManagerCore): XmlNode {
  if (!sections) return config;
  const si = new ServiceInsertion(core);
  const node: XmlNode = { tag: 'layer3RedirectSections', attrs: {}, text: '', children: sections.map((s) => redirectSectionXml(s, core.describe, (p) => si.serviceByProfile(p)?.name)) };
  return { ...config, children: config.children.map((c) => (c.tag === 'layer3RedirectSections' ? node : c)) };
}

/**
 * Replaces the user's redirect sections with a body's (PUT /config), before the publish that
 * follows: the default section stays last and keeps its id; other sections and rules keep
 * their ids when free, else get new ones; every rule's profile must name a registered service.
 */
export function restoreRedirectSections(core: ManagerCore, incoming: RedirectSection[]): void {
  const si = new ServiceInsertion(core);
  const ids = core.ids();
  const usedSections = new Set<number>();
  const usedRules = new Set<number>();
  const managed = si.sections().filter((s) => s.managedBy);
  for (const s of managed) usedSections.add(s.id);
  for (const r of managed.flatMap((s) => s.rules)) usedRules.add(r.id);
  const defaults = incoming.filter((s) => s.id === DEFAULT_REDIRECT_SECTION_ID || s.name === DEFAULT_REDIRECT_SECTION_NAME);
  if (defaults.length > 1) throw new ApiError('badRequest', 'The redirect configuration has more than one default section');
  const next = incoming.map((s) => {
    const isDefault = s === defaults[0];
    const id = isDefault ? DEFAULT_REDIRECT_SECTION_ID : s.id > 0 && !usedSections.has(s.id) ? s.id : ids.nextSection();
    usedSections.add(id);
    const rules = s.rules.map((r) => {
      const resolved = si.resolveProfile(r);
      const ruleId = r.id > 0 && !usedRules.has(r.id) ? r.id : ids.nextRule();
      usedRules.add(ruleId);
      return { ...resolved, id: ruleId };
    });
    const section: RedirectSection = { id, name: isDefault ? DEFAULT_REDIRECT_SECTION_NAME : s.name, generationNumber: 0, timestamp: 0, rules };
    if (isDefault) section.isDefault = true;
    return section;
  });
  const def = next.find((s) => s.isDefault) ?? defaultRedirectSection(0);
  si.replaceSections([...next.filter((s) => !s.isDefault), def]);
}
