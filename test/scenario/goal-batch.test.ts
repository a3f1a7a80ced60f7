/**
 * A step's goals checked as one batch (evaluateGoals: the traffic and reach probes sent together
 * through LabApi.probeAll, the other checks after) give what checking each goal alone gives
 * (evaluateCheck in a dry run of its own, its probe sent by itself), on labs in several states:
 * any mix of probes (fast-check), and every step of a built-in lesson played with its solutions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../../workers/lab/lab-api';
import { evaluateCheck } from '../../workers/scenario/checks';
import { evaluateGoals, labDocumentOf, playActions } from '../../workers/scenario/engine';
import type { Results } from '../../workers/scenario/results';
import type { Check, Step } from '../../workers/scenario/schema';
import { builtinScenarios } from './builtin-files';
import { boot, scenario } from './helpers';

const VMS = ['web-sv-01a', 'web-sv-01b', 'web-sv-02a', 'app-sv-01a', 'db-sv-01a', 'vcsa-01a', 'nsxmgr-01a'];

async function oneByOne(api: LabApi, goals: readonly Check[], results: Results) {
  const out = [];
  for (const c of goals) out.push(await api.dryRun((dry) => evaluateCheck(dry, c, results)));
  return out;
}

async function batched(api: LabApi, goals: readonly Check[], results: Results) {
  const lines = await evaluateGoals(api, { say: '', goal: [...goals] } as Step, results, 1);
  return lines.map((l) => ({ ok: l.ok, expected: l.expected, actual: l.actual }));
}

const probeCheck: fc.Arbitrary<Check> = fc.oneof(
  fc.record({
    check: fc.constant('traffic' as const),
    from: fc.constantFrom(...VMS, 'admin-ws', 'no-such-vm'),
    to: fc.constantFrom(...VMS, '172.16.10.11', 'no-such-vm'),
    proto: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
    port: fc.constantFrom(22, 80, 443, 3306, 8443),
    expect: fc.constantFrom('allowed' as const, 'dropped' as const),
  }),
  fc.record({ check: fc.constant('reach' as const), app: fc.constantFrom('vcenter' as const, 'nsx-manager' as const), expect: fc.constantFrom('up' as const, 'down' as const) }),
  fc.record({ check: fc.constant('api' as const), method: fc.constant('GET' as const), path: fc.constant('/api/4.0/firewall/globalroot-0/config'), status: fc.constant(200), contains: fc.constant('Default Rule') }),
);

describe('goal checks in one batch', () => {
  it('give the same outcomes as each goal checked alone, for any mix of probes, and leave the lab as it was', async () => {
    const api = await boot(labDocumentOf(scenario([{ say: 'x' }])));
    // A block rule published on top of the preset, so verdicts differ between probes.
    const lockout = builtinScenarios().find((s) => s.id === 'lockout-vcenter')!.scenario;
    await playActions(api, lockout.steps[1].solution ?? [], new Map(), 2, 'solution');
    await api.lab.settle();
    await fc.assert(
      fc.asyncProperty(fc.array(probeCheck, { minLength: 1, maxLength: 5 }), async (goals) => {
        const events = api.lab.events.length;
        const alone = await oneByOne(api, goals, new Map());
        const together = await batched(api, goals, new Map());
        expect(together).toEqual(alone);
        expect(api.lab.events.length).toBe(events);
      }),
      { numRuns: 15 },
    );
    api.lab.dispose();
  }, 300_000);

  it('send requests together only inside a dry run (a replay of the action log sends one at a time)', async () => {
    const api = await boot(labDocumentOf(scenario([{ say: 'x' }])));
    const ask = [{ to: 'vcenter', kind: 'locate', body: { vm: 'web-sv-01a' } }, { to: 'vcenter', kind: 'locate', body: { vm: 'no-such-vm' } }];
    await expect(api.lab.requestAll(ask)).rejects.toThrow(/dry runs only/);
    const [found, missing] = await api.lab.dryRun((dry) => dry.requestAll(ask));
    expect(found).toMatchObject({ host: expect.any(String) });
    expect(missing).toBeInstanceOf(Error);
    api.lab.dispose();
  });

  it('give the same outcomes as each goal checked alone at every step of the built-in lessons', async () => {
    for (const id of ['lockout-vcenter', 'ip-change-bypass', 'identity-firewall']) {
      const found = builtinScenarios().find((s) => s.id === id);
      expect(found, id).toBeDefined();
      const sc = found!.scenario;
      const api = await boot(labDocumentOf(sc));
      const results: Results = new Map();
      let compared = 0;
      for (const [i, step] of sc.steps.entries()) {
        await playActions(api, step.do ?? [], results, i + 1, 'do');
        await playActions(api, step.solution ?? [], results, i + 1, 'solution');
        const goals = step.goal ?? [];
        if (!goals.length) continue;
        expect(await batched(api, goals, results), `${id} step ${i + 1}`).toEqual(await oneByOne(api, goals, results));
        compared++;
      }
      expect(compared).toBeGreaterThan(2);
      api.lab.dispose();
    }
  }, 300_000);
});
