/**
 * The DFW configuration as the Firewall screen edits it: NSX's own types
 * (workers/protocol/nsx/firewall-types.ts, read and written by the one codec through
 * firewall-xml.ts) plus what only the editor keeps. Rules and sections added in the screen have
 * negative ids until the manager assigns real ones.
 */
import type { FirewallConfig, FirewallRule, FirewallSection, ObjectRef, RuleSide, SectionType, ServiceRef } from '../../../workers/protocol/nsx/firewall-types';

export type Layer = SectionType;
export type FwRef = ObjectRef;
export type FwService = ServiceRef;
export type FwRule = FirewallRule;
export type FwSection = FirewallSection;

export interface FwConfig extends FirewallConfig {
  /**
   * A loaded saved configuration's `<layer3RedirectSections>` (partner redirect rules), as XML:
   * the next Publish sends it with PUT /config, which restores them on NSX Manager.
   */
  redirectSections?: string;
}

export const sectionsOf = (c: FirewallConfig, layer: Layer): FwSection[] => (layer === 'LAYER3' ? c.layer3Sections : c.layer2Sections);
export const allSections = (c: FirewallConfig): FwSection[] => [...c.layer3Sections, ...c.layer2Sections];

// ---- the rule dialog's form ---------------------------------------------------

/** A rule as the dialog edits it: each side a list (empty is any) with its own negate box. */
export interface RuleForm extends Omit<FwRule, 'sources' | 'destinations'> {
  sources: FwRef[];
  sourcesExcluded: boolean;
  destinations: FwRef[];
  destinationsExcluded: boolean;
}

export function ruleForm(rule: FwRule): RuleForm {
  const { sources, destinations, ...rest } = rule;
  return { ...rest, sources: sources?.members ?? [], sourcesExcluded: sources?.excluded ?? false, destinations: destinations?.members ?? [], destinationsExcluded: destinations?.excluded ?? false };
}

/** The rule the form describes, its keys in the codec's order (the editor compares rules as JSON). */
export function ruleOfForm(f: RuleForm): FwRule {
  const side = (members: FwRef[], excluded: boolean): RuleSide | null => (members.length ? { excluded, members } : null);
  const rule: FwRule = {
    id: f.id,
    name: f.name,
    disabled: f.disabled,
    logged: f.logged,
    action: f.action,
    appliedTo: f.appliedTo,
    sources: side(f.sources, f.sourcesExcluded),
    destinations: side(f.destinations, f.destinationsExcluded),
    services: f.services,
    direction: f.direction,
    packetType: f.packetType,
  };
  if (f.notes) rule.notes = f.notes;
  if (f.tag) rule.tag = f.tag;
  if (f.isDefault) rule.isDefault = true;
  return rule;
}

// ---- display ------------------------------------------------------------------

const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'IPv6-ICMP' };

export function refLabel(r: FwRef): string {
  return r.name ?? r.value;
}

export function serviceLabel(s: FwService): string {
  if (s.kind === 'ref') return s.name ?? s.value;
  const proto = PROTOCOLS[s.protocol] ?? `proto ${s.protocol}`;
  return s.destinationPort ? `${proto}/${s.destinationPort}` : proto;
}

/** A fresh rule as the "add rule" button makes it: any to any, allow, everywhere. */
export function blankRule(id: number): FwRule {
  return { id, name: 'New Rule', disabled: false, logged: false, action: 'allow', appliedTo: [], sources: null, destinations: null, services: [], direction: 'inout', packetType: 'any' };
}
