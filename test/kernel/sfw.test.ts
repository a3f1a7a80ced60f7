import { describe, expect, it } from 'vitest';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, parseFrame, textPayload } from '../../workers/protocol/frame';
import { recordListChange } from '../../workers/protocol/codec/list-change';
import type { L3RuleLine } from '../../workers/protocol/ruleset';
import { APP, APP_FILTER, APP_IP, BASE_SETS, WEB, WEB_FILTER, WEB_IP, defaultRule, filterRules, handshake, hostRuleSet, icmp, l3, labHost, send, slot2, tcp, udp } from './helpers';

const webToApp443 = (extra: Partial<Parameters<typeof l3>[0]> = {}) =>
  l3({ id: 1006, action: 'allow', protocol: 6, src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, dst: { sets: ['ip-securitygroup-11'], cidrs: [], negate: false }, dstPorts: [[443, 443]], ...extra });

describe('vmware-sfw: state first, then rules', () => {
  it('creates state on an allowed SYN and passes the rest of the session from the state table', () => {
    const { k } = labHost([webToApp443(), defaultRule('deny')]);
    const syn = send(k, WEB, tcp());
    expect(slot2(syn.out)).toMatchObject({ table: 'rule', ruleId: 1006, action: 'PASS', reason: 'match' });
    expect(slot2(syn.in!)).toMatchObject({ table: 'rule', ruleId: 1006 });
    const synack = send(k, APP, tcp({ from: APP, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }));
    expect(synack.delivered).toBe(true);
    expect(slot2(synack.out)).toMatchObject({ table: 'state', ruleId: 1006, reason: 'match' });
  });

  it('keeps an established session alive after a block rule is published above it (state before rules)', () => {
    const { k } = labHost([webToApp443(), defaultRule('deny')]);
    const hs = handshake(k);
    expect(hs.ok).toBe(true);
    const blockAll = filterRules([l3({ id: 1010, action: 'deny' }), webToApp443(), defaultRule('deny')]);
    k.program(hostRuleSet({ [WEB_FILTER]: blockAll, [APP_FILTER]: blockAll }));
    const data = send(k, WEB, tcp({ seq: hs.c, ack: hs.s, flags: TCP_ACK | TCP_PSH, payload: textPayload('GET / HTTP/1.1\r\n') }));
    expect(data.delivered).toBe(true);
    expect(slot2(data.out)).toMatchObject({ table: 'state' });
    // …but a new session is judged by the new rule.
    const fresh = send(k, WEB, tcp({ srcPort: 50000 }));
    expect(slot2(fresh.out)).toMatchObject({ table: 'rule', ruleId: 1010, action: 'DROP' });
  });

  it('checks SYNs against the state table too: a bogus SYN on a live session is a state-mismatch', () => {
    const { k } = labHost([webToApp443(), defaultRule('deny')]);
    handshake(k);
    const bogus = k.process(WEB.worldId, 0, 'out', tcp({ seq: 99_000_000, flags: TCP_SYN }));
    expect(bogus.pass).toBe(false);
    expect(slot2(bogus)).toMatchObject({ table: 'state', reason: 'state-mismatch', ruleId: 1006 });
  });

  it('TCP-service rules create state only from a SYN; a mid-stream packet falls through to later rules', () => {
    const { k } = labHost([webToApp443(), defaultRule('deny')]);
    const ack = k.process(WEB.worldId, 0, 'out', tcp({ flags: TCP_ACK, seq: 1, ack: 1 }));
    expect(ack.pass).toBe(false);
    expect(slot2(ack)).toMatchObject({ table: 'default', ruleId: 1001, action: 'DROP' });
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(0);
  });

  it('a rule with service ANY passes a mid-stream TCP packet without creating state (seed 002)', () => {
    const { k } = labHost([l3({ id: 1007, action: 'allow', dst: { sets: ['ip-securitygroup-11'], cidrs: [], negate: false } }), defaultRule('deny')]);
    const mid = k.process(WEB.worldId, 0, 'out', tcp({ flags: TCP_ACK | TCP_PSH, seq: 777, ack: 888, payload: textPayload('x') }));
    expect(mid.pass).toBe(true);
    expect(slot2(mid)).toMatchObject({ table: 'rule', ruleId: 1007, detail: expect.stringContaining('no state') });
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(0);
    // the answer finds no state either: the rule (destination App Servers) does not match it, the default drops it
    const back = k.process(WEB.worldId, 0, 'in', tcp({ from: APP, flags: TCP_ACK, seq: 888, ack: 778 }));
    expect(slot2(back)).toMatchObject({ table: 'default', ruleId: 1001, action: 'DROP' });
    // a SYN does create state
    expect(k.process(WEB.worldId, 0, 'out', tcp({ seq: 5000 })).pass).toBe(true);
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(1);
  });

  it('TCP strict: no mid-session pickup, even for service ANY', () => {
    const { k } = labHost([l3({ id: 1007, action: 'allow', tcpStrict: true }), defaultRule('allow')]);
    const mid = k.process(WEB.worldId, 0, 'out', tcp({ flags: TCP_ACK, seq: 777, ack: 888 }));
    expect(mid.pass).toBe(false);
    expect(slot2(mid)).toMatchObject({ table: 'rule', ruleId: 1007, reason: 'state-mismatch', detail: expect.stringContaining('TCP strict') });
  });

  it('TCP strict holds data until the handshake completed', () => {
    const strict = webToApp443({ tcpStrict: true });
    const { k } = labHost([strict, defaultRule('deny')]);
    send(k, WEB, tcp({ seq: 1000 }));
    const early = k.process(WEB.worldId, 0, 'out', tcp({ seq: 1001, ack: 0, flags: TCP_ACK | TCP_PSH, payload: textPayload('too soon') }));
    expect(early.pass).toBe(false);
    expect(slot2(early)).toMatchObject({ table: 'state', reason: 'state-mismatch', detail: expect.stringContaining('three-way') });
    // without strict the same packet is tolerated
    const { k: loose } = labHost([webToApp443(), defaultRule('deny')]);
    send(loose, WEB, tcp({ seq: 1000 }));
    expect(loose.process(WEB.worldId, 0, 'out', tcp({ seq: 1001, flags: TCP_ACK | TCP_PSH, payload: textPayload('too soon') })).pass).toBe(true);
  });

  it('direction: an "in" rule does not match outbound traffic', () => {
    const { k } = labHost([l3({ id: 1020, action: 'deny', direction: 'in', protocol: 17 }), defaultRule('allow')]);
    const r = send(k, WEB, udp());
    expect(slot2(r.out)).toMatchObject({ table: 'default', action: 'PASS' });
    expect(slot2(r.in!)).toMatchObject({ table: 'rule', ruleId: 1020, action: 'DROP' });
  });

  it('negated sources match everything outside the set', () => {
    const { k } = labHost([l3({ id: 1021, action: 'deny', src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: true } }), defaultRule('allow')]);
    expect(slot2(send(k, WEB, udp()).out)).toMatchObject({ table: 'default' });
    expect(slot2(send(k, APP, udp({ from: APP, srcPort: 6000, dstPort: 6001 })).out)).toMatchObject({ ruleId: 1021, action: 'DROP' });
  });

  it('address-set updates change matching without recompiling the rules, and keep counters', () => {
    const { k } = labHost([l3({ id: 1030, action: 'deny', src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, protocol: 17 }), defaultRule('allow')]);
    const rules = filterRules([l3({ id: 1030, action: 'deny', src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, protocol: 17 }), defaultRule('allow')]);
    k.program(hostRuleSet({ [WEB_FILTER]: rules, [APP_FILTER]: rules }));
    const f = k.filter(WEB_FILTER)!;
    const compiles = f.compileCount;
    expect(k.process(WEB.worldId, 0, 'out', udp()).pass).toBe(false);
    expect(f.hits[0]).toBe(1);
    // web-01 changes IP: IP discovery drops its old address from the group.
    k.program(hostRuleSet({ [WEB_FILTER]: rules, [APP_FILTER]: rules }, { 'ip-securitygroup-10': ['172.16.10.99'], 'ip-securitygroup-11': [APP_IP] }));
    expect(f.compileCount).toBe(compiles);
    expect(f.hits[0]).toBe(1);
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp({ srcPort: 5354 })))).toMatchObject({ table: 'default', action: 'PASS' });
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99', srcPort: 5355 })))).toMatchObject({ ruleId: 1030, action: 'DROP' });
  });

  it('counts the sets a list names when it is programmed: the resource reading after the next publish reads only the lines that changed', () => {
    let reads = 0;
    // Lines whose sides count their reads, as a host's first edit after a 200-line sync would read them.
    const counted = (line: L3RuleLine): L3RuleLine => {
      const { src, ...rest } = line;
      return Object.defineProperty({ ...rest } as L3RuleLine, 'src', { get: () => (reads++, src), enumerable: true });
    };
    const group = { sets: ['ip-securitygroup-10'], cidrs: [], negate: false };
    const synced = [...Array.from({ length: 200 }, (_, i) => counted(l3({ id: 3000 + i, action: 'allow', protocol: 6, src: group, dstPorts: [[7000 + i, 7000 + i]] }))), defaultRule('allow')];
    const { k } = labHost(synced);
    const edited = [...synced.slice(0, 100), counted(l3({ id: 3100, action: 'deny', protocol: 6, dstPorts: [[9000, 9000]] })), ...synced.slice(101)];
    recordListChange(edited, synced, 100, synced.length - 101); // as vsfwd's decoder records a one-rule edit
    reads = 0;
    k.program(hostRuleSet({ [WEB_FILTER]: filterRules(edited), [APP_FILTER]: filterRules(edited) }));
    const counts = k.resourceCounts();
    expect(reads).toBeLessThanOrEqual(8); // the replaced line and its replacement, compared and counted: not 200 (204 when counted at the reading)
    expect(counts.addressEntries).toBe(2 * BASE_SETS['ip-securitygroup-10']!.length); // both filters still name the group
    expect(counts.ruleLines).toBe(2 * edited.length);
  });

  it('compiles its table on first use, not on each publish: several publishes and a set change in a row patch the last table once', () => {
    const filler = Array.from({ length: 30 }, (_, i) => l3({ id: 2000 + i, action: 'allow', protocol: 6, dstPorts: [[7000 + i, 7000 + i]] }));
    const deny = (id: number) => l3({ id, action: 'deny', src: { sets: ['ip-securitygroup-10'], cidrs: [], negate: false }, protocol: 17 });
    const last = defaultRule('allow'); // kept lines are the same objects, as vsfwd's decoder hands them over
    const rules = (id: number) => filterRules([...filler, deny(id), last]);
    const { k } = labHost([...filler, deny(1090), last]);
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp()))).toMatchObject({ ruleId: 1090, action: 'DROP' });
    const moved = { 'ip-securitygroup-10': ['172.16.10.99'], 'ip-securitygroup-11': [APP_IP] };
    const f = k.filter(WEB_FILTER)!;
    const builds = f.tableBuilds;
    k.program(hostRuleSet({ [WEB_FILTER]: rules(1091), [APP_FILTER]: rules(1091) }));
    k.program(hostRuleSet({ [WEB_FILTER]: rules(1092), [APP_FILTER]: rules(1092) }, moved));
    k.program(hostRuleSet({ [WEB_FILTER]: rules(1093), [APP_FILTER]: rules(1093) }, moved));
    // Counting what the filter holds reads the lines; it does not compile the table.
    expect([...f.referencedSets()]).toEqual(['ip-securitygroup-10']);
    expect(f.tableBuilds).toBe(builds);
    expect(f.l3!.compiledLines).toBe(1);
    expect(f.tableBuilds).toBe(builds + 1); // the first use compiles: one line, patched into the table the packet above compiled
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp({ srcPort: 5354 })))).toMatchObject({ table: 'default', action: 'PASS' });
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99', srcPort: 5355 })))).toMatchObject({ ruleId: 1093, action: 'DROP' });
    // The same verdicts as a host given those rules and sets at once.
    const { k: fresh } = labHost([...filler, deny(1093), defaultRule('allow')], [], moved);
    expect(slot2(fresh.process(WEB.worldId, 0, 'out', udp({ srcPort: 5354 })))).toMatchObject({ table: 'default', action: 'PASS' });
    expect(slot2(fresh.process(WEB.worldId, 0, 'out', udp({ srcIp: '172.16.10.99', srcPort: 5355 })))).toMatchObject({ ruleId: 1093, action: 'DROP' });
  });

  it('an empty address set matches nothing (a VM whose IP is not known yet)', () => {
    const { k } = labHost([l3({ id: 1031, action: 'deny', src: { sets: ['ip-securitygroup-99'], cidrs: [], negate: false } }), defaultRule('allow')], [], { ...{ 'ip-securitygroup-99': [] } });
    expect(slot2(k.process(WEB.worldId, 0, 'out', udp()))).toMatchObject({ table: 'default' });
  });

  it('a stateless rule passes without creating state', () => {
    const { k } = labHost([l3({ id: 1032, action: 'allow', stateless: true, protocol: 17 }), defaultRule('deny')]);
    const r = k.process(WEB.worldId, 0, 'out', udp());
    expect(slot2(r)).toMatchObject({ table: 'rule', ruleId: 1032, action: 'PASS' });
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(0);
  });
});

