/**
 * Host preparation is deterministic and survives a save: the same install, failure, fix and
 * resolve give the same event log and snapshot in-process and across worker_threads, and a lab
 * saved with an unprepared (then failed) host restores to the same state and finishes the same way.
 */
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../workers/protocol/events';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { withUnpreparedClusters } from '../../workers/lab/presets/unprepared';
import { inProcessTransport } from '../../workers/transports';
import type { Transport } from '../../workers/lab/transport';
import type { LabDocument } from '../../workers/lab/lab-document';

const boot = async (doc: LabDocument, transport: Transport = inProcessTransport) => new LabApi(await Lab.boot(doc, transport));
const unpreparedB = () => withUnpreparedClusters(buildLab(), ['domain-c26']);
const install = (api: LabApi) => api.rest({ method: 'POST', path: '/api/2.0/nwfabric/configure', headers: { 'Content-Type': 'application/xml' }, body: '<nwFabricFeatureConfig><resourceConfig><resourceId>domain-c26</resourceId></resourceConfig></nwFabricFeatureConfig>' });
const resolve = (api: LabApi) => api.rest({ method: 'POST', path: '/api/2.0/nwfabric/resolveIssues/domain-c26' });

async function breakAndInstall(api: LabApi): Promise<void> {
  await api.host('esxcomp-02a', 'esxcli network ip dns server remove --server=192.168.110.10');
  await install(api);
  await api.wait(30);
}

async function fixAndResolve(api: LabApi): Promise<string> {
  await api.host('esxcomp-02a', 'esxcli network ip dns server add --server=192.168.110.10');
  await resolve(api);
  await api.wait(40);
  return (await api.probe({ from: 'web-sv-02a', to: 'db-sv-01a', proto: 'tcp', port: 22 })).trace.filter((t) => t.component === 'host-30' && t.slot === 2).length > 0 ? 'enforced' : 'unfiltered';
}

describe('host preparation determinism', () => {
  it('identical event logs and snapshots in-process and across worker_threads', async () => {
    const a = await boot(unpreparedB());
    const b = await boot(unpreparedB(), nodeWorkerTransport());
    try {
      await breakAndInstall(a);
      await breakAndInstall(b);
      expect([await fixAndResolve(a), await fixAndResolve(b)]).toEqual(['enforced', 'enforced']);
      expect(b.lab.events.map(formatEvent)).toEqual(a.lab.events.map(formatEvent));
      expect(await b.lab.snapshot()).toEqual(await a.lab.snapshot());
    } finally {
      b.lab.dispose();
    }
  });

  it('a lab saved with a failed host restores as it was and finishes the same way', async () => {
    const a = await boot(unpreparedB());
    await breakAndInstall(a);
    const saved = structuredClone(await a.lab.snapshot());
    const b = await boot(saved);
    expect(await b.host('esxcomp-02a', 'summarize-dvfilter')).toContain('not found');
    expect((await b.eamAgencies())[0]!.agents[0]!.status).toBe('red');
    expect([await fixAndResolve(a), await fixAndResolve(b)]).toEqual(['enforced', 'enforced']);
    expect(await b.host('esxcomp-02a', 'cat /var/log/esxupdate.log')).toBe(await a.host('esxcomp-02a', 'cat /var/log/esxupdate.log'));
  });
});
