import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_PSH, textPayload } from '../../workers/protocol/frame';
import { BATCH_STRIDE, HostKernel } from '../../workers/host/kernel/host-kernel';
import { APP, APP_FILTER, APP_IP, TestClock, WEB, WEB_FILTER, WEB_IP, defaultRule, filterRules, handshake, hostRuleSet, l3, labHost, send, slot2, tcp, udp } from './helpers';

const web443 = () => l3({ id: 1006, action: 'allow', protocol: 6, logged: true, src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, dst: { sets: ['ip-securitygroup-11'], cidrs: ['172.16.20.0/24'], negate: false }, dstPorts: [[443, 443], [8443, 8443]] });

describe('IOChain', () => {
  it('walks slots 0→1→2 outbound and 2→1→0 inbound, each with an observation', () => {
    const { k } = labHost([defaultRule('allow')]);
    const out = k.process(WEB.worldId, 0, 'out', udp());
    expect(out.observations.map((o) => [o.slot, o.table, o.filter])).toEqual([
      [0, 'dvfilter', 'nic-35677-eth0-dvfilter-generic-vmware.0'],
      [1, 'swsec', 'nic-35677-eth0-dvfilter-generic-vmware-swsec.1'],
      [2, 'default', 'nic-35677-eth0-vmware-sfw.2'],
    ]);
    const inn = k.process(APP.worldId, 0, 'in', udp());
    expect(inn.observations.map((o) => o.slot)).toEqual([2, 1, 0]);
  });

  it('excluded VMs have no slot 2 (attachment flag or the rule set exclusion list)', () => {
    const clock = new TestClock();
    const k = new HostKernel('host-20', clock);
    k.attachVnic({ ...WEB, excluded: true });
    k.attachVnic(APP);
    const deny = filterRules([defaultRule('deny')]);
    k.program(hostRuleSet({ [APP_FILTER]: deny }, undefined, [WEB_FILTER]));
    const v = k.process(WEB.worldId, 0, 'out', udp());
    expect(v.pass).toBe(true);
    expect(slot2(v)).toMatchObject({ table: 'none', reason: 'excluded' });
    expect(k.summarizeDvfilter()).not.toContain('nic-35677-eth0-vmware-sfw.2');
    expect(k.process(APP.worldId, 0, 'out', udp({ from: APP })).pass).toBe(false);
    // removing APP from DFW by exclusion list
    k.program(hostRuleSet({ [APP_FILTER]: deny }, undefined, [WEB_FILTER, APP_FILTER]));
    expect(k.process(APP.worldId, 0, 'out', udp({ from: APP })).pass).toBe(true);
  });

  it('a failed agent obeys its failure policy (failClosed drops, with a reason)', () => {
    const { k } = labHost([defaultRule('allow')]);
    k.setSlotFault(2, true);
    const v = k.process(WEB.worldId, 0, 'out', udp());
    expect(v.pass).toBe(false);
    expect(slot2(v)).toMatchObject({ reason: 'filter-failure', action: 'DROP' });
    k.setSlotFault(2, false);
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(true);
  });

  it('an unknown vNIC gets a reasoned drop', () => {
    const { k } = labHost([defaultRule('allow')]);
    expect(k.process(1, 0, 'out', udp())).toMatchObject({ pass: false, observations: [{ reason: 'no-filter' }] });
  });

  it('batch paths decide exactly as process()', () => {
    const rules = [l3({ id: 1100, action: 'deny', protocol: 17, dstPorts: [[53, 53]] }), web443(), defaultRule('deny')];
    const a = labHost(rules).k;
    const b = labHost(rules).k;
    const c = labHost(rules).k;
    const frames = [udp(), tcp(), tcp({ flags: TCP_ACK, seq: 1001 }), udp({ dstPort: 54 }), tcp({ dstPort: 22 }), tcp({ dstPort: 8443, srcPort: 1234 })];
    const viaProcess = frames.map((f) => {
      const v = a.process(WEB.worldId, 0, 'out', f);
      return v.pass ? 0 : v.reply ? 2 : 1;
    });
    const viaFrames = new Uint8Array(frames.length);
    b.processFrames(WEB.worldId, 0, 'out', frames, viaFrames);
    expect(Array.from(viaFrames)).toEqual(viaProcess);
    const headers = new Int32Array(frames.length * BATCH_STRIDE);
    const parsed = frames.map((f) => ({ f, v: new DataView(f.buffer) }));
    parsed.forEach(({ f, v }, i) => {
      const o = i * BATCH_STRIDE;
      const tcpish = f[23] === 6;
      headers.set([v.getInt32(26), v.getInt32(30), f[23], v.getUint16(34), v.getUint16(36), tcpish ? f[47] : 0, tcpish ? v.getInt32(38) : 0, tcpish ? v.getInt32(42) : 0, tcpish ? v.getUint16(48) : 0, 0, v.getUint16(16), 0, 0, 0], o);
    });
    const viaBatch = new Uint8Array(frames.length);
    c.processBatch(WEB.worldId, 0, 'out', headers, frames.length, viaBatch);
    expect(Array.from(viaBatch)).toEqual(viaProcess);
  });
});