describe('vmware-sfw: UDP and ICMP state', () => {
  it('UDP state comes from the 5-tuple and admits the reply', () => {
    const { k } = labHost([l3({ id: 1040, action: 'allow', protocol: 17, dstPorts: [[53, 53]] }), defaultRule('deny')]);
    expect(send(k, WEB, udp()).delivered).toBe(true);
    const reply = send(k, APP, udp({ from: APP, srcPort: 53, dstPort: 5353 }));
    expect(reply.delivered).toBe(true);
    expect(slot2(reply.out)).toMatchObject({ table: 'state', ruleId: 1040 });
    // a different source port is a different flow, judged by rules
    expect(slot2(k.process(APP.worldId, 0, 'out', udp({ from: APP, srcPort: 54, dstPort: 5353 })))).toMatchObject({ table: 'default', action: 'DROP' });
  });

  it('ICMP echo creates state keyed on id and direction; the reply passes, an unsolicited reply does not', () => {
    const { k } = labHost([l3({ id: 1041, action: 'allow', protocol: 1, icmpType: 8, direction: 'out' }), l3({ id: 1042, action: 'allow', protocol: 1, icmpType: 8, direction: 'in' }), defaultRule('deny')]);
    expect(send(k, WEB, icmp({ type: 8, id: 7 })).delivered).toBe(true);
    const reply = send(k, APP, icmp({ from: APP, type: 0, id: 7 }));
    expect(reply.delivered).toBe(true);
    expect(slot2(reply.out)).toMatchObject({ table: 'state' });
    const stray = k.process(APP.worldId, 0, 'out', icmp({ from: APP, type: 0, id: 8 }));
    expect(slot2(stray)).toMatchObject({ table: 'default', action: 'DROP' });
  });

  it('only query ICMP types create state', () => {
    const { k } = labHost([l3({ id: 1043, action: 'allow', protocol: 1 }), defaultRule('deny')]);
    k.process(WEB.worldId, 0, 'out', icmp({ type: 0, id: 9 }));
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(0);
    k.process(WEB.worldId, 0, 'out', icmp({ type: 8, id: 9 }));
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(1);
  });

  it('an ICMP error quoting a tracked session is related and passes despite a block default', () => {
    const { k } = labHost([l3({ id: 1044, action: 'allow', protocol: 17, direction: 'out' }), defaultRule('deny')]);
    const probe = udp();
    k.process(WEB.worldId, 0, 'out', probe);
    const quoted = probe.subarray(14, 14 + 28);
    const err = k.process(WEB.worldId, 0, 'in', icmp({ from: APP, type: 3, code: 3, payload: quoted.slice() }));
    expect(err.pass).toBe(true);
    expect(slot2(err)).toMatchObject({ table: 'state', ruleId: 1044, detail: expect.stringContaining('ICMP error') });
  });
});

