/** Charts, bus sniffer and control-plane readings: pure logic behind the monitoring screens. */
import { describe, expect, it } from 'vitest';
import { axisLabel, chartColumns, fromView, LONE_SAMPLE_SPAN, ThresholdHistory, timeRange, yMax } from '../../src/lib/monitoring/threshold-history';
import { matches } from '../../src/lib/monitoring/bus-log';
import { appliedGenerations, explainControlPlane, hostCause, hostControlFrom } from '../../src/lib/control-plane';
import type { ProbeResult } from '../../workers/lab/lab-api';

const report = (at: number, memory: number, alarms: string[] = []) => ({
  at,
  samples: [{ kind: 'cpu', value: 0, threshold: 100, consecutive: 0 }, { kind: 'memory', value: memory, threshold: 1, consecutive: 20 }, { kind: 'connections per second', value: 0, threshold: 100000, consecutive: 0 }],
  alarms,
});

describe('threshold history', () => {
  it('reads NSX Manager’s reports, merges them by time and marks alarms', () => {
    const h = new ThresholdHistory();
    h.add(fromView('host-20', report(20_000, 1.3, ['memory'])));
    h.add(fromView('host-20', report(10_000, 1.2)));
    expect(h.add(fromView('host-20', report(10_000, 1.2)))).toBe(false);
    expect(h.series['host-20']!.cpu.map((p) => p.at)).toEqual([10_000, 20_000]);
    expect(h.latestAt()).toEqual({ 'host-20': 20_000 });
    expect(h.series['host-20']!.cps[0]!.value).toBe(0);
    expect(h.alarms()).toEqual([{ host: 'host-20', metric: 'memory', at: 20_000, value: 1.3, threshold: 1 }]);
    const c = chartColumns(h, 'memory', ['host-20']);
    expect(c).toEqual({ x: [10, 20], values: [[1.2, 1.3]], threshold: [1, 1], alarms: [[null, 1.3]] });
    expect(yMax(c.values, c.threshold).thresholdShown).toBe(true);
    expect(yMax([[1]], [100000]).thresholdShown).toBe(false);
  });
});

describe('time axis range', () => {
  const t = Date.UTC(2026, 0, 5, 9, 0, 10) / 1000;

  it('a lone sample (one host reported once, another not yet) spans a minute, not uPlot’s day of milliseconds', () => {
    const h = new ThresholdHistory();
    h.add(fromView('host-20', report(t * 1000, 1.2)));
    const c = chartColumns(h, 'memory', ['host-20', 'host-30']);
    expect(c.x).toEqual([t]);
    expect(c.values).toEqual([[1.2], [null]]);
    // uPlot calls the range with min and min + 86400 / 1e-3 (2.7 years) for one sample.
    expect(timeRange(c.x, t, t + 86_400_000)).toEqual([t - LONE_SAMPLE_SPAN, t + LONE_SAMPLE_SPAN]);
    expect(timeRange(c.x, t, t)).toEqual([t - LONE_SAMPLE_SPAN, t + LONE_SAMPLE_SPAN]);
  });

  it('first to last sample when there are several, whatever uPlot proposes', () => {
    expect(timeRange([t, t + 10, t + 20], t, t + 86_400_000)).toEqual([t, t + 20]);
    expect(timeRange([t, t + 10], t, t + 10)).toEqual([t, t + 10]);
  });

  it('no sample: uPlot’s range when it has one, else a minute around it', () => {
    expect(timeRange([], t, t + 60)).toEqual([t, t + 60]);
    expect(timeRange([], null, null)).toEqual([-LONE_SAMPLE_SPAN, LONE_SAMPLE_SPAN]);
  });
});

describe('y-axis labels', () => {
  it('large counts are shortened so the axis shows them whole; small values keep two decimals', () => {
    expect(axisLabel(150_000, '/s')).toBe('150K/s');
    expect(axisLabel(1_250_000, '/s')).toBe('1.3M/s');
    expect(axisLabel(5000, '/s')).toBe('5000/s');
    expect(axisLabel(12.3456, '%')).toBe('12.35%');
    expect(axisLabel(0, '%')).toBe('0%');
  });
});

describe('bus sniffer filter', () => {
  it('a host’s messages are from it, to it or routed to it', () => {
    const m = { from: 'manager', to: 'host-30', routingKey: 'host-30', type: 'RuleSet' as const };
    expect(matches(m, { host: 'host-30' })).toBe(true);
    expect(matches(m, { host: 'host-20' })).toBe(false);
    expect(matches(m, { type: 'Heartbeat' })).toBe(false);
  });
});

describe('control-plane explanation', () => {
  const bus = { ip: '', port: 5671, connections: [{ client: 'host-20', role: 'host', ip: '', localPort: 1, unacked: 0 }], queues: [{ name: 'vsfw.host-30', depth: 2, consumer: null }], cut: [] as string[] };
  const probe = { ruleId: 1001, verdict: 'allowed', trace: [{ component: 'host-30', hop: 'web-sv-02a vNIC eth0 (out)', action: 'PASS', slot: 2, table: 'default', ruleId: 1001 }] } as unknown as ProbeResult;
  const status = { status: 'inprogress', generationNumber: 200, clusters: [], hosts: [{ hostId: 'host-30', hostName: 'esxcomp-02a', clusterId: 'domain-c26', status: 'inprogress', generationNumber: 200, errorCode: 0 }] };
  const section = (id: number, gen: number, rules: number[]) => ({ id, name: `s${id}`, type: 'LAYER3' as const, generationNumber: gen, managedBy: '', tcpStrict: false, stateless: false, useSid: false, rules: rules.map((r) => ({ id: r, name: `r${r}` })) });
  const config = { contextId: 'globalroot-0', generationNumber: 200, timestamp: 200, layer2Sections: [], layer3Sections: [section(1005, 200, [1005]), section(1001, 100, [1001])] } as never;

  it('names the published rule a host has not applied, and why', () => {
    const hosts = { 'host-30': hostControlFrom('host-30', bus, 'vShield-Stateful-Firewall is not running') };
    const lines = explainControlPlane(probe, { status, config, hosts, hostName: () => 'esxcomp-02a', applied: { 'host-30': 100 } });
    expect(lines[0]).toMatch(/^Rule 1005 is published but host esxcomp-02a has not applied it: vsfwd is down\./);
  });

  it('bus cut, failed publish, manager down; nothing when the host is current', () => {
    expect(hostCause(hostControlFrom('host-30', { ...bus, cut: ['host-30'] }, 'is running'))).toBe('its link to the message bus is cut');
    expect(hostCause(hostControlFrom('host-20', bus, 'is running'), { status: 'failed', errorCode: 301031 })).toContain('failed to apply');
    expect(explainControlPlane(probe, { status: null, managerDown: 'the appliance is down', hosts: {}, hostName: (x) => x })[0]).toContain('NSX Manager does not answer');
    const current = { ...status, status: 'published', hosts: [{ ...status.hosts[0]!, status: 'published' }] };
    expect(explainControlPlane(probe, { status: current, config, hosts: {}, hostName: (x) => x })).toEqual([]);
  });

  it('reads applied generations from PublishReply captures (succeeded is the omitted zero)', () => {
    expect(appliedGenerations([{ type: 'PublishReply', decoded: { hostId: 'host-30', generation: '100' } }, { type: 'PublishReply', decoded: { hostId: 'host-30', generation: '200', status: 'PUBLISH_STATUS_FAILED', errorCode: 301031 } }])).toEqual({ 'host-30': 100 });
  });
});
