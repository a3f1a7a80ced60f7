/**
 * pktcap-uw on a lab host (issue 14 item 6, issue 18's host argument checks): capture points
 * around vmware-sfw, -c, filters, a libpcap file that parses back (and that tcpdump reads, when
 * the machine has it), and following a capture from a console until Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessTransport } from '../../workers/transports';
import { parseFrame } from '../../workers/protocol/frame';
import { readPcap } from '../../workers/host/shell/pcap';
import { parsePktcap } from '../../workers/host/shell/pktcap-options';
import { bootClassroom } from '../lab/helpers';
import { addRule } from '../controlplane/helpers';

const HOST = 'esxcomp-01a';
/** web-sv-01a's slot-2 filter (world 35677). */
const WEB_SFW = 'nic-35677-eth0-vmware-sfw.2';

function hasTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('pktcap-uw', () => {
  it('a packet vmware-sfw drops is in PreDVFilter and not in PostDVFilter; -o writes a pcap that parses back', async () => {
    const api = await bootClassroom(inProcessTransport);
    try {
      await addRule(api, { name: 'block web to app 8443', action: 'deny', from: 'vm-36', to: 'vm-38', port: 8443 });
      const pre = await api.host(HOST, `pktcap-uw --capture PreDVFilter --dvfilter ${WEB_SFW} -c 5 -o /tmp/pre.pcap &`);
      expect(pre).toContain('The name of the dvfilter is nic-35677-eth0-vmware-sfw.2');
      expect(pre).toContain('The session capture point is PreDVFilter');
      expect(pre).toContain('The output file is /tmp/pre.pcap');
      await api.host(HOST, `pktcap-uw --capture PostDVFilter --dvfilter ${WEB_SFW} -o /tmp/post.pcap &`);
      const ports = await api.host(HOST, 'net-stats -l');
      const webPort = /^(\d+) .* web-sv-01a\.eth0$/m.exec(ports)![1]!;
      await api.host(HOST, `pktcap-uw --switchport ${webPort} --capture PreDVFilter --tcpport 8443 -o sw-pre.pcap &`);

      const probe = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
      expect(probe.verdict).toBe('dropped');

      const files = await api.hostFiles(HOST, '/tmp/pre.pcap');
      expect(files.files.map((f) => f.path).sort()).toEqual(['/sw-pre.pcap', '/tmp/post.pcap', '/tmp/pre.pcap']);
      const preCap = readPcap(files.bytes!);
      expect(preCap.linkType).toBe(1);
      const syns = preCap.records.map((r) => parseFrame(r.frame)).filter((p) => p.kind === 'ipv4' && p.dstPort === 8443);
      expect(syns.length).toBeGreaterThan(0);
      expect(syns[0]).toMatchObject({ srcIp: '172.16.10.11', dstIp: '172.16.20.11', flags: 2 });
      const post = readPcap((await api.hostFiles(HOST, '/tmp/post.pcap')).bytes!);
      expect(post.records.map((r) => parseFrame(r.frame)).filter((p) => p.kind === 'ipv4' && p.dstPort === 8443)).toEqual([]);
      const swPre = readPcap((await api.hostFiles(HOST, '/sw-pre.pcap')).bytes!);
      expect(swPre.records.length).toBe(syns.length);

      // tcpdump-uw on the host reads the same file.
      expect(await api.host(HOST, 'tcpdump-uw -r /tmp/pre.pcap')).toMatch(/^reading from file \/tmp\/pre\.pcap, link-type EN10MB \(Ethernet\)\n[\s\S]*\d\d:\d\d:\d\d\.\d{6} IP 172\.16\.10\.11\.\d+ > 172\.16\.20\.11\.8443: Flags \[S\]/);
      if (hasTcpdump()) {
        const dir = mkdtempSync(join(tmpdir(), 'pktcap-'));
        writeFileSync(join(dir, 'pre.pcap'), files.bytes!);
        const out = execFileSync('tcpdump', ['-nr', join(dir, 'pre.pcap')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(out).toMatch(/IP 172\.16\.10\.11\.\d+ > 172\.16\.20\.11\.8443: Flags \[S\]/);
      }
      // A background capture without -c runs until killed; kill prints its summary.
      const id = /session (\d+) runs in the background/.exec(await api.host(HOST, 'pktcap-uw --uplink vmnic0 -o /tmp/up.pcap &'))![1];
      expect(await api.host(HOST, `kill ${id}`)).toMatch(/Destroying session \d+\n\nDumped \d+ packet to file \/tmp\/up\.pcap, dropped 0 packets\.\nDone\.$/);
      expect(await api.host(HOST, `kill ${id}`)).toBe(`kill: can't kill pid ${id}: No such process`);
    } finally {
      api.lab.dispose();
    }
  });

  it('prints packets to a console until -c packets, and until Ctrl-C without -c', async () => {
    const api = await bootClassroom(inProcessTransport);
    try {
      const ports = await api.host(HOST, 'net-stats -l');
      const webPort = Number(/^(\d+) .* web-sv-01a\.eth0$/m.exec(ports)![1]);
      const started = await api.hostConsole(HOST, `pktcap-uw --switchport ${webPort} --dir 0 -c 2 --proto 0x06`);
      expect(started.follow).toBeDefined();
      expect(started.text.split('\n').slice(0, 4)).toEqual([`The switch port id is 0x${webPort.toString(16).padStart(8, '0')}`, 'The dir is Input', 'To capture 2 packets', 'The session filter IP protocol is 0x06']);
      expect((await api.hostFollow(HOST, started.follow!)).text).toBe('');
      await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 22 });
      const got = await api.hostFollow(HOST, started.follow!);
      expect(got.done).toBe(true);
      expect(got.text).toMatch(/^\d\d:\d\d:\d\d\.\d{6}\[1\] Captured at PortInput point, TSO not enabled, Checksum not offloaded and not verified, length \d+\.\nSegment\[0\] ---- \d+ bytes:\n0x0000: {2}0250 5656 4452 0050 56a1 0036 0800 4500\n/);
      expect(got.text).toContain('[2] Captured at PortInput point');
      expect(got.text).not.toContain('[3]');
      expect(got.text).toMatch(/Dumped 2 packet to console, dropped 0 packets\.\nDone\.$/);

      const open = await api.hostConsole(HOST, `pktcap-uw --switchport ${webPort} --dir 1`);
      await api.probe({ from: 'app-sv-01a', to: 'web-sv-01a', proto: 'tcp', port: 22 });
      const stopped = await api.hostFollow(HOST, open.follow!, true);
      expect(stopped.done).toBe(true);
      expect(stopped.text).toContain('Captured at PortOutput point');
      expect(stopped.text).toMatch(/Dumped \d+ packet to console/);
      // After Ctrl-C the session is gone: nothing more arrives.
      expect(await api.hostFollow(HOST, open.follow!)).toEqual({ text: '', done: true });
    } finally {
      api.lab.dispose();
    }
  });

  it('tail -f follows new lines until Ctrl-C', async () => {
    const api = await bootClassroom(inProcessTransport);
    try {
      const started = await api.hostConsole(HOST, 'tail -f /var/log/vsfwd.log | grep -i ruleset');
      expect(started.follow).toBeDefined();
      await addRule(api, { name: 'publish something', action: 'allow', from: 'vm-36', to: 'vm-38', port: 22 });
      const more = await api.hostFollow(HOST, started.follow!);
      expect(more.done).toBe(false);
      expect(more.text).toMatch(/Received vsa message of RuleSet/);
      expect(more.text.split('\n').every((l) => /ruleset/i.test(l))).toBe(true);
      expect((await api.hostFollow(HOST, started.follow!)).text).toBe('');
      expect(await api.hostFollow(HOST, started.follow!, true)).toEqual({ text: '', done: true });
    } finally {
      api.lab.dispose();
    }
  });
});

