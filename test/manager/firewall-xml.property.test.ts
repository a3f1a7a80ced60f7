/**
 * The Firewall screen's XML (src/lib/nsx/firewall-model.ts) and NSX Manager's
 * (workers/manager/config/firewall-xml.ts) describe one configuration: any configuration the
 * screen can hold goes to the manager and back unchanged, and any the manager holds goes to
 * the screen and back unchanged. Where one side normalises (the manager names a raw service's
 * protocol and, for TCP/UDP, its sub-protocol; it decides the default rule itself), the
 * generator produces the normal form, and the cases are pinned below.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { configXml as clientConfigXml, parseConfig as clientParseConfig, type FwConfig, type FwRef, type FwRule, type FwSection, type FwService } from '../../src/lib/nsx/firewall-model';
import type { XmlObject } from '../../src/lib/nsx/xml';
import { parseXml as clientParseXml } from '../../src/lib/nsx/xml-parser';
import { configXml as serverConfigXml, parseConfig as serverParseConfig } from '../../workers/manager/config/firewall-xml';
import { buildXml, parseXml as serverParseXml } from '../../workers/manager/xml';

/** Screen → manager → screen. */
function throughManager(c: FwConfig): FwConfig {
  const onServer = serverParseConfig(serverParseXml(clientConfigXml(c)));
  return clientParseConfig(clientParseXml(buildXml(serverConfigXml('firewallConfiguration', onServer))).firewallConfiguration as XmlObject);
}

// Text as users type it: any printable characters, XML's specials included, no surrounding blanks.
const text = fc.string({ unit: fc.constantFrom(...'abcXYZ09 -_.&<>"\'/éß€'.split('')), minLength: 1, maxLength: 12 }).map((s) => s.trim()).filter((s) => s.length > 0);
const id = fc.integer({ min: 1, max: 99_999 });
const objectRef = fc.oneof(
  id.map((n): FwRef => ({ value: `securitygroup-${n}`, type: 'SecurityGroup' })),
  id.map((n): FwRef => ({ value: `ipset-${n}`, type: 'IPSet' })),
  id.map((n): FwRef => ({ value: `vm-${n}`, type: 'VirtualMachine' })),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([a, b, len]): FwRef => ({ value: `${a}.${b}.0.0/${len}`, type: 'Ipv4Address' })),
);
const appliedTo = fc.oneof(
  id.map((n): FwRef => ({ value: `domain-c${n}`, type: 'ClusterComputeResource' })),
  id.map((n): FwRef => ({ value: `vm-${n}`, type: 'VirtualMachine' })),
  id.map((n): FwRef => ({ value: `securitygroup-${n}`, type: 'SecurityGroup' })),
);
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.tuple(fc.integer({ min: 1, max: 30000 }), fc.integer({ min: 1, max: 30000 })).map(([a, b]) => `${a}-${a + b}`), fc.constant('80,443'));
const service = fc.oneof(
  id.map((n): FwService => ({ value: `application-${n}`, type: 'Application' })),
  fc.record({ tcp: fc.boolean(), dst: fc.option(port, { nil: undefined }), src: fc.option(port, { nil: undefined }) }).map(({ tcp, dst, src }): FwService => ({
    protocol: tcp ? 6 : 17,
    protocolName: tcp ? 'TCP' : 'UDP',
    subProtocol: tcp ? '6' : '17',
    ...(dst ? { destinationPort: dst } : {}),
    ...(src ? { sourcePort: src } : {}),
  })),
  fc.constant<FwService>({ protocol: 1, protocolName: 'ICMP' }),
);
const side = fc.tuple(fc.array(objectRef, { maxLength: 3 }), fc.boolean()).map(([refs, excluded]) => ({ refs, excluded: refs.length > 0 && excluded }));
const rule = fc.record({ id, name: fc.option(text, { nil: '' }), action: fc.constantFrom('allow', 'deny', 'reject'), disabled: fc.boolean(), logged: fc.boolean(), direction: fc.constantFrom('in', 'out', 'inout'), packetType: fc.constantFrom('any', 'ipv4', 'ipv6'), src: side, dst: side, services: fc.array(service, { maxLength: 3 }), appliedTo: fc.array(appliedTo, { maxLength: 2 }), notes: fc.option(text, { nil: '' }), tag: fc.option(text, { nil: '' }) }).map(
  (r): FwRule => ({
    id: r.id, name: r.name, action: r.action, disabled: r.disabled, logged: r.logged, direction: r.direction, packetType: r.packetType,
    sources: r.src.refs, sourcesExcluded: r.src.excluded, destinations: r.dst.refs, destinationsExcluded: r.dst.excluded,
    services: r.services, appliedTo: r.appliedTo, notes: r.notes, tag: r.tag, isDefault: false,
  }),
);
const section = (layer: 'LAYER3' | 'LAYER2') =>
  fc.record({ id, name: text, managedBy: fc.option(text, { nil: '' }), tcpStrict: fc.boolean(), stateless: fc.boolean(), useSid: fc.boolean(), rules: fc.array(rule, { maxLength: 4 }) }).map((s): FwSection => ({ ...s, type: layer, generationNumber: 0 }));
const config = fc.record({ timestamp: fc.nat(), generationNumber: fc.nat(), layer3: fc.array(section('LAYER3'), { maxLength: 3 }), layer2: fc.array(section('LAYER2'), { maxLength: 2 }) }).map((c): FwConfig => ({ contextId: 'globalroot-0', ...c }));

describe('one firewall configuration in the screen and in NSX Manager', () => {
  it('goes from the screen to the manager and back unchanged, for any configuration', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(throughManager(c)).toEqual(c);
      }),
      { numRuns: 100 },
    );
  });

  it('goes from the manager to the screen and back unchanged, for any configuration', () => {
    fc.assert(
      fc.property(config, (c) => {
        const onServer = serverParseConfig(serverParseXml(clientConfigXml(c)));
        const again = serverParseConfig(serverParseXml(clientConfigXml(throughManager(c))));
        expect(again).toEqual(onServer);
      }),
      { numRuns: 50 },
    );
  });

  it('pins what the manager decides itself: a raw service is named, the default rule is its own', () => {
    const base = { contextId: 'globalroot-0', timestamp: 1, generationNumber: 2, layer2: [] };
    const r: FwRule = { id: 7, name: 'r', action: 'allow', disabled: false, logged: false, direction: 'inout', packetType: 'any', sources: [], sourcesExcluded: false, destinations: [], destinationsExcluded: false, services: [{ protocol: 6, destinationPort: '22' }], appliedTo: [], notes: '', tag: '', isDefault: true };
    const back = throughManager({ ...base, layer3: [{ id: 9, name: 's', type: 'LAYER3', generationNumber: 0, managedBy: '', tcpStrict: false, stateless: false, useSid: false, rules: [r] }] });
    expect(back.layer3[0].rules[0].services).toEqual([{ protocol: 6, protocolName: 'TCP', subProtocol: '6', destinationPort: '22' }]);
    expect(back.layer3[0].rules[0].isDefault).toBe(false);
  });
});
