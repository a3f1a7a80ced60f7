/**
 * vMotion moves a VM's vNIC filters (rule table and connection table) through the worker
 * boundary: a live session keeps working. Across clusters, rules applied to the VM need NSX
 * Manager: with it down the VM lands without them, and gets them when it is back.
 */
import { describe, expect, it } from 'vitest';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { bootClassroom } from '../lab/helpers';
import { addRule, enforces } from './helpers';

describe('vMotion', () => {
  it('within a cluster, across worker_threads, with the manager down: a live session keeps working', async () => {
    const api = await bootClassroom(nodeWorkerTransport());
    try {
      // Rules go on top of the section: the deny first, then the allow above it.
      await addRule(api, { name: 'nothing else to db', action: 'deny', to: 'vm-41' });
      const allow = await addRule(api, { name: 'app to db', action: 'allow', from: 'vm-38', to: 'vm-41', port: 3306 });
      const open = await api.session({ name: 'mysql', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
      expect(open.verdict).toBe('allowed');
      await api.manager('down');
      await api.vmotion('app-sv-01a', 'esxcomp-01b');
      const after = await api.session({ name: 'mysql', do: 'send' });
      expect(after.verdict).toBe('allowed');
      if (enforces(after)) {
        // The connection table came along: the session's packets hit state, not the rules.
        const l3 = after.trace.filter((t) => t.component === 'host-21' && t.slot === 2 && t.table !== 'l2-rule' && t.packet?.startsWith('TCP'));
        expect(l3.length).toBeGreaterThan(0);
        expect(l3.map((t) => t.table)).toEqual(l3.map(() => 'state'));
        expect(await api.host('esxcomp-01b', 'vsipioctl getrules -f nic-35678-eth0-vmware-sfw.2')).toContain(`rule ${allow} `);
      }
    } finally {
      api.lab.dispose();
    }
  });

  it('across clusters with the manager down the VM lands without its Applied To rules; the manager brings them', async () => {
    const api = await bootClassroom();
    const scoped = await addRule(api, { name: 'web-sv-01a no ssh to app', action: 'deny', from: 'vm-36', to: 'vm-38', port: 22, appliedTo: 'vm-36' });
    const before = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
    if (enforces(before)) expect([before.verdict, before.ruleId]).toEqual(['dropped', scoped]);
    await api.manager('down');
    await api.vmotion('web-sv-01a', 'esxcomp-02a');
    const landed = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
    if (enforces(landed)) expect(landed.verdict).toBe('allowed');
    await api.manager('up');
    await api.wait(1);
    const back = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
    if (enforces(back)) expect([back.verdict, back.ruleId]).toEqual(['dropped', scoped]);
  });

  it('across clusters with the manager up, the destination gets the VM-specific rules at once', async () => {
    const api = await bootClassroom();
    const scoped = await addRule(api, { name: 'web-sv-01a no ssh to app', action: 'deny', from: 'vm-36', to: 'vm-38', port: 22, appliedTo: 'vm-36' });
    await api.vmotion('web-sv-01a', 'esxcomp-02a');
    const r = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
    if (enforces(r)) expect([r.verdict, r.ruleId]).toEqual(['dropped', scoped]);
  });
});
