import { describe, expect, it } from 'vitest';
import { buildUdp } from '../../workers/protocol/frame';
import { HostKernel } from '../../workers/host/kernel/host-kernel';
import { APP, WEB, WEB_IP, APP_IP, TestClock, arp, defaultRule, filterRules, hostRuleSet, tcp, udp, WEB_FILTER, APP_FILTER } from './helpers';

function host() {
  const clock = new TestClock();
  const k = new HostKernel('host-20', clock);
  k.attachVnic(WEB);
  k.attachVnic(APP);
  const r = filterRules([defaultRule('allow')]);
  k.program(hostRuleSet({ [WEB_FILTER]: r, [APP_FILTER]: r }));
  return { k, clock };
}

const slot1 = (v: { observations: { slot: number }[] }) => v.observations.find((o) => o.slot === 1);

/** A DHCPACK from a server to `mac` giving `ip` for `lease` seconds. */
function dhcpAck(mac: string, ip: string, lease: number): Uint8Array {
  const p = new Uint8Array(300);
  p[0] = 2;
  ip.split('.').forEach((o, i) => (p[16 + i] = Number(o)));
  mac.split(':').forEach((x, i) => (p[28 + i] = parseInt(x, 16)));
  p.set([0x63, 0x82, 0x53, 0x63], 236);
  p.set([53, 1, 5, 51, 4, (lease >>> 24) & 255, (lease >>> 16) & 255, (lease >>> 8) & 255, lease & 255, 255], 240);
  return buildUdp({ srcMac: '00:50:56:01:00:01', dstMac: mac, srcIp: '172.16.10.1', dstIp: ip, srcPort: 67, dstPort: 68, payload: p });
}

describe('sw-sec: IP discovery', () => {
  it('learns from VMware Tools, ARP snooping and DHCP snooping', () => {
    const { k, clock } = host();
    k.process(WEB.worldId, 0, 'out', arp(WEB, '172.16.10.50', '172.16.10.1'));
    k.process(WEB.worldId, 0, 'in', dhcpAck(WEB.mac, '172.16.10.60', 3600));
    const web = k.discoveredBindings().filter((b) => b.mac === WEB.mac);
    expect(web.map((b) => [b.ip, b.source])).toEqual([
      [WEB_IP, 'tools'],
      ['172.16.10.50', 'arp'],
      ['172.16.10.60', 'dhcp'],
    ]);
    expect(web[0]).toMatchObject({ filter: 'nic-35677-eth0-dvfilter-generic-vmware-swsec.1', vnicId: '5026b74d-c56c-1ed9-47c0-092595802fad.000' });
    clock.advance(3601);
    k.sweep();
    expect(k.discoveredBindings().some((b) => b.ip === '172.16.10.60')).toBe(false); // lease ended
  });

  it('Tools reports replace earlier Tools bindings', () => {
    const { k } = host();
    k.setToolsIps(WEB.worldId, 0, ['172.16.10.12']);
    expect(k.discoveredBindings().filter((b) => b.mac === WEB.mac).map((b) => b.ip)).toEqual(['172.16.10.12']);
  });
});

