/**
 * The Firewall screen's unpublished working copy as it is kept in the saved lab (the lab
 * document's `workingCopies.firewall`): the configuration the edits started from, the edits,
 * and the ETag they were read with. Read back through a schema, since a lab file is untrusted;
 * a copy kept before the screen used the codec's types (flat `layer3` lists, each side a list
 * with its own negate flag) is brought up to them.
 */
import * as v from 'valibot';
import { PROTOCOL_NUMBERS } from '../../../workers/protocol/nsx/ports';
import { ruleOfForm, type FwConfig, type FwRef, type FwRule, type FwSection, type FwService } from './firewall-model';
import { isWith, parseWith, type Outside } from '../../../workers/protocol/outside';

export const WORKING_COPY_KEY = 'firewall';

export interface FirewallWorkingCopy {
  etag: string;
  loadedFrom: string;
  base: FwConfig;
  working: FwConfig;
}

// Keys in the codec's order: the editor compares configurations as JSON.
const Ref = v.object({ value: v.string(), type: v.string(), name: v.optional(v.string()) });
const Side = v.nullable(v.object({ excluded: v.boolean(), members: v.array(Ref) }));
const Service = v.variant('kind', [
  v.object({ kind: v.literal('ref'), value: v.string(), type: v.string(), name: v.optional(v.string()) }),
  v.object({
    kind: v.literal('raw'),
    protocol: v.number(),
    destinationPort: v.optional(v.string()),
    sourcePort: v.optional(v.string()),
    subProtocol: v.optional(v.number()),
    icmpType: v.optional(v.number()),
    icmpCode: v.optional(v.number()),
  }),
]);
const Rule = v.object({
  id: v.number(),
  name: v.string(),
  disabled: v.boolean(),
  logged: v.boolean(),
  action: v.picklist(['allow', 'deny', 'reject']),
  appliedTo: v.array(Ref),
  sources: Side,
  destinations: Side,
  services: v.array(Service),
  direction: v.picklist(['in', 'out', 'inout']),
  packetType: v.picklist(['any', 'ipv4', 'ipv6']),
  notes: v.optional(v.string()),
  tag: v.optional(v.string()),
  isDefault: v.optional(v.boolean()),
});
const Section = v.object({
  id: v.number(),
  name: v.string(),
  type: v.picklist(['LAYER3', 'LAYER2']),
  generationNumber: v.number(),
  timestamp: v.number(),
  tcpStrict: v.boolean(),
  stateless: v.boolean(),
  useSid: v.boolean(),
  rules: v.array(Rule),
  managedBy: v.optional(v.string()),
  isDefault: v.optional(v.boolean()),
});
const Config = v.object({
  contextId: v.string(),
  generationNumber: v.number(),
  timestamp: v.number(),
  layer3Sections: v.array(Section),
  layer2Sections: v.array(Section),
  redirectSections: v.optional(v.string()),
});
const WorkingCopySchema = v.object({ etag: v.string(), loadedFrom: v.string(), base: Config, working: Config });

// The schema's output is the screen's model, exactly: neither may change without the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact: Same<v.InferOutput<typeof WorkingCopySchema>, FirewallWorkingCopy> & Same<v.InferOutput<typeof Rule>, FwRule> & Same<v.InferOutput<typeof Section>, FwSection> = true;
void exact;

// ---- copies kept before the codec's types --------------------------------------

const OldRef = v.looseObject({ value: v.string(), type: v.string(), name: v.optional(v.string()) });
const OldService = v.looseObject({
  value: v.optional(v.string()),
  type: v.optional(v.string()),
  name: v.optional(v.string()),
  protocol: v.optional(v.number()),
  protocolName: v.optional(v.string()),
  destinationPort: v.optional(v.string()),
  sourcePort: v.optional(v.string()),
  subProtocol: v.optional(v.string()),
});
const OldRule = v.looseObject({
  id: v.number(),
  name: v.string(),
  action: v.picklist(['allow', 'deny', 'reject']),
  disabled: v.boolean(),
  logged: v.optional(v.boolean(), false),
  direction: v.optional(v.picklist(['in', 'out', 'inout']), 'inout'),
  packetType: v.optional(v.picklist(['any', 'ipv4', 'ipv6']), 'any'),
  sources: v.array(OldRef),
  sourcesExcluded: v.optional(v.boolean(), false),
  destinations: v.array(OldRef),
  destinationsExcluded: v.optional(v.boolean(), false),
  services: v.array(OldService),
  appliedTo: v.array(OldRef),
  notes: v.optional(v.string(), ''),
  tag: v.optional(v.string(), ''),
  isDefault: v.boolean(),
});
const OldSection = v.looseObject({
  id: v.number(),
  name: v.string(),
  type: v.picklist(['LAYER3', 'LAYER2']),
  generationNumber: v.optional(v.number(), 0),
  managedBy: v.string(),
  tcpStrict: v.optional(v.boolean(), false),
  stateless: v.optional(v.boolean(), false),
  useSid: v.optional(v.boolean(), false),
  rules: v.array(OldRule),
});
const OldConfig = v.looseObject({ contextId: v.string(), generationNumber: v.number(), timestamp: v.optional(v.number(), 0), layer3: v.array(OldSection), layer2: v.array(OldSection), redirectSections: v.optional(v.string()) });
const OldWorkingCopySchema = v.object({ etag: v.string(), loadedFrom: v.string(), base: OldConfig, working: OldConfig });

