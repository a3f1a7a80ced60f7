import { describe, expect, it } from 'vitest';
import { bootClassroom } from './helpers';

describe('guests and the fabric', () => {
  it('web-sv-01a reaches db-sv-01a on tcp/3306 through the DLR and VXLAN, and the path is recorded', async () => {
    const api = await bootClassroom();
    const r = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    expect(r.verdict).toBe('allowed');
    expect(r.detail).toMatch(/handshake, request, reply and close/);
    const syn = r.trace.filter((t) => t.packet === r.trace.find((x) => x.packet?.endsWith('[S]'))?.packet);
    const at = (t: (typeof syn)[number]) => (t.slot === undefined ? `${t.hop} ${t.action}` : `${t.hop} slot ${t.slot} ${t.table}${t.ruleId ? ` ${t.ruleId}` : ''} ${t.action}`);
    expect(syn.map(at)).toEqual([
      'web-sv-01a guest INJECTED',
      'web-sv-01a vNIC eth0 (out) slot 0 dvfilter PASS',
      'web-sv-01a vNIC eth0 (out) slot 1 swsec PASS',
      'web-sv-01a vNIC eth0 (out) slot 2 l2-rule 1004 PASS',
      'web-sv-01a vNIC eth0 (out) slot 2 default 1001 PASS',
      'DLR FORWARDED',
      'DB-LS FORWARDED',
      'VXLAN FORWARDED',
      'db-sv-01a vNIC eth0 (in) slot 2 l2-rule 1004 PASS',
      'db-sv-01a vNIC eth0 (in) slot 2 default 1001 PASS',
      'db-sv-01a vNIC eth0 (in) slot 1 swsec PASS',
      'db-sv-01a vNIC eth0 (in) slot 0 dvfilter PASS',
      'db-sv-01a guest DELIVERED',
    ]);
    expect(syn.find((t) => t.hop === 'VXLAN')?.detail).toBe('VNI 5003: VTEP 10.10.0.20 (esxcomp-01a) → 10.10.0.30 (esxcomp-02a)');
    expect(syn.find((t) => t.hop === 'DLR')?.detail).toContain('Web-LS → DB-LS');
  });

  it('an ARP request for the gateway is answered by the distributed router on the asking VM\'s host, not flooded to the segment', async () => {
    const api = await bootClassroom();
    const r = await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    const asks = r.trace.filter((t) => t.packetKind === 'arp' && t.packet?.includes('who-has 172.16.10.1 '));
    expect(asks.find((t) => t.place === 'switch')?.detail).toBe('ARP for the gateway 172.16.10.1: answered by the distributed router on esxcomp-01a, not flooded');
    expect(asks.filter((t) => t.vm !== undefined && t.vm !== 'web-sv-01a')).toEqual([]);
    expect(r.trace.some((t) => t.hop === 'DLR' && t.detail === 'answers ARP for its interface 172.16.10.1')).toBe(true);
  });

  it('a closed port answers RST, ping and UDP get their replies', async () => {
    const api = await bootClassroom();
    expect((await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 9999 })).detail).toMatch(/RST/);
    expect((await api.probe({ from: 'app-sv-01a', to: 'web-sv-02a', proto: 'icmp' })).detail).toBe('echo reply received');
    expect((await api.probe({ from: 'app-sv-01a', to: 'web-sv-02a', proto: 'udp', port: 161 })).detail).toMatch(/ICMP unreachable/);
  });

  it('the admin workstation reaches vCenter on the management network without VXLAN', async () => {
    const api = await bootClassroom();
    const r = await api.reach('vcenter');
    expect(r.verdict).toBe('allowed');
    expect(r.trace.some((t) => t.hop === 'VXLAN')).toBe(false);
    expect(r.trace.some((t) => t.hop === 'Mgmt-PG')).toBe(true);
  });

  it('a changed IP is announced by gratuitous ARP and still routes; Tools stop empties vCenter\'s view', async () => {
    const api = await bootClassroom();
    await api.guest('web-sv-01a', 'ip addr replace 172.16.10.99/24 dev eth0');
    expect(await api.guest('web-sv-01a', 'ip a')).toContain('inet 172.16.10.99/24');
    expect((await api.probe({ from: 'db-sv-01a', to: '172.16.10.99', proto: 'tcp', port: 80 })).verdict).toBe('allowed');
    expect((await api.inventory()).vms.find((v) => v.name === 'web-sv-01a')?.guestIps).toEqual(['172.16.10.99']);
    await api.guest('web-sv-01a', 'service vmware-tools stop');
    expect((await api.inventory()).vms.find((v) => v.name === 'web-sv-01a')?.guestIps).toEqual([]);
    expect(await api.guest('web-sv-01a', 'frobnicate')).toBe('-bash: frobnicate: command not found');
  });

  it('a session survives a vMotion and the VM runs on its new host', async () => {
    const api = await bootClassroom();
    expect((await api.session({ name: 's', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 })).verdict).toBe('allowed');
    await api.vmotion('app-sv-01a', 'esxcomp-01b');
    expect((await api.inventory()).vms.find((v) => v.name === 'app-sv-01a')?.host).toBe('host-21');
    expect(await api.host('esxcomp-01b', 'esxcli network vm list')).toContain('app-sv-01a');
    expect((await api.session({ name: 's', do: 'send' })).verdict).toBe('allowed');
    await expect(api.vmotion('app-sv-01a', 'esxcomp-01b')).rejects.toThrow(/already runs/);
  });
});

describe('ARP resolution', () => {
  it('a next hop whose ARP went unanswered is asked again by the next exchange', async () => {
    const api = await bootClassroom();
    const cut = await api.rest({
      method: 'POST',
      path: '/api/4.0/firewall/globalroot-0/config/layer2sections/1001/rules',
      headers: { 'If-Match': (await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config/layer2sections/1001' })).headers.ETag },
      body: '<rule disabled="false" logged="false"><name>no ARP</name><action>deny</action><services><service><value>application-25</value><type>Application</type></service></services><direction>inout</direction><packetType>any</packetType></rule>',
    });
    expect(cut.status).toBe(201);
    expect((await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 })).verdict).toBe('dropped');
    const id = /id="(\d+)"/.exec(cut.body)![1];
    const etag = (await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config/layer2sections/1001' })).headers.ETag;
    expect((await api.rest({ method: 'DELETE', path: `/api/4.0/firewall/globalroot-0/config/layer2sections/1001/rules/${id}`, headers: { 'If-Match': etag } })).status).toBe(204);
    const again = await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 });
    expect(again.verdict).toBe('allowed');
  });
});