describe('pktcap-uw arguments', () => {
  const error = (line: string) => {
    const r = parsePktcap(line.split(' '));
    return r.ok ? '' : r.error.split('\n')[0];
  };
  it('refuses what the tool refuses, before a session starts', () => {
    expect(error('--switchport')).toBe("pktcap-uw: option '--switchport' requires an argument");
    expect(error('--bogus 1')).toBe("pktcap-uw: unrecognized option '--bogus'");
    expect(error('--switchport 50331656 --dir 3')).toMatch(/invalid direction '3'/);
    expect(error('--switchport 50331656 --ip 999.1.1.1')).toMatch(/invalid IP address '999\.1\.1\.1'/);
    expect(error('--switchport 50331656 -c 0')).toMatch(/invalid packet count/);
    expect(error('--capture PreDVFilter')).toMatch(/needs --dvfilter/);
    expect(error('--dvfilter x')).toMatch(/needs --capture PreDVFilter or --capture PostDVFilter/);
    expect(error('--switchport 50331656 --uplink vmnic0')).toMatch(/only one of/);
    expect(error('--switchport 50331656 &')).toMatch(/needs -o FILE/);
    expect(error('--switchport 50331656 --capture Nowhere')).toMatch(/invalid capture point 'Nowhere'/);
  });

  it('the shell refuses unknown ports, filters and unwritable files without creating anything', async () => {
    const api = await bootClassroom(inProcessTransport);
    try {
      expect(await api.host(HOST, 'pktcap-uw --switchport 1234 -o /tmp/x.pcap &')).toMatch(/the switch port 1234 .* is not on this host/);
      expect(await api.host(HOST, 'pktcap-uw --dvfilter nic-1-eth0-vmware-sfw.2 --capture PreDVFilter -o /tmp/x.pcap &')).toMatch(/the dvfilter nic-1-eth0-vmware-sfw\.2 is not on this host/);
      expect(await api.host(HOST, 'pktcap-uw --uplink vmnic0 -o /var/log/x.pcap &')).toMatch(/can't open '\/var\/log\/x\.pcap': No such file or directory/);
      expect((await api.hostFiles(HOST)).files).toEqual([]);
      expect(await api.host(HOST, 'esxcli network vm lst')).toBe('Error: Unknown command or namespace network vm lst');
      expect(await api.host(HOST, 'esxcfg-advcfg -g /UserVars/Nope')).toBe('Error: Unable to find option Nope');
      expect(await api.host(HOST, 'esxcfg-advcfg -g /Net/TcpipHeapSize')).toBe('Value of TcpipHeapSize is 32');
      expect(await api.host(HOST, 'vsipioctl getrules -x')).toBe("vsipioctl getrules: unknown option '-x'");
      // Controls in a typed line are gone before a command sees it: ESC and CSI become spaces.
      expect(await api.host(HOST, 'hostname\u001b[31m\u009b')).toBe('-sh: hostname: not found');
      expect(await api.host(HOST, '\u001bhostname\u0007')).toBe('esxcomp-01a');
      expect(await api.guest('web-sv-01a', 'ip addr\u009b\u0000')).toBe(await api.guest('web-sv-01a', 'ip addr'));
    } finally {
      api.lab.dispose();
    }
  });
});