describe('vmware-sfw: timers on the lab clock', () => {
  it('a half-open TCP session expires after tcp first-packet (120 s)', () => {
    const { k, clock } = labHost([webToApp443(), defaultRule('deny')]);
    send(k, WEB, tcp());
    clock.advance(119);
    expect(slot2(k.process(APP.worldId, 0, 'out', tcp({ from: APP, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK })))).toMatchObject({ table: 'state' });
    clock.advance(31); // second packet moved it to tcp opening (30 s)
    expect(slot2(k.process(APP.worldId, 0, 'out', tcp({ from: APP, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK })))).toMatchObject({ table: 'default', action: 'DROP' });
  });

  it('an established session lives 12 h idle and then expires', () => {
    const { k, clock } = labHost([webToApp443(), defaultRule('deny')]);
    const hs = handshake(k);
    send(k, APP, tcp({ from: APP, seq: hs.s, ack: hs.c, flags: TCP_ACK }));
    clock.advance(43_199);
    expect(k.process(WEB.worldId, 0, 'out', tcp({ seq: hs.c, ack: hs.s, flags: TCP_ACK })).pass).toBe(true);
    clock.advance(43_201);
    const late = k.process(WEB.worldId, 0, 'out', tcp({ seq: hs.c, ack: hs.s, flags: TCP_ACK }));
    expect(slot2(late)).toMatchObject({ table: 'default', action: 'DROP' });
  });

  it('UDP: first 60 s, single 30 s, multiple 60 s', () => {
    const { k, clock } = labHost([l3({ id: 1040, action: 'allow', protocol: 17 }), defaultRule('deny')]);
    const f = () => k.filter(WEB_FILTER)!;
    k.process(WEB.worldId, 0, 'out', udp());
    const e = f().ct.entries()[0];
    expect(f().ct.expiry[e] - clock.t).toBe(60_000);
    k.process(WEB.worldId, 0, 'out', udp());
    expect(f().ct.expiry[e] - clock.t).toBe(30_000);
    k.process(WEB.worldId, 0, 'in', udp({ from: APP, srcPort: 53, dstPort: 5353 }));
    expect(f().ct.expiry[e] - clock.t).toBe(60_000);
  });

  it('ICMP first 20 s; an ICMP error drops it to the 10 s error timer', () => {
    const { k, clock } = labHost([l3({ id: 1041, action: 'allow', protocol: 1 }), defaultRule('deny')]);
    const req = icmp({ type: 8, id: 3 });
    k.process(WEB.worldId, 0, 'out', req);
    const f = k.filter(WEB_FILTER)!;
    const e = f.ct.entries()[0];
    expect(f.ct.expiry[e] - clock.t).toBe(20_000);
    k.process(WEB.worldId, 0, 'in', icmp({ from: APP, type: 3, code: 1, payload: req.slice(14, 14 + 28) }));
    expect(f.ct.expiry[e] - clock.t).toBe(10_000);
  });

  it('FIN/RST closing uses closing, fin-wait and closed timers', () => {
    const { k, clock } = labHost([webToApp443(), defaultRule('deny')]);
    const hs = handshake(k);
    send(k, APP, tcp({ from: APP, seq: hs.s, ack: hs.c, flags: TCP_ACK }));
    const f = k.filter(WEB_FILTER)!;
    const e = f.ct.entries()[0];
    send(k, WEB, tcp({ seq: hs.c, ack: hs.s, flags: TCP_FIN | TCP_ACK }));
    expect(f.ct.expiry[e] - clock.t).toBe(120_000); // closing
    send(k, APP, tcp({ from: APP, seq: hs.s, ack: hs.c + 1, flags: TCP_FIN | TCP_ACK }));
    expect(f.ct.expiry[e] - clock.t).toBe(45_000); // fin-wait
    send(k, WEB, tcp({ seq: hs.c + 1, ack: hs.s + 1, flags: TCP_ACK }));
    expect(f.ct.expiry[e] - clock.t).toBe(20_000); // closed

    const { k: k2, clock: c2 } = labHost([webToApp443(), defaultRule('deny')]);
    const hs2 = handshake(k2);
    send(k2, APP, tcp({ from: APP, seq: hs2.s, ack: hs2.c, flags: TCP_RST }));
    const f2 = k2.filter(WEB_FILTER)!;
    expect(f2.ct.expiry[f2.ct.entries()[0]] - c2.t).toBe(20_000);
  });

  it('a new SYN on a closed session reopens it through the rules', () => {
    const { k } = labHost([webToApp443(), defaultRule('deny')]);
    const hs = handshake(k);
    send(k, APP, tcp({ from: APP, seq: hs.s, ack: hs.c, flags: TCP_RST }));
    const again = send(k, WEB, tcp({ seq: 70_000 }));
    expect(again.delivered).toBe(true);
    expect(slot2(again.out)).toMatchObject({ table: 'rule', ruleId: 1006 });
  });

  it('the sweep removes idle sessions without traffic', () => {
    const { k, clock } = labHost([l3({ id: 1040, action: 'allow', protocol: 17 }), defaultRule('deny')]);
    k.process(WEB.worldId, 0, 'out', udp());
    clock.advance(61);
    k.sweep();
    expect(k.filter(WEB_FILTER)!.ct.count).toBe(0);
  });
});

