/**
 * The Firewall screen's unpublished working copy as it is kept in the saved lab (the lab
 * document's `workingCopies.firewall`): the configuration the edits started from, the edits,
 * and the ETag they were read with. Read back through a schema, since a lab file is untrusted.
 */
import * as v from 'valibot';
import type { FwConfig } from './firewall-model';

export const WORKING_COPY_KEY = 'firewall';

export interface FirewallWorkingCopy {
  etag: string;
  loadedFrom: string;
  base: FwConfig;
  working: FwConfig;
}

const Ref = v.looseObject({ value: v.string(), type: v.string() });
const Rule = v.looseObject({
  id: v.number(),
  name: v.string(),
  action: v.picklist(['allow', 'deny', 'reject']),
  disabled: v.boolean(),
  sources: v.array(Ref),
  destinations: v.array(Ref),
  services: v.array(v.looseObject({})),
  appliedTo: v.array(Ref),
  isDefault: v.boolean(),
});
const Section = v.looseObject({ id: v.number(), name: v.string(), type: v.picklist(['LAYER3', 'LAYER2']), managedBy: v.string(), rules: v.array(Rule) });
const Config = v.looseObject({ contextId: v.string(), generationNumber: v.number(), layer3: v.array(Section), layer2: v.array(Section), redirectSections: v.optional(v.string()) });
const WorkingCopySchema = v.object({ etag: v.string(), loadedFrom: v.string(), base: Config, working: Config });

/** The kept working copy, or why it cannot be used. */
export function readWorkingCopy(input: unknown): { ok: true; copy: FirewallWorkingCopy } | { ok: false; message: string } {
  const result = v.safeParse(WorkingCopySchema, input);
  if (result.success) return { ok: true, copy: result.output as unknown as FirewallWorkingCopy };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return { ok: false, message: `${path ? `${path}: ` : ''}${issue.message}` };
}
