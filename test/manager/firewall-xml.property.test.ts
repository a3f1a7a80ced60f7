/**
 * One codec (workers/protocol/nsx/firewall-codec.ts) for the Firewall screen and NSX Manager:
 * any configuration the screen can hold goes to the manager (its request side, whose refusals
 * are 400s) and back to the screen (the answer side) unchanged, and any the manager holds goes to
 * the screen and back unchanged. Where the manager decides itself (it names a raw service's
 * protocol and, for TCP/UDP, its sub-protocol; the default rule and the generations are its
 * own), the generator produces the normal form, and the cases are pinned below.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FwConfig, FwRef, FwRule, FwSection, FwService } from '../../src/lib/nsx/firewall-model';
import { configXml as clientConfigXml, readConfig as clientReadConfig } from '../../src/lib/nsx/firewall-xml';
import { configXml as serverConfigXml, parseConfig as serverParseConfig } from '../../workers/manager/config/firewall-xml';
import { buildXml, parseXml as serverParseXml } from '../../workers/manager/xml';

/** Screen → manager → screen. */
function throughManager(c: FwConfig): FwConfig {
  const onServer = serverParseConfig(serverParseXml(clientConfigXml(c)));
  return clientReadConfig(buildXml(serverConfigXml('firewallConfiguration', onServer)));
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
  id.map((n): FwService => ({ kind: 'ref', value: `application-${n}`, type: 'Application' })),
  fc.record({ tcp: fc.boolean(), dst: fc.option(port, { nil: undefined }), src: fc.option(port, { nil: undefined }) }).map(({ tcp, dst, src }): FwService => ({
    kind: 'raw',
    protocol: tcp ? 6 : 17,
    ...(dst ? { destinationPort: dst } : {}),
    ...(src ? { sourcePort: src } : {}),
    subProtocol: tcp ? 6 : 17,
  })),
  fc.constant<FwService>({ kind: 'raw', protocol: 1 }),
  fc.integer({ min: 0, max: 15 }).map((t): FwService => ({ kind: 'raw', protocol: 1, subProtocol: t, icmpType: t })),
);
const side = fc.option(fc.record({ excluded: fc.boolean(), members: fc.array(objectRef, { minLength: 1, maxLength: 3 }) }), { nil: null });
const rule = fc
  .record({ id, name: fc.option(text, { nil: '' }), action: fc.constantFrom('allow', 'deny', 'reject'), disabled: fc.boolean(), logged: fc.boolean(), direction: fc.constantFrom('in', 'out', 'inout'), packetType: fc.constantFrom('any', 'ipv4', 'ipv6'), sources: side, destinations: side, services: fc.array(service, { maxLength: 3 }), appliedTo: fc.array(appliedTo, { maxLength: 2 }), notes: fc.option(text, { nil: undefined }), tag: fc.option(text, { nil: undefined }) })
  .map(({ notes, tag, ...r }): FwRule => ({ ...r, ...(notes ? { notes } : {}), ...(tag ? { tag } : {}) }));
const section = (layer: 'LAYER3' | 'LAYER2') =>
  fc
    .record({ id, name: text, generationNumber: fc.nat(), timestamp: fc.nat(), managedBy: fc.option(text, { nil: undefined }), tcpStrict: fc.boolean(), stateless: fc.boolean(), useSid: fc.boolean(), rules: fc.array(rule, { maxLength: 4 }) })
    .map(({ managedBy, ...s }): FwSection => ({ ...s, type: layer, ...(managedBy ? { managedBy } : {}) }));
const config = fc.record({ timestamp: fc.nat(), generationNumber: fc.nat(), layer3Sections: fc.array(section('LAYER3'), { maxLength: 3 }), layer2Sections: fc.array(section('LAYER2'), { maxLength: 2 }) }).map((c): FwConfig => ({ contextId: 'globalroot-0', ...c }));

/** What the manager keeps of a section: it assigns generations itself. */
const asKept = (c: FwConfig): FwConfig => {
  const keep = (s: FwSection): FwSection => ({ ...s, generationNumber: 0, timestamp: 0 });
  return { ...c, layer3Sections: c.layer3Sections.map(keep), layer2Sections: c.layer2Sections.map(keep) };
};

describe('one firewall configuration codec for the screen and NSX Manager', () => {
  it('client → server → client round-trips any configuration', () => {
    fc.assert(
      fc.property(config, (c) => {
        expect(throughManager(c)).toEqual(asKept(c));
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
    const base = { contextId: 'globalroot-0', timestamp: 1, generationNumber: 2, layer2Sections: [] };
    const r: FwRule = { id: 7, name: 'r', disabled: false, logged: false, action: 'allow', appliedTo: [], sources: null, destinations: null, services: [{ kind: 'raw', protocol: 6, destinationPort: '22' }], direction: 'inout', packetType: 'any', isDefault: true };
    const sent = clientConfigXml({ ...base, layer3Sections: [{ id: 9, name: 's', type: 'LAYER3', generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: false, useSid: false, rules: [r] }] });
    expect(sent).toContain('<protocolName>TCP</protocolName>');
    const back = clientReadConfig(buildXml(serverConfigXml('firewallConfiguration', serverParseConfig(serverParseXml(sent)))));
    expect(back.layer3Sections[0].rules[0].services).toEqual([{ kind: 'raw', protocol: 6, destinationPort: '22', subProtocol: 6 }]);
    expect(back.layer3Sections[0].rules[0].isDefault).toBeUndefined();
  });

  it('the manager refuses what the codec cannot read with a 400 reason, the screen with a message', () => {
    const body = '<firewallConfiguration><layer3Sections><section name="s"><rule><action>explode</action></rule></section></layer3Sections></firewallConfiguration>';
    expect(() => serverParseConfig(serverParseXml(body))).toThrow(expect.objectContaining({ status: 400, message: 'Invalid rule action "explode"; expected allow, deny or reject' }));
    expect(() => clientReadConfig(body)).toThrow(/could not be read: Invalid rule action "explode"/);
  });
});
