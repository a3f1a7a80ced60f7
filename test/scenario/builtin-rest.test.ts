/**
 * The REST halves of the built-in scenarios against NSX Manager on its own (no hosts): every
 * solution request is accepted and every `{{…}}` reference finds what it names. This runs
 * whether or not the manager is wired into the lab yet.
 */
import { describe, expect, it } from 'vitest';
import type { LabApi, RestRequest } from '../../workers/lab/lab-api';
import { runScenario } from '../../workers/scenario/engine';
import { newManager } from '../manager/fixtures';
import { builtinScenarios } from './builtin-files';

/** The lessons send PUT /config without or with a stale If-Match on purpose, to read the 412. */
const REFUSED_ON_PURPOSE = (req: RestRequest, status: number) => status === 412 && req.method === 'PUT' && /\/config$/.test(req.path);

describe('built-in scenarios: REST against the manager alone', () => {
  for (const { id, scenario } of builtinScenarios()) {
    it(id, async () => {
      const { manager } = newManager();
      const refused: string[] = [];
      const ok = { verdict: 'allowed', by: 'rule', detail: '', trace: [] };
      const stub = {
        lab: { events: [] },
        rest: async (req: RestRequest) => {
          const r = manager.rest(req);
          if (r.status >= 400 && !REFUSED_ON_PURPOSE(req, r.status)) refused.push(`${req.method} ${req.path} → ${r.status} ${r.body.slice(0, 300)}`);
          return r;
        },
        publish: async () => ({ generation: 1 }),
        probe: async () => ok, reach: async () => ok, session: async () => ok, probeAll: async (specs: unknown[]) => specs.map(() => ok),
        guest: async () => '', host: async () => '', vmotion: async () => {}, power: async () => {}, wait: async () => {},
        inventory: async () => ({ hosts: [] }), vsfwd: async () => {}, manager: async () => {}, bus: async () => {},
        dryRun: (work: (api: LabApi) => Promise<unknown>) => work(stub),
      } as unknown as LabApi;
      const r = await runScenario(scenario, { boot: async () => stub, solve: true });
      expect(refused).toEqual([]);
      expect(r.lines.filter((l) => l.kind !== 'goal' && !l.ok).map((l) => `${l.label}: ${l.detail}`)).toEqual([]);
    });
  }
});
