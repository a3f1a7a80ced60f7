/**
 * Lab.revision: what a save needs to know. It moves when the lab changes and stays when only
 * asked (queries, the screens' re-reads, a goal check's dry run), and whenever it stays every
 * component, the event log, the agenda and the clock are as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LabApi, ProbeSpec } from '../../workers/lab/lab-api';
import { bootClassroom } from './helpers';

const VMS = ['web-sv-01a', 'app-sv-01a', 'db-sv-01a', 'vcsa-01a'];

/** The lab as a save stores it, without the bookkeeping a read moves (request counter, action log). */
async function stored(api: LabApi): Promise<string> {
  const doc = await api.lab.snapshot();
  return JSON.stringify({ components: doc.components, events: doc.events, pending: doc.pending, clock: doc.clock, sessions: doc.sessions });
}

type Op = { do: 'inventory' } | { do: 'agencies' } | { do: 'transfers' } | { do: 'dry-probe'; spec: ProbeSpec } | { do: 'probe'; spec: ProbeSpec } | { do: 'wait'; s: number } | { do: 'power-off' };
const spec: fc.Arbitrary<ProbeSpec> = fc.record({
  from: fc.constantFrom(...VMS, 'admin-ws'),
  to: fc.constantFrom(...VMS),
  proto: fc.constantFrom('tcp' as const, 'icmp' as const),
  port: fc.constantFrom(22, 80, 443, 3306),
});
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant({ do: 'inventory' as const }),
  fc.constant({ do: 'agencies' as const }),
  fc.constant({ do: 'transfers' as const }),
  spec.map((s) => ({ do: 'dry-probe' as const, spec: s })),
  spec.map((s) => ({ do: 'probe' as const, spec: s })),
  fc.integer({ min: 0, max: 5 }).map((s) => ({ do: 'wait' as const, s })),
  fc.constant({ do: 'power-off' as const }),
);

async function play(api: LabApi, o: Op): Promise<void> {
  if (o.do === 'inventory') await api.inventory();
  else if (o.do === 'agencies') await api.eamAgencies();
  else if (o.do === 'transfers') await api.transfers();
  else if (o.do === 'dry-probe') await api.dryRun((d) => d.probe(o.spec));
  else if (o.do === 'probe') await api.probe(o.spec);
  else if (o.do === 'wait') await api.wait(o.s);
  else await api.power('db-sv-01a', 'off');
}

describe('Lab.revision', () => {
  it('stays on reads and dry runs, moves on a change', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const start = api.lab.revision;
    await api.inventory();
    await api.eamAgencies();
    await api.transfers();
    await api.dryRun((d) => d.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 }));
    expect(api.lab.revision).toBe(start);
    await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const afterProbe = api.lab.revision;
    expect(afterProbe).toBeGreaterThan(start);
    await api.wait(1);
    expect(api.lab.revision).toBeGreaterThan(afterProbe);
    const beforeCopy = api.lab.revision;
    api.lab.keepWorkingCopy('firewall', { sections: [] });
    expect(api.lab.revision).toBeGreaterThan(beforeCopy);
    api.lab.dispose();
  });

  it('whenever it stays, the lab a save would store is unchanged', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    await fc.assert(
      fc.asyncProperty(op, async (o) => {
        const before = await stored(api);
        const revision = api.lab.revision;
        await play(api, o);
        if (api.lab.revision === revision) expect(await stored(api)).toBe(before);
      }),
      { numRuns: 25, seed: 7 },
    );
    api.lab.dispose();
  });
});
