/** Thresholds, flow monitoring and Traceflow: what hosts report over the bus and how NSX shows it. */
import { describe, expect, it } from 'vitest';
import { bootClassroom } from '../lab/helpers';
import { THRESHOLD_HISTORY_LIMIT } from '../../workers/manager/bus-link';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { inProcessTransport } from '../../workers/transports';

describe('monitoring over the bus', () => {
  it('connections per second crossed 20 consecutive times within 200 s raise an alarm on the host', async () => {
    const api = await bootClassroom();
    const put = await api.rest({
      method: 'PUT', path: '/api/4.0/firewall/stats/eventthresholds', headers: { 'Content-Type': 'application/xml' },
      body: '<eventThresholds><cpu><percentValue>100</percentValue></cpu><memory><percentValue>100</percentValue></memory><connectionsPerSecond><value>0</value></connectionsPerSecond></eventThresholds>',
    });
    expect(put.status).toBe(200);
    for (let i = 0; i < 20; i++) {
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
      await api.wait(10);
    }
    const alarm = api.lab.events.find((e) => e.source === 'host-20' && e.text.includes('connections per second threshold crossed'));
    expect(alarm?.text).toMatch(/> 0 for 20 consecutive samples within 200 s/);
    const views = await api.thresholds();
    expect(views['host-20']!.samples.map((s) => s.kind)).toEqual(['cpu', 'memory', 'connections per second']);
  });

  it('NSX Manager keeps each host’s last half hour of reports, oldest first, and they are saved with the lab', async () => {
    const api = await bootClassroom();
    await api.wait(40 * 60); // more reports than are kept
    const history = await api.thresholdHistory();
    const reports = history['host-20']!;
    expect(reports).toHaveLength(THRESHOLD_HISTORY_LIMIT);
    const times = reports.map((r) => r.at);
    expect(times.every((t, i) => i === 0 || t - times[i - 1]! === 10_000)).toBe(true);
    expect(reports.at(-1)).toEqual((await api.thresholds())['host-20']);
    // Asked per host for what came after a time: only the newer reports of that host.
    const newer = await api.thresholdHistory({ 'host-20': reports.at(-3)!.at });
    expect(newer['host-20']).toEqual(reports.slice(-2));
    expect(newer['host-30']).toEqual(history['host-30']);
    const reopened = new LabApi(await Lab.boot(await api.lab.snapshot(), inProcessTransport));
    expect(await reopened.thresholdHistory()).toEqual(history);
  });

  it('flows: live every 5 s to the manager, aggregated every 5 minutes into the flow statistics API', async () => {
    const api = await bootClassroom();
    await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    await api.wait(5);
    const live = await api.liveFlows();
    expect(live['host-20']!.some((f) => f.destinationIp === '172.16.20.11' && f.destinationPort === 8443)).toBe(true);
    await api.wait(300);
    const stats = await api.rest({ method: 'GET', path: '/api/2.1/app/flow/flowstats?contextId=vm-36&flowType=TCP_UDP' });
    expect(stats.status).toBe(200);
    expect(stats.body).toContain('<destinationIp>172.16.20.11</destinationIp>');
  });

  it('Traceflow reports ordered observations with the firewall rule that decided', async () => {
    const api = await bootClassroom();
    const t = await api.traceflow({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'icmp' });
    expect(t.observations[0]).toMatchObject({ seq: 1, type: 'Injected', transportNode: 'esxcomp-01a', component: 'vNIC' });
    expect(t.observations.map((o) => o.seq)).toEqual(t.observations.map((_, i) => i + 1));
    const firewall = t.observations.filter((o) => o.component.startsWith('Firewall'));
    if (firewall.length) expect(firewall.every((o) => o.ruleId !== undefined || o.reason)).toBe(true);
    expect(t.status).toBe(t.verdict === 'allowed' ? 'Delivered' : 'Dropped');
  });
});