describe('vMotion', () => {
  it('export → import on another host keeps a live TCP session and the rules', () => {
    const { k: src, clock } = labHost([web443(), defaultRule('deny')]);
    const hs = handshake(src);
    expect(hs.ok).toBe(true);
    const transfer = JSON.parse(JSON.stringify(src.exportVnic(WEB.worldId, 0)));
    src.detachVnic(WEB.worldId, 0);
    const dst = new HostKernel('host-21', clock);
    const moved = { ...WEB, worldId: 41000 };
    dst.importVnic(transfer, moved);
    expect(dst.getrules('nic-41000-eth0-vmware-sfw.2')).toContain('rule 1006 at 1 inout protocol tcp from addrset ip-securitygroup-10 to addrset dst1006 port {443, 8443} accept with log;');
    const data = dst.process(41000, 0, 'out', tcp({ seq: hs.c, ack: hs.s, flags: TCP_ACK | TCP_PSH, payload: textPayload('still here') }));
    expect(data.pass).toBe(true);
    expect(slot2(data)).toMatchObject({ table: 'state', ruleId: 1006 });
    // the default deny still applies to new sessions on the new host
    expect(dst.process(41000, 0, 'out', tcp({ srcPort: 5555, dstPort: 22 })).pass).toBe(false);
    expect(dst.discoveredBindings().map((b) => b.ip)).toEqual([WEB_IP]);
  });
});

