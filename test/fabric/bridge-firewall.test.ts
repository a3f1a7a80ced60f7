/**
 * The bridging firewall VM (seeds 001, 004): a VM moved onto the protected port group reaches
 * everything through fw-bridge-01a's host (tromboning, in the trace), the bridge's iptables
 * chain decides, and iperf's lab time follows the bridge VM's CPU limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { withBridgeFirewall } from '../../workers/lab/presets/bridge-firewall';
import type { LabApi } from '../../workers/lab/lab-api';
import { validateLabDocument } from '../../workers/lab/lab-document';
import { boot } from '../scenario/helpers';
import { explainRecord, explainVerdict } from '../../src/lib/trace-explain';

let api: LabApi;
afterEach(() => api?.lab.dispose());

async function behindBridge(): Promise<LabApi> {
  api = await boot(withBridgeFirewall(buildLab()));
  await api.guest('web-sv-01a', 'iperf -s -D');
  return api;
}

describe('bridging firewall VM', () => {
  it('is a valid lab document, and a VM behind it still reaches its neighbours', async () => {
    expect(validateLabDocument(JSON.parse(JSON.stringify(withBridgeFirewall(buildLab())))).ok).toBe(true);
    await behindBridge();
    expect(await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-Protected-PG ethernet-0')).toBe('');
    const r = await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('allowed');
    const hops = r.trace.filter((t) => t.component === 'fabric').map((t) => `${t.hop}: ${t.detail ?? ''}`);
    // app-sv-01a and web-sv-01a share esxcomp-01a, yet the frames go to esxcomp-01b and back.
    expect(hops.some((h) => h.includes('hairpin to fw-bridge-01a: across the uplink from esxcomp-01a to esxcomp-01b'))).toBe(true);
    expect(hops.some((h) => h.startsWith('fw-bridge-01a: bridging firewall VM, into Web-Protected-PG'))).toBe(true);
    expect(hops.some((h) => h.startsWith('fw-bridge-01a: bridging firewall VM, out of Web-Protected-PG'))).toBe(true);
    // Back on Web-LS, no bridge hop at all.
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-LS ethernet-0');
    const direct = await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 80 });
    expect(direct.verdict).toBe('allowed');
    expect(direct.trace.some((t) => t.hop === 'fw-bridge-01a')).toBe(false);
  });

  it('follows the bridge VM when it moves: on the same host the hairpin stays local', async () => {
    await behindBridge();
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-Protected-PG ethernet-0');
    await api.vmotion('fw-bridge-01a', 'esxcomp-01a');
    await api.wait(1);
    const r = await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('allowed');
    const details = r.trace.filter((t) => t.component === 'fabric').map((t) => t.detail ?? '');
    expect(details).toContain('to fw-bridge-01a on esxcomp-01a');
    expect(details.some((d) => d.includes('across the uplink'))).toBe(false);
  });

  it("drops what its iptables FORWARD chain drops, and only behind it", async () => {
    await behindBridge();
    expect(await api.guest('fw-bridge-01a', 'iptables -A FORWARD -p tcp --dport 80 -j DROP')).toBe('');
    expect(await api.guest('fw-bridge-01a', 'iptables -L FORWARD')).toMatch(/^4 +DROP +tcp +-- +0\.0\.0\.0\/0 +0\.0\.0\.0\/0 +tcp dpt:80$/m);
    expect((await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 80 })).verdict).toBe('allowed');
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-Protected-PG ethernet-0');
    const r = await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 80 });
    expect(r.verdict).toBe('dropped');
    expect(r.trace.find((t) => t.action === 'DROP')?.detail).toContain('FORWARD rule 4 (DROP)');
    // The trace panel names the firewall VM, not the DFW, as the one that dropped it.
    expect(explainVerdict(r)).toBe('Dropped by the firewall VM fw-bridge-01a, not by the distributed firewall: its iptables FORWARD rule 4 (DROP).');
    const ssh = await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 22 });
    const hop = ssh.trace.find((t) => t.hop === 'fw-bridge-01a' && t.action === 'FORWARDED');
    expect(explainRecord(hop!)).toBe('fw-bridge-01a, a firewall VM bridging the port group, forwarded it: no FORWARD rule matched: policy ACCEPT (4 rules).');
    expect(await api.guest('fw-bridge-01a', 'iptables -A FORWARD -p tcp --dport 80')).toBe('iptables v1.4.6: a rule needs a target: -j ACCEPT or -j DROP');
    expect(await api.guest('web-sv-01a', 'iptables -L')).toBe('-bash: iptables: command not found');
  });

  it('iperf takes lab time linear in the bridge VM CPU limit, and line rate through the DFW', async () => {
    await behindBridge();
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-Protected-PG ethernet-0');
    const t0 = api.lab.now;
    const slow = await api.guest('app-sv-01a', 'iperf -c web-sv-01a -n 35M');
    expect(slow).toContain('0.0-10.0 sec  35.0 MB  3.50 MB/s (28.0 Mbit/s)');
    // The lab's facts one short line each: a console beside the lesson dock wraps none mid-number.
    expect(slow).toContain('(lab) path: through fw-bridge-01a on esxcomp-01b\n(lab)   CPU limit 500 MHz, at 100 %\n(lab) host CPU while it ran:\n');
    expect(slow).toMatch(/^\(lab\) {3}esxcomp-01b 500\.0 MHz$/m);
    expect(Math.max(...slow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(64);
    // The transfer's 10 s, plus the handshake's few milliseconds of lab time.
    expect(api.lab.now - t0).toBeGreaterThanOrEqual(10_000);
    expect(api.lab.now - t0).toBeLessThan(10_050);
    expect(await api.guest('app-sv-01a', 'govc vm.change -vm fw-bridge-01a -cpu.limit 1000')).toBe('');
    expect(await api.guest('app-sv-01a', 'govc vm.info fw-bridge-01a')).toContain('CPU limit:    1000 MHz');
    expect(await api.guest('app-sv-01a', 'iperf -c web-sv-01a -n 35M')).toContain('0.0-5.0 sec  35.0 MB  7.00 MB/s');
    await api.guest('app-sv-01a', 'govc vm.change -vm fw-bridge-01a -cpu.limit -1');
    const unlimited = await api.guest('app-sv-01a', 'iperf -c web-sv-01a -t 10');
    expect(unlimited).toContain('11.77 MB/s');
    expect(unlimited).toMatch(/CPU limit 2600 MHz, at 65 %/);
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-LS ethernet-0');
    const dfw = await api.guest('app-sv-01a', 'iperf -c web-sv-01a -n 35M');
    expect(dfw).toContain('(lab) path: kernel DFW only\n(lab)   within one host, at the virtual switch');
    expect(dfw).toMatch(/host CPU while it ran:\n\(lab\) {3}esxcomp-01a \d+\.\d MHz$/m);
    const log = await api.transfers();
    expect(log.map((t) => [t.path, Math.round(t.bytesPerSecond / 1e4) / 100])).toEqual([['bridge', 3.5], ['bridge', 7], ['bridge', 11.77], ['dfw', 1176.85]]);
    expect(log[0].bridge).toEqual({ name: 'fw-bridge-01a', limitMhz: 500, usedMhz: 500, percent: 100 });
    // Saved and loaded, the lab keeps the measurements, the bridge and its rules.
    const saved = validateLabDocument(JSON.parse(JSON.stringify(await api.lab.snapshot())));
    expect(saved.ok && (saved.doc.components.vcenter.state as { transfers: unknown[] }).transfers).toHaveLength(4);
    expect(saved.ok && (saved.doc.components.fabric.state as { bridges: { rules: unknown[] }[] }).bridges[0].rules).toHaveLength(3);
  });

  it("counts the bridge VM's CPU in its host's samples (Charts), and the DFW's few MHz on the other path", async () => {
    await behindBridge();
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-Protected-PG ethernet-0');
    await api.wait(10);
    const inv = await api.inventory();
    const hostId = (name: string) => inv.hosts.find((h) => h.name === name)!.moid;
    const cpuSince = async (host: string, since: number) =>
      (await api.thresholdHistory())[hostId(host)]!.filter((v) => v.at > since).map((v) => v.samples.find((x) => x.kind.toLowerCase() === 'cpu')!.value);
    /** The lesson's 35 MB transfer, then time for its CPU samples to come in; answers when it started. */
    const transfer = async () => {
      const start = api.lab.now;
      await api.guest('app-sv-01a', 'iperf -c web-sv-01a -n 35M');
      await api.wait(20);
      return start;
    };
    const t0 = await transfer();
    // 500 MHz of 8 × 2600 MHz is 2.4 % of esxcomp-01b for the 10 s the bridge VM forwards.
    const bridged = await cpuSince('esxcomp-01b', t0);
    expect(Math.max(...bridged)).toBeGreaterThanOrEqual(2.3);
    expect(Math.max(...bridged)).toBeLessThan(3);
    await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-LS ethernet-0');
    const t1 = await transfer();
    const direct = await cpuSince('esxcomp-01a', t1);
    expect(Math.max(...direct)).toBeGreaterThan(0);
    expect(Math.max(...direct)).toBeLessThan(0.5);
    expect(Math.max(...(await cpuSince('esxcomp-01b', t1)))).toBeLessThan(0.5);
  });

  it('govc and iperf refuse bad lines and say why', async () => {
    await behindBridge();
    expect(await api.guest('app-sv-01a', 'iperf -c web-sv-01b')).toBe(
      '------------------------------------------------------------\nClient connecting to 172.16.10.12, TCP port 5001\nTCP window size: 85.0 KByte (default)\n------------------------------------------------------------\nconnect failed: Connection refused',
    );
    expect(await api.guest('app-sv-01a', 'govc vm.change -vm fw-bridge-01a -cpu.limit lots')).toBe('invalid value "lots" for flag -cpu.limit: parse error');
    expect(await api.guest('app-sv-01a', 'govc vm.change -vm fw-bridge-01a -cpu.reservation 900')).toBe('govc: the CPU reservation (900 MHz) cannot exceed the limit (500 MHz)');
    expect(await api.guest('app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Nowhere ethernet-0')).toMatch(/^govc: no network named Nowhere/);
    expect(await api.guest('app-sv-01a', 'govc vm.info nobody')).toBe("govc: vm 'nobody' not found");
    expect((await api.inventory()).vms.find((v) => v.name === 'fw-bridge-01a')?.cpuLimitMhz).toBe(500);
  });
});
