/**
 * Dry runs (Lab.dryRun, LabApi.dryRun): a probe, session or REST call asked "what would happen"
 * leaves every component's state, the agenda, the event log, the counters and the action log
 * exactly as they were, and answers what the same request answers on a copy of the lab.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi, type ProbeResult, type ProbeSpec } from '../../workers/lab/lab-api';
import { inProcessTransport } from '../../workers/transports';
import { bootClassroom } from './helpers';

const VMS = ['web-sv-01a', 'web-sv-01b', 'web-sv-02a', 'app-sv-01a', 'db-sv-01a', 'vcsa-01a'];

const probeSpec: fc.Arbitrary<ProbeSpec> = fc.record({
  from: fc.constantFrom(...VMS, 'admin-ws'),
  to: fc.constantFrom(...VMS),
  proto: fc.constantFrom('tcp' as const, 'udp' as const, 'icmp' as const),
  port: fc.constantFrom(22, 53, 80, 443, 3306, 8443),
});

/** What a learner can do to the lab between checks, so dry runs meet varied state (sessions, ARP, trackers). */
type Step = { do: 'probe'; spec: ProbeSpec } | { do: 'session' } | { do: 'wait'; s: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  probeSpec.map((spec) => ({ do: 'probe' as const, spec })),
  fc.constant({ do: 'session' as const }),
  fc.integer({ min: 1, max: 400 }).map((s) => ({ do: 'wait' as const, s })),
);

const verdictOf = (r: ProbeResult) => ({ verdict: r.verdict, by: r.by, ruleId: r.ruleId, detail: r.detail, trace: r.trace, answer: r.answer, probe: r.probe });

async function play(api: LabApi, s: Step): Promise<void> {
  if (s.do === 'probe') await api.probe(s.spec);
  else if (s.do === 'wait') await api.wait(s.s);
  else if (!api.lab.sessions.has('s')) await api.session({ name: 's', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
}

describe('dry runs', () => {
  it('leave every component byte-identical and answer as the real probe does on a copy', async () => {
    const api = await bootClassroom();
    const heard: unknown[] = [];
    api.lab.onEvents((e) => heard.push(...e));
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 3 }), probeSpec, fc.boolean(), async (steps, spec, viaSession) => {
        for (const s of steps) await play(api, s);
        await api.lab.settle();
        const before = JSON.stringify(await api.lab.snapshot());
        const logged = api.lab.actionLog.actions.length;
        heard.length = 0;
        const asSession = viaSession && api.lab.sessions.has('s');
        const dry = await api.dryRun((d) => (asSession ? d.session({ name: 's', do: 'send' }) : d.probe(spec)));
        expect(heard).toEqual([]);
        expect(api.lab.actionLog.actions.length).toBe(logged);
        const after = JSON.stringify(await api.lab.snapshot());
        expect(after).toBe(before);
        // The same request for real, on a copy of the lab as it was.
        const copy = new LabApi(await Lab.boot(JSON.parse(before), inProcessTransport));
        for (const [name, vm] of api.lab.sessions) copy.lab.sessions.set(name, vm);
        const real = asSession ? await copy.session({ name: 's', do: 'send' }) : await copy.probe(spec);
        copy.lab.dispose();
        expect(verdictOf(dry)).toEqual(verdictOf(real));
      }),
      { numRuns: 25, seed: 16 },
    );
    api.lab.dispose();
  });

  it('checking goals (probes sent together, in rounds) leaves every component byte-identical, hosts and fabric kept from their own snapshot copies', async () => {
    const api = await bootClassroom();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 3 }), fc.array(probeSpec, { minLength: 1, maxLength: 4 }), async (steps, specs) => {
        for (const s of steps) await play(api, s);
        await api.lab.settle();
        const before = JSON.stringify(await api.lab.snapshot());
        const wavesBefore = api.lab.wavesRun;
        const answers = await api.dryRun((d) => d.probeAll(specs));
        expect(answers).toHaveLength(specs.length);
        expect(JSON.stringify(await api.lab.snapshot())).toBe(before);
        // As the last question of a dry run, the last round stops once its probes reported: the same answers, fewer waves, the lab as it was.
        const waves = api.lab.wavesRun;
        const lastAnswers = await api.dryRun((d) => d.probeAll(specs, { last: true }));
        const brief = (rs: typeof answers) => rs.map((r) => (r instanceof Error ? r.message : { ...verdictOf(r), trace: undefined }));
        expect(brief(lastAnswers)).toEqual(brief(answers));
        expect(api.lab.wavesRun - waves).toBeLessThanOrEqual(waves - wavesBefore);
        expect(JSON.stringify(await api.lab.snapshot())).toBe(before);
      }),
      { numRuns: 12, seed: 17 },
    );
    api.lab.dispose();
  });

  it('undo a REST write and refuse to move the clock or snapshot the lab', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const before = JSON.stringify(await api.lab.snapshot());
    const created = await api.dryRun((d) =>
      d.rest({ method: 'POST', path: '/api/4.0/firewall/globalroot-0/config/layer3sections', headers: { 'Content-Type': 'application/xml' }, body: '<section name="Dry"/>' }),
    );
    expect(created.status).toBe(201);
    await expect(api.dryRun((d) => d.wait(1))).rejects.toThrow(/dry run cannot advance the clock/);
    await expect(api.dryRun((d) => d.lab.snapshot())).rejects.toThrow(/dry run cannot take a snapshot/);
    expect(JSON.stringify(await api.lab.snapshot())).toBe(before);
    const config = await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config' });
    expect(config.body).not.toContain('name="Dry"');
    api.lab.dispose();
  });

  it('Traceflow runs dry: the tracker, ARP caches and the event log do not move', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const before = JSON.stringify(await api.lab.snapshot());
    const t = await api.traceflow({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    expect(t.verdict).toBe('allowed');
    expect(JSON.stringify(await api.lab.snapshot())).toBe(before);
    api.lab.dispose();
  });
});
