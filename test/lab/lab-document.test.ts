import { describe, expect, it } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { validateLabDocument } from '../../workers/lab/lab-document';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import { bootClassroom } from './helpers';
import { playScript } from '../../workers/lab/determinism-script';
import { labDocumentOf } from '../../workers/scenario/engine';
import { builtinScenarios } from '../scenario/builtin-files';

const fresh = () => JSON.parse(JSON.stringify(buildLab()));

describe('lab document', () => {
  it('the classroom preset has the ids of the spec', () => {
    const doc = buildLab();
    const inv = (doc.components.vcenter.state as { inventory: import('../../workers/protocol/inventory').Inventory }).inventory;
    expect(inv.datacenter).toEqual({ moid: 'datacenter-2', name: 'Lab-DC' });
    expect(inv.clusters.map((c) => `${c.name}=${c.moid}`)).toEqual(['Management & Edge Cluster=domain-c7', 'Compute Cluster A=domain-c25', 'Compute Cluster B=domain-c26']);
    expect(inv.hosts.map((h) => `${h.name}=${h.moid}@${h.cluster}`)).toEqual([
      'esxmgt-01a=host-10@domain-c7', 'esxcomp-01a=host-20@domain-c25', 'esxcomp-01b=host-21@domain-c25', 'esxcomp-02a=host-30@domain-c26',
    ]);
    const vms = Object.fromEntries(inv.vms.map((v) => [v.name, `${v.moid}@${v.host} ${v.guestIps.join()}`]));
    expect(vms).toEqual({
      'vcsa-01a': 'vm-11@host-10 192.168.110.22', 'nsxmgr-01a': 'vm-12@host-10 192.168.110.15', 'sec-mgr-01a': 'vm-13@host-10 192.168.110.30',
      'web-sv-01a': 'vm-36@host-20 172.16.10.11', 'app-sv-01a': 'vm-38@host-20 172.16.20.11', 'web-sv-01b': 'vm-37@host-21 172.16.10.12',
      'web-sv-02a': 'vm-40@host-30 172.16.10.13', 'db-sv-01a': 'vm-41@host-30 172.16.30.11',
    });
    expect(inv.networks.map((n) => `${n.name}=${n.moid}`)).toEqual(['Mgmt-PG=dvportgroup-20', 'Web-LS=virtualwire-1', 'App-LS=virtualwire-2', 'DB-LS=virtualwire-3']);
  });

  it('a snapshot restores to an identical lab that continues identically', async () => {
    const a = await bootClassroom();
    await a.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    await a.session({ name: 'keep', do: 'open', from: 'web-sv-01b', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const snap = JSON.parse(JSON.stringify(await a.lab.snapshot()));
    const b = new LabApi(await Lab.boot(snap, inProcessTransport));
    expect(await b.lab.snapshot()).toEqual(snap);
    // Both continue with the same actions and stay identical, the open session included.
    const [ra, rb] = [await a.session({ name: 'keep', do: 'send' }), await b.session({ name: 'keep', do: 'send' })];
    expect(rb.verdict).toBe('allowed');
    expect(rb.trace).toEqual(ra.trace);
    expect(await playScript(b)).toEqual(await playScript(a));
    expect(await b.lab.snapshot()).toEqual(await a.lab.snapshot());
  });

  it('refuses a broken document with the JSON path of the first problem', () => {
    const doc = JSON.parse(JSON.stringify(buildLab()));
    doc.components.vcenter.state.inventory.vms[3].guestIps = ['not-an-ip'];
    const r = validateLabDocument(doc);
    expect(r).toMatchObject({ ok: false, path: '$.components.vcenter.state.inventory.vms[3].guestIps[0]' });
    expect(validateLabDocument({ format: 'dfw-lab/lab@9' })).toMatchObject({ ok: false, path: '$.format' });
    expect(validateLabDocument('{')).toMatchObject({ ok: false });
    expect(validateLabDocument(JSON.parse(JSON.stringify(buildLab())))).toMatchObject({ ok: true });
  });

  it('checks every component’s state: a broken part of any of them is refused with its path', () => {
    const cases: [string, (d: ReturnType<typeof fresh>) => void, string, RegExp][] = [
      ['manager {"foo":1}', (d) => (d.components.manager.state = { foo: 1 }), '$.components.manager.state.manager', /the field "manager" is missing/],
      ['manager pending sections', (d) => (d.components.manager.state.manager.config.layer3Sections = 'none'), '$.components.manager.state.manager.config.layer3Sections', /Expected Array/],
      ['a host’s guest', (d) => (d.components['host-20'].state.vms[0].guest.prefix = 'x'), '$.components.host-20.state.vms[0].guest.prefix', /Expected number/],
      ['a host’s vsfwd', (d) => (d.components['host-20'].state.vsfwd = { service: 'dancing' }), '$.components.host-20.state.vsfwd.service', /Expected/],
      ['the bus queues', (d) => (d.components.bus.state.queues = []), '$.components.bus.state.queues', /received a list/],
      ['the fabric ports', (d) => (d.components.fabric.state.ports = {}), '$.components.fabric.state.ports', /Expected Array/],
      ['the admin workstation', (d) => delete d.components.fabric.state.admin.arp, '$.components.fabric.state.admin.arp', /the field "arp" is missing/],
    ];
    for (const [what, breakIt, path, message] of cases) {
      const doc = fresh();
      breakIt(doc);
      const r = validateLabDocument(doc);
      expect(r, what).toMatchObject({ ok: false, path });
      expect(r.ok ? '' : r.message, what).toMatch(message);
    }
  });

  it('accepts every document the lab itself writes: a played classroom lab and every built-in lesson’s lab', async () => {
    const a = await bootClassroom();
    await playScript(a);
    const docs = [JSON.parse(JSON.stringify(await a.lab.snapshot())), ...builtinScenarios().map(({ scenario }) => JSON.parse(JSON.stringify(labDocumentOf(scenario))))];
    a.lab.dispose();
    for (const doc of docs) expect(validateLabDocument(doc)).toMatchObject({ ok: true });
  });
});
