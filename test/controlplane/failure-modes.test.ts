/**
 * Failure modes of the control plane and what the data plane does meanwhile: the kernel keeps
 * enforcing the last rules; new rules stay pending for the host that cannot be reached.
 * Enforcement assertions run when the hosts have a firewall kernel (slot 2 on a probe's path).
 */
import { describe, expect, it } from 'vitest';
import type { LabApi } from '../../workers/lab/lab-api';
import { bootClassroom } from '../lab/helpers';
import { addRule, enforces, hostStatus } from './helpers';

const probeSsh = (api: LabApi) => api.probe({ from: 'web-sv-02a', to: 'db-sv-01a', proto: 'tcp', port: 22 });
const probeMysql = (api: LabApi) => api.probe({ from: 'web-sv-02a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
const texts = (api: LabApi, from = 0) => api.lab.events.slice(from).map((e) => `${e.code ?? ''} ${e.text}`);

describe('control-plane failure modes', () => {
  it('vsfwd stopped: the kernel keeps its rules, new rules stay pending, no restart; start resyncs', async () => {
    const api = await bootClassroom();
    const old = await addRule(api, { name: 'no mysql', action: 'deny', from: 'vm-40', to: 'vm-41', port: 3306 });
    expect(await api.host('esxcomp-02a', '/etc/init.d/vShield-Stateful-Firewall stop')).toContain('Stopping');
    expect(await api.host('esxcomp-02a', '/etc/init.d/vShield-Stateful-Firewall status')).toBe('vShield-Stateful-Firewall is not running');
    expect(await api.host('esxcomp-02a', 'esxcli network ip connection list | grep 5671')).toBe('');

    const fresh = await addRule(api, { name: 'no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22 });
    await api.wait(120);
    const status = await hostStatus(api);
    expect(status['host-30']).toBe('inprogress');
    expect(status['host-20']).toBe('published');
    expect(await api.host('esxcomp-02a', '/etc/init.d/vShield-Stateful-Firewall status')).toBe('vShield-Stateful-Firewall is not running');
    expect(texts(api).some((t) => t.includes('1941 Messaging infrastructure down on host esxcomp-02a'))).toBe(true);
    const mysql = await probeMysql(api);
    if (enforces(mysql)) {
      expect([mysql.verdict, mysql.ruleId]).toEqual(['dropped', old]);
      expect((await probeSsh(api)).verdict).toBe('allowed'); // the new rule never arrived
    }

    const mark = api.lab.events.length;
    expect(await api.vsfwd('esxcomp-02a', 'start')).toBe('vShield-Stateful-Firewall started');
    await api.wait(31);
    expect((await hostStatus(api))['host-30']).toBe('published');
    expect(texts(api, mark).some((t) => t.includes('1938 Messaging infrastructure up on host esxcomp-02a'))).toBe(true);
    const ssh = await probeSsh(api);
    if (enforces(ssh)) expect([ssh.verdict, ssh.ruleId]).toEqual(['dropped', fresh]);
  });

  it('vsfwd crashed: the watchdog restarts it and it resyncs every rule', async () => {
    const api = await bootClassroom();
    await api.vsfwd('esxcomp-02a', 'crash');
    const fresh = await addRule(api, { name: 'no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22 });
    expect((await hostStatus(api))['host-30']).toBe('inprogress');
    await api.wait(5);
    expect(await api.host('esxcomp-02a', '/etc/init.d/vShield-Stateful-Firewall status')).toBe('vShield-Stateful-Firewall is running');
    expect((await hostStatus(api))['host-30']).toBe('published');
    const log = await api.host('esxcomp-02a', 'cat /var/log/vsfwd.log');
    expect(log).toMatch(/terminated unexpectedly[\s\S]*watchdog: vsfwd is not running, restarting it[\s\S]*Requesting full sync/);
    const ssh = await probeSsh(api);
    if (enforces(ssh)) expect([ssh.verdict, ssh.ruleId]).toEqual(['dropped', fresh]);
  });

  it('bus cut: publish pending for that host, enforcement unchanged; heal reconnects and completes it', async () => {
    const api = await bootClassroom();
    await api.bus('esxcomp-02a', 'cut');
    expect(await api.host('esxcomp-02a', 'esxcli network ip connection list | grep 5671')).toBe('');
    const fresh = await addRule(api, { name: 'no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22 });
    await api.wait(30);
    expect((await hostStatus(api))['host-30']).toBe('inprogress');
    expect((await api.busState()).queues.find((q) => q.name === 'vsfw.host-30')!.depth).toBeGreaterThan(0);
    const before = await probeSsh(api);
    if (enforces(before)) expect(before.verdict).toBe('allowed');
    await api.bus('esxcomp-02a', 'heal');
    await api.wait(10);
    expect((await hostStatus(api))['host-30']).toBe('published');
    expect(await api.host('esxcomp-02a', 'esxcli network ip connection list | grep 5671')).toContain('ESTABLISHED');
    const after = await probeSsh(api);
    if (enforces(after)) expect([after.verdict, after.ruleId]).toEqual(['dropped', fresh]);
  });

  it('a damaged RuleSet fails the publish on that host with event 301031', async () => {
    const api = await bootClassroom();
    await addRule(api, { name: 'no mysql', action: 'deny', from: 'vm-40', to: 'vm-41', port: 3306 });
    await api.bus('esxcomp-02a', 'corrupt');
    await addRule(api, { name: 'no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22 });
    expect((await hostStatus(api))['host-30']).toBe('failed');
    expect(texts(api).some((t) => t.startsWith('301031 Firewall config update failed on host esxcomp-02a'))).toBe(true);
    expect(await api.host('esxcomp-02a', 'tail -n 2 /var/log/vsfwd.log')).toMatch(/cannot decode RuleSet[\s\S]*host-30: 2/);
    expect((await api.busCapture({ type: 'RuleSet', host: 'esxcomp-02a' })).some((e) => e.outcome === 'corrupted')).toBe(true);
  });

  it('manager down: enforcement continues; a VM powered on meanwhile gets no VM-specific rules until the manager is back', async () => {
    const api = await bootClassroom();
    const scoped = await addRule(api, { name: 'web-sv-02a no ssh', action: 'deny', from: 'vm-40', to: 'vm-41', port: 22, appliedTo: 'vm-40' });
    const before = await probeSsh(api);
    if (enforces(before)) expect([before.verdict, before.ruleId]).toEqual(['dropped', scoped]);
    await api.power('web-sv-02a', 'off');
    await api.manager('down');
    await api.power('web-sv-02a', 'on');
    await api.wait(100);
    expect(texts(api).some((t) => t.includes('no heartbeat from NSX Manager'))).toBe(true);
    const meanwhile = await probeSsh(api);
    if (enforces(meanwhile)) expect(meanwhile.verdict).toBe('allowed');
    await api.manager('up');
    await api.wait(1);
    const after = await probeSsh(api);
    if (enforces(after)) expect([after.verdict, after.ruleId]).toEqual(['dropped', scoped]);
  });

  it('VMware Tools stopped: vCenter drops the IP and every host gets new address sets over the bus', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const before = (await api.busCapture()).at(-1)!.seq;
    await api.guest('web-sv-01a', 'service vmware-tools stop');
    const updates = (await api.busCapture({ sinceSeq: before, type: 'AddressSetUpdate' })).map((e) => e.to).sort();
    expect(updates).toEqual(['host-10', 'host-20', 'host-21', 'host-30']);
    expect(await api.host('esxcomp-02a', 'cat /etc/vmware/vsfwd/vsipfw_ruleset.dat')).not.toContain('172.16.10.11');
  });
});

describe('SpoofGuard through the control plane', () => {
  it('a MANUAL policy reaches the kernels over the bus and hosts report what they discovered', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    expect((await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 })).verdict).toBe('allowed');
    const policy = await api.rest({
      method: 'POST',
      path: '/api/4.0/services/spoofguard/policies/',
      body: '<spoofguardPolicy><name>web</name><operationMode>MANUAL</operationMode><enforcementPoint><id>virtualwire-1</id></enforcementPoint><allowLocalIPs>false</allowLocalIPs></spoofguardPolicy>',
    });
    expect(policy.status).toBe(201);
    await api.wait(1);
    const blocked = await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 });
    expect(blocked).toMatchObject({ verdict: 'dropped', by: 'spoofguard' });
    const review = await api.rest({ method: 'GET', path: `/api/4.0/services/spoofguard/${policy.body.trim()}?list=ALL` });
    expect(review.body).toContain('172.16.10.11');
  });
});