describe('vmware-sfw: block, reject, counters, logs', () => {
  it('reject answers TCP with a RST from the destination', () => {
    const { k } = labHost([l3({ id: 1050, action: 'reject', protocol: 6 }), defaultRule('allow')]);
    const v = k.process(WEB.worldId, 0, 'out', tcp({ seq: 4242 }));
    expect(v.pass).toBe(false);
    expect(slot2(v)).toMatchObject({ action: 'REJECT', ruleId: 1050 });
    const rst = parseFrame(v.reply!);
    expect(rst).toMatchObject({ kind: 'ipv4', srcIp: APP_IP, dstIp: WEB_IP, srcPort: 443, dstPort: 49152, ack: 4243 });
    expect(rst.kind === 'ipv4' && rst.flags & TCP_RST).toBeTruthy();
  });

  it('reject answers UDP with ICMP unreachable (admin prohibited) quoting the packet', () => {
    const { k } = labHost([l3({ id: 1051, action: 'reject', protocol: 17 }), defaultRule('allow')]);
    const v = k.process(WEB.worldId, 0, 'out', udp());
    const icmpReply = parseFrame(v.reply!);
    expect(icmpReply).toMatchObject({ kind: 'ipv4', proto: 1, icmpType: 3, icmpCode: 13, srcIp: APP_IP, dstIp: WEB_IP });
  });

  it('counts hits per rule and pass/drop per filter and direction', () => {
    const { k } = labHost([l3({ id: 1052, action: 'deny', protocol: 17 }), defaultRule('allow')]);
    k.process(WEB.worldId, 0, 'out', udp());
    k.process(WEB.worldId, 0, 'out', udp());
    k.process(WEB.worldId, 0, 'out', icmp());
    const f = k.filter(WEB_FILTER)!;
    expect(Array.from(f.hits)).toEqual([2, 1]);
    const stat = k.getfilterstat(WEB_FILTER);
    expect(stat).toContain('v4 pass IN 0 OUT 1');
    expect(stat).toContain('v4 drop IN 0 OUT 2');
  });

  it('writes dfwpktlogs lines for logged rules, and a TERM line when the session ends', () => {
    const { k, clock } = labHost([webToApp443({ logged: true, tag: 'WEB-APP' }), defaultRule('deny', true)]);
    const hs = handshake(k);
    send(k, WEB, tcp({ seq: hs.c, ack: hs.s, flags: TCP_ACK | TCP_PSH, payload: textPayload('hello') }));
    send(k, APP, tcp({ from: APP, seq: hs.s, ack: hs.c + 5, flags: TCP_RST | TCP_ACK }));
    k.process(WEB.worldId, 0, 'out', udp());
    clock.advance(30);
    const lines = k.pktlog();
    const hash = k.filter(WEB_FILTER)!.hash;
    expect(lines[0]).toBe(`2024-01-15T09:00:00.000Z ${hash} INET match PASS domain-c25/1006 OUT 40 TCP ${WEB_IP}/49152->${APP_IP}/443 S WEB-APP`);
    expect(lines).toContain(`2024-01-15T09:00:00.000Z ${hash} INET match DROP domain-c25/1001 OUT 28 UDP ${WEB_IP}/5353->${APP_IP}/53`);
    const term = lines.filter((l) => l.includes(' TERM ') && l.startsWith(`2024-01-15T09:00:20.000Z ${hash}`));
    expect(term).toEqual([`2024-01-15T09:00:20.000Z ${hash} INET TERM domain-c25/1006 OUT TCP RST ${WEB_IP}/49152->${APP_IP}/443 2/3 80/125 WEB-APP`]);
  });
});