describe('snapshot', () => {
  it('restores to identical behaviour and identical logs', () => {
    const { k: a, clock } = labHost([web443(), defaultRule('deny', true)]);
    handshake(a);
    send(a, WEB, udp());
    a.setSpoofGuard('virtualwire-1', 'tofu', []);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = new HostKernel('host-20', clock, snap);
    expect(JSON.parse(JSON.stringify(b.snapshot()))).toEqual(snap);
    const script = (k: HostKernel) => {
      const out: unknown[] = [];
      out.push(k.process(WEB.worldId, 0, 'out', tcp({ seq: 1001, ack: 5001, flags: TCP_ACK })));
      out.push(k.process(WEB.worldId, 0, 'out', tcp({ srcPort: 6000 })));
      out.push(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99' })));
      clock.advance(45_000);
      out.push(k.pktlog());
      out.push(k.getflows(WEB_FILTER));
      clock.advance(-45_000);
      return out;
    };
    expect(JSON.stringify(script(b))).toBe(JSON.stringify(script(a)));
  });

  it("shares the rule set's immutable lists instead of copying them: a filter's rules are its rule set's list", () => {
    const { k } = labHost([web443(), defaultRule('deny', true)]);
    handshake(k);
    const snap = k.snapshot();
    const rules = snap.ruleSet!.filters[WEB_FILTER];
    const filter = snap.vnics.find((v) => v.sfw?.name === WEB_FILTER)!.sfw!;
    expect(filter.rules).toBe(rules);
    expect(k.snapshot().ruleSet).toBe(snap.ruleSet);
    // What the filter goes on changing (counters, connections) is still a copy.
    expect(filter.conntrack).not.toBe(k.snapshot().vnics.find((v) => v.sfw?.name === WEB_FILTER)!.sfw!.conntrack);
    expect(filter.hits.length).toBeGreaterThan(0);
  });
});

describe('host shell views', () => {
  const { k } = labHost([web443(), l3({ id: 1007, action: 'deny', protocol: 17, direction: 'out', src: { sets: [], cidrs: ['10.0.0.0/8'], negate: true }, srcPorts: [[1024, 65535]], tag: 'no-udp' }), l3({ id: 1008, action: 'reject', protocol: 1, icmpType: 8 }), defaultRule('allow')], [], {
    'ip-securitygroup-10': [WEB_IP],
    'ip-securitygroup-11': [APP_IP],
    'ip-securitygroup-12': [],
  });
  handshake(k);

  it('summarize-dvfilter shows agents and per-vNIC slots with failure policies', () => {
    const s = k.summarizeDvfilter();
    expect(s).toContain('agent: vmware-sfw, refCount: 2, rev: 0x1010000, apiRev: 0x1010000, module: vsip');
    expect(s).toContain("world 35677 vmm0:web-01 vcUuid:'50 26 b7 4d c5 6c 1e d9-47 c0 09 25 95 80 2f ad'");
    expect(s).toMatch(/ port 50331656 web-01\.eth0\n {2}vNic slot 2\n {3}name: nic-35677-eth0-vmware-sfw\.2\n {3}agentName: vmware-sfw\n {3}state: IOChain Attached\n {3}vmState: Detached\n {3}failurePolicy: failClosed\n {3}slowPathID: none\n {3}filter source: Dynamic Filter Creation\n {2}vNic slot 1\n {3}name: nic-35677-eth0-dvfilter-generic-vmware-swsec\.1/);
    expect(s).toContain('   filter source: Alternate Opaque Channel');
  });

  it('getfilters prints the filter hash used in dfwpktlogs', () => {
    const s = k.getfilters();
    expect(s).toContain(`Filter Name              : ${WEB_FILTER}`);
    expect(s).toContain(`Filter Hash              : ${k.filter(WEB_FILTER)!.hash}`);
    expect(s).toContain('VNIC Index               : 0');
  });

  it('getrules prints the dataplane grammar', () => {
    expect(k.getrules(WEB_FILTER)).toBe(
      [
        'ruleset domain-c25 {',
        '  # Filter rules',
        '  rule 1006 at 1 inout protocol tcp from addrset ip-securitygroup-10 to addrset dst1006 port {443, 8443} accept with log;',
        "  rule 1007 at 2 out protocol udp from not ip 10.0.0.0/8 port 1024-65535 to any drop tag 'no-udp';",
        '  rule 1008 at 3 inout protocol icmp from any to any icmptype 8 reject;',
        '  rule 1001 at 4 inout protocol any from any to any accept;',
        '}',
        'ruleset domain-c25_L2 {',
        '  # Filter rules',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('getaddrsets lists the sets the rules use', () => {
    expect(k.getaddrsets(WEB_FILTER)).toBe(['addrset ip-securitygroup-10 {', `ip ${WEB_IP},`, '}', 'addrset dst1006 {', `ip ${APP_IP},`, 'ip 172.16.20.0/24,', '}', ''].join('\n'));
  });

  it('getflows, getfilterstat, gettimeout, getmeminfo', () => {
    const flows = k.getflows(WEB_FILTER);
    expect(flows.split('\n').filter((l) => /^\d/.test(l))).toEqual([`1 OUT TCP ${WEB_IP}:49152 -> ${APP_IP}:443 ESTABLISHED:ESTABLISHED rule 1006 tcp.established 43200s 2/1 80/40`]);
    expect(k.getfilterstat(WEB_FILTER)).toMatch(/^v4 pass IN 1 OUT 2$/m);
    expect(k.gettimeout(WEB_FILTER)).toContain('tcp.established 43200');
    expect(k.gettimeout(WEB_FILTER)).toContain('icmp.error 10');
    expect(k.getmeminfo()).toMatch(/vsip-state +\d+/);
    expect(k.getrules('nic-1-eth0-vmware-sfw.2')).toContain('not found');
  });
});