const ref = (r: v.InferOutput<typeof OldRef>): FwRef => (r.name === undefined ? { value: r.value, type: r.type } : { value: r.value, type: r.type, name: r.name });

function service(s: v.InferOutput<typeof OldService>): FwService | string {
  if (s.value) return { kind: 'ref', value: s.value, type: s.type || 'Application', ...(s.name === undefined ? {} : { name: s.name }) };
  const protocol = s.protocol ?? (s.protocolName ? PROTOCOL_NUMBERS[s.protocolName.toUpperCase()] : undefined);
  if (protocol === undefined) return 'a service has neither a value nor a protocol';
  const raw: FwService = { kind: 'raw', protocol };
  if (s.destinationPort) raw.destinationPort = s.destinationPort;
  if (s.sourcePort) raw.sourcePort = s.sourcePort;
  if (s.subProtocol && /^\d+$/.test(s.subProtocol)) raw.subProtocol = Number(s.subProtocol);
  return raw;
}

/** An old copy in the codec's types, or why one of its services cannot be. */
function migrate(old: v.InferOutput<typeof OldWorkingCopySchema>): WorkingCopyRead {
  let problem = '';
  const config = (c: v.InferOutput<typeof OldConfig>, at: string): FwConfig => {
    const section = (s: v.InferOutput<typeof OldSection>, where: string): FwSection => {
      const out: FwSection = {
        id: s.id,
        name: s.name,
        type: s.type,
        generationNumber: s.generationNumber,
        timestamp: 0,
        tcpStrict: s.tcpStrict,
        stateless: s.stateless,
        useSid: s.useSid,
        // An old flat rule is the rule dialog's form: read its references and services, then build the rule as the dialog does.
        rules: s.rules.map((r, i) =>
          ruleOfForm({
            ...r,
            appliedTo: r.appliedTo.map(ref),
            sources: r.sources.map(ref),
            destinations: r.destinations.map(ref),
            services: r.services.flatMap((s, j) => {
              const read = service(s);
              if (typeof read === 'string') problem ||= `${where}.rules.${i}.services.${j}: ${read}`;
              return typeof read === 'string' ? [] : [read];
            }),
          }),
        ),
      };
      if (s.managedBy) out.managedBy = s.managedBy;
      return out;
    };
    const out: FwConfig = {
      contextId: c.contextId,
      generationNumber: c.generationNumber,
      timestamp: c.timestamp,
      layer3Sections: c.layer3.map((s, i) => section(s, `${at}.layer3.${i}`)),
      layer2Sections: c.layer2.map((s, i) => section(s, `${at}.layer2.${i}`)),
    };
    if (c.redirectSections !== undefined) out.redirectSections = c.redirectSections;
    return out;
  };
  const copy = { etag: old.etag, loadedFrom: old.loadedFrom, base: config(old.base, 'base'), working: config(old.working, 'working') };
  return problem ? { ok: false, message: problem } : { ok: true, copy };
}

/** A copy kept before the codec's types: its configurations have `layer3`, not `layer3Sections`. */
const OldShape = v.object({ working: v.looseObject({ layer3: v.array(v.unknown()) }) });

function why(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const issue = issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return `${path ? `${path}: ` : ''}${issue.message}`;
}

export type WorkingCopyRead = { ok: true; copy: FirewallWorkingCopy } | { ok: false; message: string };

/** The kept working copy, or why it cannot be used. */
export function readWorkingCopy(input: Outside): WorkingCopyRead {
  if (isWith(OldShape, input)) {
    const old = parseWith(OldWorkingCopySchema, input);
    return old.success ? migrate(old.output) : { ok: false, message: why(old.issues) };
  }
  const result = parseWith(WorkingCopySchema, input);
  return result.success ? { ok: true, copy: result.output } : { ok: false, message: why(result.issues) };
}