describe('vmware-sfw: L2 rules before L3', () => {
  it('a logged L2 rule writes dfwpktlogs lines: IPv4 as L3 does, other frames with their ethertype (seed 000)', async () => {
    const { arp, l2 } = await import('./helpers');
    const { k } = labHost([defaultRule('allow')], [l2({ id: 1060, action: 'deny', ethertype: 0x0806, logged: true }), l2({ id: 1004, action: 'allow', logged: true })]);
    k.process(WEB.worldId, 0, 'out', arp(WEB, WEB_IP, APP_IP));
    k.process(WEB.worldId, 0, 'out', udp());
    const hash = k.filter(WEB_FILTER)!.hash;
    const lines = k.pktlog();
    expect(lines[0]).toMatch(new RegExp(`^\\S+ ${hash} ETHER match DROP domain-c25_L2/1060 OUT \\d+ ETHERTYPE 0x0806 ${WEB.mac}->ff:ff:ff:ff:ff:ff$`));
    expect(lines[1]).toMatch(new RegExp(`^\\S+ ${hash} INET match PASS domain-c25_L2/1004 OUT 28 UDP ${WEB_IP}/5353->${APP_IP}/53$`));
  });

  it('an L2 block on the ARP ethertype drops ARP but not IPv4', async () => {
    const { arp } = await import('./helpers');
    const { k } = labHost([defaultRule('allow')], [{ ...(await import('./helpers')).l2({ id: 1060, action: 'deny', ethertype: 0x0806 }) }]);
    const a = k.process(WEB.worldId, 0, 'out', arp(WEB, WEB_IP, APP_IP));
    expect(slot2(a)).toMatchObject({ table: 'l2-rule', ruleId: 1060, action: 'DROP' });
    const ip = k.process(WEB.worldId, 0, 'out', udp());
    expect(ip.pass).toBe(true);
  });

  it('an L2 MAC block wins even when L3 allows, and an L2 allow still goes through L3', async () => {
    const { l2 } = await import('./helpers');
    const { k } = labHost(
      [l3({ id: 1061, action: 'deny', protocol: 17 }), defaultRule('allow')],
      [l2({ id: 1062, action: 'deny', src: { sets: ['mac-securitygroup-5'], macs: [], negate: false } }), l2({ id: 1063, action: 'allow' })],
      { 'mac-securitygroup-5': [APP.mac] },
    );
    expect(slot2(k.process(APP.worldId, 0, 'out', tcp({ from: APP })))).toMatchObject({ table: 'l2-rule', ruleId: 1062, action: 'DROP' });
    const v = k.process(WEB.worldId, 0, 'out', udp());
    const obs = v.observations.filter((o) => o.slot === 2);
    expect(obs.map((o) => [o.table, o.ruleId, o.action])).toEqual([
      ['l2-rule', 1063, 'PASS'],
      ['rule', 1061, 'DROP'],
    ]);
  });
});

