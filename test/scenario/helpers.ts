import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { inProcessTransport } from '../../workers/transports';
import { validateScenario, type Scenario } from '../../workers/scenario/schema';

export const boot = async (doc: LabDocument): Promise<LabApi> => new LabApi(await Lab.boot(doc, inProcessTransport));

/** A valid scenario from steps, on the classroom preset. */
export function scenario(steps: unknown[], extra: Record<string, unknown> = {}): Scenario {
  const r = validateScenario({ format: 'dfw-lab/scenario@1', id: 'test', title: 'Test', summary: '', lab: { preset: 'classroom' }, steps, ...extra });
  if (!r.ok) throw new Error(`test scenario invalid at ${r.path}: ${r.message}`);
  return r.scenario;
}
