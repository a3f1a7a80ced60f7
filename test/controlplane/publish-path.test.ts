/**
 * The publish path manager → bus → vsfwd → kernel and back, in-process and with every
 * component in its own worker_thread: status goes in progress then published, the bus
 * carries protobuf both ways, vsfwd saves the file, logs and shows its AMQP connection.
 */
import { describe, expect, it } from 'vitest';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { inProcessTransport } from '../../workers/transports';
import type { Transport } from '../../workers/lab/transport';
import { bootClassroom } from '../lab/helpers';
import { addRule, enforces, hostStatus } from './helpers';

const transports: [string, () => Transport][] = [
  ['in-process', () => inProcessTransport],
  ['worker_threads', () => nodeWorkerTransport()],
];

describe.each(transports)('publish path (%s)', (_name, transport) => {
  it('a rule published over REST reaches every host over the bus and is enforced', async () => {
    const api = await bootClassroom(transport());
    try {
      const before = (await api.busCapture()).at(-1)?.seq ?? 0;
      const ruleId = await addRule(api, { name: 'web to db ssh', action: 'deny', from: 'vm-36', to: 'vm-41', port: 22 });
      expect(Object.values(await hostStatus(api))).toEqual(['published', 'published', 'published', 'published']);

      const traffic = await api.busCapture({ sinceSeq: before });
      // Creating the section published too: the last RuleSet each host got carries the rule.
      const ruleSets = new Map(traffic.filter((e) => e.type === 'RuleSet').map((e) => [e.to, e] as const));
      expect([...ruleSets.keys()].sort()).toEqual(['host-10', 'host-20', 'host-21', 'host-30']);
      expect([...ruleSets.values()].every((e) => e.outcome === 'delivered' && e.exchange === 'vsfw.host' && /^0000 {2}([0-9a-f]{2} )+/.test(e.hex))).toBe(true);
      const decoded = ruleSets.get('host-20')!.decoded as { l3Lists: { l3: { id: number }[] }[] };
      expect(decoded.l3Lists.some((l) => l.l3.some((r) => r.id === ruleId))).toBe(true);
      const replies = traffic.filter((e) => e.type === 'PublishReply');
      expect(new Set(replies.map((e) => (e.decoded as { hostId: string }).hostId))).toEqual(new Set(['host-10', 'host-20', 'host-21', 'host-30']));

      expect(await api.host('esxcomp-01a', 'cat /etc/vmware/vsfwd/vsipfw_ruleset.dat')).toContain(`rule ${ruleId} inout proto 6 deny`);
      expect(await api.host('esxcomp-01a', 'tail -n 3 /var/log/vsfwd.log')).toContain('Sending vsa reply of domain-c25 host host-20: 0');
      expect(await api.host('esxcomp-01a', 'esxcli network ip connection list | grep 5671')).toMatch(/192\.168\.110\.52:\d+ +192\.168\.110\.15:5671 +ESTABLISHED .*vsfwd/);
      expect(await api.host('esxcomp-01a', 'esxcfg-advcfg -g /UserVars/RmqIpAddress')).toBe('Value of RmqIpAddress is 192.168.110.15');

      const probe = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 22 });
      if (enforces(probe)) expect([probe.verdict, probe.ruleId]).toEqual(['dropped', ruleId]);
    } finally {
      api.lab.dispose();
    }
  });
});

describe('Applied To scopes the push', () => {
  it('a host none of whose VMs a changed rule applies to gets no RuleSet and shows as published', async () => {
    const api = await bootClassroom(inProcessTransport);
    try {
      await addRule(api, { name: 'warm-up', action: 'allow', port: 8080 }); // creates the test section everywhere
      const before = (await api.busCapture()).at(-1)?.seq ?? 0;
      await addRule(api, { name: 'web-sv-01a only', action: 'deny', port: 23, appliedTo: 'vm-36' });
      const traffic = await api.busCapture({ sinceSeq: before });
      expect([...new Set(traffic.filter((e) => e.type === 'RuleSet').map((e) => e.to))]).toEqual(['host-20']);
      expect(Object.values(await hostStatus(api))).toEqual(['published', 'published', 'published', 'published']);
      // forceSync still sends the unchanged rule set
      const before2 = (await api.busCapture()).at(-1)?.seq ?? 0;
      expect((await api.rest({ method: 'POST', path: '/api/4.0/firewall/forceSync/host-10' })).status).toBeLessThan(300);
      expect((await api.busCapture({ sinceSeq: before2 })).filter((e) => e.type === 'RuleSet').map((e) => e.to)).toEqual(['host-10']);
    } finally {
      api.lab.dispose();
    }
  });
});