describe('vmware-sfw: FTP ALG', () => {
  const ftpControl = l3({ id: 1070, action: 'allow', protocol: 6, dstPorts: [[21, 21]], alg: 'ftp' });

  it('admits the passive-mode data connection announced by the server', () => {
    const { k } = labHost([ftpControl, defaultRule('deny')]);
    const c = send(k, WEB, tcp({ dstPort: 21, srcPort: 40000 }));
    expect(c.delivered).toBe(true);
    send(k, APP, tcp({ from: APP, srcPort: 21, dstPort: 40000, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }));
    send(k, WEB, tcp({ dstPort: 21, srcPort: 40000, seq: 1001, ack: 5001, flags: TCP_ACK }));
    const banner = textPayload('227 Entering Passive Mode (172,16,20,11,195,80).\r\n');
    expect(send(k, APP, tcp({ from: APP, srcPort: 21, dstPort: 40000, seq: 5001, ack: 1001, flags: TCP_ACK | TCP_PSH, payload: banner })).delivered).toBe(true);
    const data = send(k, WEB, tcp({ srcPort: 40001, dstPort: 195 * 256 + 80, seq: 9000 }));
    expect(data.delivered).toBe(true);
    expect(slot2(data.out)).toMatchObject({ table: 'state', ruleId: 1070, detail: expect.stringContaining('FTP') });
    // a second connection to that port is not expected any more
    expect(send(k, WEB, tcp({ srcPort: 40002, dstPort: 195 * 256 + 80 })).delivered).toBe(false);
  });

  it('admits the active-mode data connection announced with PORT', () => {
    const { k } = labHost([ftpControl, defaultRule('deny')]);
    send(k, WEB, tcp({ dstPort: 21, srcPort: 40000 }));
    send(k, APP, tcp({ from: APP, srcPort: 21, dstPort: 40000, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }));
    const port = textPayload('PORT 172,16,10,11,156,64\r\n');
    send(k, WEB, tcp({ dstPort: 21, srcPort: 40000, seq: 1001, ack: 5001, flags: TCP_ACK | TCP_PSH, payload: port }));
    const data = send(k, APP, tcp({ from: APP, srcPort: 20, dstPort: 156 * 256 + 64, seq: 7000 }));
    expect(data.delivered).toBe(true);
  });

  it('without the ALG the data connection hits the default rule', () => {
    const { k } = labHost([l3({ ...ftpControl, alg: undefined }), defaultRule('deny')]);
    send(k, WEB, tcp({ dstPort: 21, srcPort: 40000 }));
    send(k, APP, tcp({ from: APP, srcPort: 21, dstPort: 40000, seq: 5000, ack: 1001, flags: TCP_SYN | TCP_ACK }));
    send(k, APP, tcp({ from: APP, srcPort: 21, dstPort: 40000, seq: 5001, ack: 1001, flags: TCP_ACK | TCP_PSH, payload: textPayload('227 Entering Passive Mode (172,16,20,11,195,80)\r\n') }));
    expect(send(k, WEB, tcp({ srcPort: 40001, dstPort: 195 * 256 + 80 })).delivered).toBe(false);
  });
});