describe('sw-sec: SpoofGuard', () => {
  it('off: any source address passes', () => {
    const { k } = host();
    const v = k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99' }));
    expect(v.pass).toBe(true);
    expect(slot1(v)).toMatchObject({ table: 'swsec', action: 'PASS' });
  });

  it('TOFU: the first address is trusted, a changed IP is dropped with reason SpoofGuard until approved', () => {
    const { k } = host();
    k.setSpoofGuard('virtualwire-1', 'tofu', []);
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true);
    // the guest changes its IP; ARP snooping sees it, but it is not approved
    k.process(WEB.worldId, 0, 'out', arp(WEB, '172.16.10.99', '172.16.10.1'));
    const spoof = k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99' }));
    expect(spoof.pass).toBe(false);
    expect(slot1(spoof)).toMatchObject({ slot: 1, table: 'swsec', action: 'DROP', reason: 'SpoofGuard' });
    expect(spoof.observations.some((o) => o.slot === 2)).toBe(false); // never reached the DFW
    expect(k.discoveredBindings().find((b) => b.ip === '172.16.10.99')).toMatchObject({ approved: false, source: 'arp' });
    // traffic towards the unapproved address is blocked too
    const inbound = k.process(WEB.worldId, 0, 'in', udp({ from: APP, dstIp: '172.16.10.99', srcPort: 1, dstPort: 2 }));
    expect(slot1(inbound)).toMatchObject({ reason: 'SpoofGuard', detail: expect.stringContaining('destination') });
    k.setSpoofGuard('virtualwire-1', 'tofu', [{ mac: WEB.mac, ip: '172.16.10.99' }]);
    expect(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99' })).pass).toBe(true);
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true); // the first-use binding stays
  });

  it('TOFU turned on after the IP changed trusts the address first learned, not the new one (seed 003)', () => {
    const { k } = host();
    // Tools reported WEB_IP at attach; the guest then moves to .99 (Tools stopped) and ARP snooping sees it
    k.process(WEB.worldId, 0, 'out', arp(WEB, '172.16.10.99', '172.16.10.1'));
    k.setSpoofGuard('virtualwire-1', 'tofu', []);
    const web = k.discoveredBindings().filter((b) => b.mac === WEB.mac);
    expect(web.map((b) => [b.ip, b.approved, b.firstLearned])).toEqual([
      [WEB_IP, true, true],
      ['172.16.10.99', false, false],
    ]);
    expect(slot1(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99' })))).toMatchObject({ action: 'DROP', reason: 'SpoofGuard' });
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true);
  });

  it('the first-learned addresses survive a Tools report that replaces them, and a snapshot', () => {
    const { k } = host();
    k.setToolsIps(WEB.worldId, 0, ['172.16.10.12']);
    const copy = new HostKernel('host-20', new TestClock(), k.snapshot());
    for (const kernel of [k, copy]) {
      kernel.setSpoofGuard('virtualwire-1', 'tofu', []);
      expect(kernel.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true);
      expect(kernel.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.12' })).pass).toBe(false);
    }
  });

  it('manual: nothing passes until approved; after an IP change it blocks again until the new IP is approved', () => {
    const { k } = host();
    k.setSpoofGuard('virtualwire-1', 'manual', []);
    expect(slot1(k.process(WEB.worldId, 0, 'out', udp()))).toMatchObject({ action: 'DROP', reason: 'SpoofGuard' });
    k.setSpoofGuard('virtualwire-1', 'manual', [{ mac: WEB.mac, ip: WEB_IP }]);
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true);
    k.setToolsIps(WEB.worldId, 0, ['172.16.10.77']);
    expect(slot1(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.77' })))).toMatchObject({ reason: 'SpoofGuard' });
    k.setSpoofGuard('virtualwire-1', 'manual', [{ mac: WEB.mac, ip: WEB_IP }, { mac: WEB.mac, ip: '172.16.10.77' }]);
    expect(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.77' })).pass).toBe(true);
  });

  it('DHCP is always allowed, and a forged source MAC is dropped', () => {
    const { k } = host();
    k.setSpoofGuard('virtualwire-1', 'manual', []);
    const discover = buildUdp({ srcMac: WEB.mac, dstMac: 'ff:ff:ff:ff:ff:ff', srcIp: '0.0.0.0', dstIp: '255.255.255.255', srcPort: 68, dstPort: 67, payload: new Uint8Array(240) });
    expect(k.process(WEB.worldId, 0, 'out', discover).pass).toBe(true);
    expect(k.process(WEB.worldId, 0, 'in', dhcpAck(WEB.mac, '172.16.10.61', 600)).pass).toBe(true);
    k.setSpoofGuard('virtualwire-1', 'manual', [{ mac: WEB.mac, ip: WEB_IP }]);
    const forged = k.process(WEB.worldId, 0, 'out', tcp({ from: APP, srcIp: WEB_IP, dstIp: APP_IP }));
    expect(slot1(forged)).toMatchObject({ reason: 'SpoofGuard', detail: expect.stringContaining('MAC') });
  });

  it('SpoofGuard is per network: another logical switch is unaffected', () => {
    const { k } = host();
    k.setSpoofGuard('virtualwire-1', 'manual', []);
    expect(k.process(APP.worldId, 0, 'out', udp({ from: APP, srcIp: '172.16.20.99' })).pass).toBe(true);
  });
});
