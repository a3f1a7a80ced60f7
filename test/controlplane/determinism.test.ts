/** The same control-plane actions give the same event log, bus capture and snapshot in-process and across worker_threads. */
import { describe, expect, it } from 'vitest';
import { formatEvent } from '../../workers/protocol/events';
import type { LabApi } from '../../workers/lab/lab-api';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { bootClassroom } from '../lab/helpers';
import { addRule } from './helpers';

async function play(api: LabApi): Promise<string[]> {
  const out: string[] = [];
  await addRule(api, { name: 'no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22 });
  await api.vsfwd('esxcomp-02a', 'crash');
  await api.bus('esxcomp-01b', 'cut');
  await addRule(api, { name: 'no mysql', action: 'deny', from: 'vm-36', to: 'vm-41', port: 3306 });
  out.push((await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 })).verdict);
  await api.wait(45);
  await api.bus('esxcomp-01b', 'heal');
  await api.manager('down');
  await api.vmotion('web-sv-01a', 'esxcomp-02a');
  await api.wait(95);
  await api.manager('up');
  await api.guest('app-sv-01a', 'service vmware-tools stop');
  out.push((await api.probe({ from: 'web-sv-02a', to: 'db-sv-01a', proto: 'tcp', port: 22 })).verdict);
  await api.wait(310);
  return out;
}

describe('control-plane determinism', () => {
  it('identical event logs, bus traffic and snapshots in-process and across worker_threads', async () => {
    const a = await bootClassroom();
    const b = await bootClassroom(nodeWorkerTransport());
    try {
      const [va, vb] = [await play(a), await play(b)];
      expect(vb).toEqual(va);
      expect(b.lab.events.map(formatEvent)).toEqual(a.lab.events.map(formatEvent));
      expect(b.lab.events).toEqual(a.lab.events);
      const [ca, cb] = [await a.busCapture(), await b.busCapture()];
      expect(cb).toEqual(ca);
      expect(ca.filter((e) => e.type === 'Heartbeat').length).toBeGreaterThan(10);
      expect(await b.lab.snapshot()).toEqual(await a.lab.snapshot());
    } finally {
      b.lab.dispose();
    }
  });
});
