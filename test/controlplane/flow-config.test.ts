/**
 * Flow monitoring's configuration (nsx-reference §1.17) pushed to vsfwd over the bus: collection
 * off means no flow reports reach NSX Manager; ignoring blocked flows keeps only allowed ones.
 */
import { describe, expect, it } from 'vitest';
import { bootClassroom } from '../lab/helpers';
import { addRule } from './helpers';

const CONFIG = '/api/2.1/app/flow/config';
const put = (collect: boolean, ignoreBlocked: boolean) => ({
  method: 'PUT', path: CONFIG, headers: { 'Content-Type': 'application/xml' },
  body: `<FlowConfiguration><collectFlows>${collect}</collectFlows><ignoreBlockedFlows>${ignoreBlocked}</ignoreBlockedFlows></FlowConfiguration>`,
});

describe('flow configuration', () => {
  it('collection off: vsfwd logs the push and reports no flows; ignoring blocked flows keeps the allowed ones', async () => {
    const api = await bootClassroom();
    try {
      expect((await api.rest({ method: 'GET', path: CONFIG })).body).toContain('<collectFlows>true</collectFlows>');
      expect((await api.rest(put(false, false))).status).toBe(200);
      await api.wait(1);
      expect(await api.host('esxcomp-01a', 'cat /var/log/vsfwd.log | grep -c "Loaded flow config"')).toBe('2'); // at boot, and now
      const capture = await api.busCapture();
      const pushed = capture.filter((e) => e.type === 'FlowConfiguration' && e.to === 'host-20').at(-1)!;
      expect(pushed.decoded).toEqual({}); // protobuf JSON leaves out false fields: collection off
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
      await api.wait(5);
      expect((await api.liveFlows())['host-20'] ?? []).toEqual([]);

      await addRule(api, { name: 'block 22', action: 'deny', from: 'vm-36', to: 'vm-38', port: 22 });
      expect((await api.rest(put(true, true))).status).toBe(200);
      await api.wait(1);
      expect((await api.busCapture()).filter((e) => e.type === 'FlowConfiguration' && e.to === 'host-20').at(-1)!.decoded).toEqual({ collectFlows: true, ignoreBlockedFlows: true });
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
      await api.wait(5);
      const live = (await api.liveFlows())['host-20'] ?? [];
      expect(live.some((f) => f.destinationPort === 8443)).toBe(true);
      expect(live.filter((f) => f.blocked !== 0)).toEqual([]);
      expect((await api.rest({ ...put(true, true), body: '<FlowConfiguration><collectFlows>maybe</collectFlows></FlowConfiguration>' })).status).toBe(400);
    } finally {
      api.lab.dispose();
    }
  });
});