describe('vmware-sfw: malformed packets get reasons, never exceptions', () => {
  const { k } = labHost([defaultRule('allow')]);
  const good = udp();

  it('bad IP header length → bad-offset', () => {
    const f = good.slice();
    f[14] = 0x43; // IHL 12 bytes
    expect(slot2(k.process(WEB.worldId, 0, 'out', f))).toMatchObject({ action: 'DROP', reason: 'bad-offset' });
  });

  it('bad TCP data offset → bad-offset', () => {
    const f = tcp().slice();
    f[14 + 20 + 12] = 0x20; // 8 bytes
    expect(slot2(k.process(WEB.worldId, 0, 'out', f))).toMatchObject({ reason: 'bad-offset' });
  });

  it('truncated → short', () => {
    expect(slot2(k.process(WEB.worldId, 0, 'out', good.subarray(0, 30)))).toMatchObject({ reason: 'short' });
    expect(k.process(WEB.worldId, 0, 'out', good.subarray(0, 6)).observations[0]).toMatchObject({ slot: 0, reason: 'short' });
  });

  it('fragments → fragment', () => {
    const f = good.slice();
    f[14 + 6] = 0x20; // MF
    expect(slot2(k.process(WEB.worldId, 0, 'out', f))).toMatchObject({ reason: 'fragment' });
  });

  it('unknown IP protocols are classified (service ANY) and tracked', () => {
    const f = good.slice();
    f[14 + 9] = 47;
    const v = k.process(WEB.worldId, 0, 'out', f);
    expect(slot2(v)).toMatchObject({ action: 'PASS', table: 'default' });
  });

  it('random garbage never throws', () => {
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      const len = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 120;
      const f = new Uint8Array(len);
      for (let j = 0; j < len; j++) f[j] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
      if (len > 13 && i % 2) {
        f[12] = 8;
        f[13] = 0;
      }
      expect(() => k.process(WEB.worldId, 0, i % 3 ? 'out' : 'in', f)).not.toThrow();
    }
  });
});
