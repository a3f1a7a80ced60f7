/**
 * Redirect rules use "the same policy construct as DFW" (seed 000): for any rule built from
 * sources, destinations, services and direction, slot 4 redirects exactly the new connections
 * (a TCP SYN, a UDP datagram) that vmware-sfw would match with the same rule as a block rule.
 * Both sides go through their own code paths: the manager's translation (redirectLines vs the
 * DFW's l3Lines) and the kernel (ServiceInstanceFilter vs SfwFilter).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Act } from '../../workers/host/kernel/codes';
import { PacketHeader, parseHeader } from '../../workers/host/kernel/parse';
import { PktLog } from '../../workers/host/kernel/pktlog';
import { ServiceInstanceFilter } from '../../workers/host/kernel/redirect/service-filter';
import { SfwFilter } from '../../workers/host/kernel/sfw/filter';
import { SlotResult } from '../../workers/host/kernel/slot-result';
import { timeoutsMs } from '../../workers/host/kernel/timers';
import { makeCatalogue } from '../../workers/manager/grouping/services';
import { redirectLines } from '../../workers/manager/service-insertion/redirect-translation';
import type { RedirectRule, RedirectSection } from '../../workers/manager/service-insertion/model';
import { l3Lines } from '../../workers/manager/translation';
import type { FirewallSection, RuleSide, ServiceRef } from '../../workers/manager/types';
import { buildTcp, buildUdp, TCP_SYN } from '../../workers/protocol/frame';
import type { L3RuleLine } from '../../workers/protocol/ruleset';

const IPS = ['172.16.10.11', '172.16.10.12', '172.16.20.11', '172.16.30.11'];
const CIDRS = [...IPS, '172.16.10.0/24', '172.16.0.0/16', '10.0.0.0/8'];
const PORTS = [22, 80, 443, 8443, 3306];
const MACS = { srcMac: '00:50:56:00:00:01', dstMac: '00:50:56:00:00:02' };

const side = fc.option(fc.record({ excluded: fc.boolean(), members: fc.uniqueArray(fc.constantFrom(...CIDRS), { minLength: 1, maxLength: 2 }).map((l) => l.map((value) => ({ value, type: 'Ipv4Address' }))) }), { nil: null });
const service = fc.oneof(
  fc.record({ kind: fc.constant('raw' as const), protocol: fc.constantFrom(6, 17), destinationPort: fc.option(fc.constantFrom(...PORTS.map(String), '80,443', '8000-9000'), { nil: undefined }) }),
);
const rule = fc.record({
  sources: side as fc.Arbitrary<RuleSide | null>,
  destinations: side as fc.Arbitrary<RuleSide | null>,
  services: fc.array(service, { maxLength: 2 }) as fc.Arbitrary<ServiceRef[]>,
  direction: fc.constantFrom('in' as const, 'out' as const, 'inout' as const),
});
const packet = fc.record({ src: fc.constantFrom(...IPS, '10.1.2.3'), dst: fc.constantFrom(...IPS), proto: fc.constantFrom(6, 17), sport: fc.constantFrom(40000, 50000), dport: fc.constantFrom(...PORTS, 8500), out: fc.boolean() });

const catalogue = makeCatalogue([], []);
const SECTION: RedirectSection = { id: 1002, name: 'Default Section', generationNumber: 1, timestamp: 1, rules: [] };
const DFW_SECTION: FirewallSection = { id: 1010, name: 'Block', type: 'LAYER3', generationNumber: 1, timestamp: 1, tcpStrict: false, stateless: false, useSid: false, rules: [] };
const DEFAULT_ALLOW: L3RuleLine = { id: 1001, sectionId: 1003, direction: 'inout', packetType: 'any', protocol: 'any', src: { sets: [], cidrs: [], negate: false }, dst: { sets: [], cidrs: [], negate: false }, srcPorts: [], dstPorts: [], action: 'allow', logged: false, stateless: false, tcpStrict: false };

describe('redirect matching agrees with the DFW matcher', () => {
  it('translation: a redirect rule has the DFW lines of the same rule, with punt / accept as the action', () => {
    fc.assert(
      fc.property(rule, fc.constantFrom('redirect' as const, 'do_not_redirect' as const), (r, action) => {
        const base = { id: 1020, name: 'r', disabled: false, logged: false, appliedTo: [], packetType: 'any' as const, ...r };
        const redirect = redirectLines({ ...base, action, siProfile: 'serviceprofile-1' } satisfies RedirectRule, SECTION, catalogue);
        const dfw = l3Lines({ ...base, action: 'deny' }, { ...DFW_SECTION, id: SECTION.id }, catalogue, false);
        expect(redirect.map(({ action: _a, ...rest }) => rest)).toEqual(dfw.map(({ action: _a, ...rest }) => rest));
        expect(new Set(redirect.map((l) => l.action))).toEqual(new Set(redirect.length ? [action === 'redirect' ? 'punt' : 'allow'] : []));
      }),
      { numRuns: 300 },
    );
  });

  it('kernel: slot 4 redirects exactly the new connections slot 2 would block under the same rule', () => {
    fc.assert(
      fc.property(rule, fc.array(packet, { minLength: 1, maxLength: 8 }), (r, packets) => {
        const base = { id: 1020, name: 'r', disabled: false, logged: false, appliedTo: [], packetType: 'any' as const, ...r };
        const slot4 = new ServiceInstanceFilter('nic-1-eth0-serviceinstance-1.4', new PktLog());
        slot4.program({ ruleset: 'domain-c25', generation: 1, l3: redirectLines({ ...base, action: 'redirect', siProfile: 'serviceprofile-1' }, SECTION, catalogue), l2: [] }, {});
        const dfwLines = [...l3Lines({ ...base, action: 'deny' }, DFW_SECTION, catalogue, false), DEFAULT_ALLOW];
        const h = new PacketHeader();
        const res = new SlotResult();
        for (const p of packets) {
          const fields = { ...MACS, srcIp: p.src, dstIp: p.dst, srcPort: p.sport, dstPort: p.dport };
          const frame = p.proto === 6 ? buildTcp({ ...fields, seq: 1, ack: 0, flags: TCP_SYN }) : buildUdp(fields);
          const dir = p.out ? 2 : 1;
          parseHeader(frame, h);
          // A fresh filter per packet: the rules decide, not a connection an earlier packet opened
          // (slot 4 keeps no state; a tracked reverse or other-direction packet would pass slot 2 by state).
          const sfw = new SfwFilter('nic-1-eth0-vmware-sfw.2', new PktLog(), timeoutsMs());
          sfw.program({ ruleset: 'domain-c25', generation: 1, l3: dfwLines, l2: [] }, {});
          res.reset();
          sfw.process(h, frame, dir, 0, res);
          const blocked = res.action === Act.Drop;
          parseHeader(frame, h);
          const d = slot4.process(h, frame, dir, 0, null);
          // No SVM here: a redirected packet meets the failure policy (failClosed without a service), so it drops too.
          expect(d.reason === 'filter-failure', `${JSON.stringify(p)}`).toBe(blocked);
          expect(d.act === Act.Drop).toBe(blocked);
        }
      }),
      { numRuns: 300 },
    );
  });
});
