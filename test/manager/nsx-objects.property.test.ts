/**
 * One codec (workers/protocol/nsx/) for the screens and NSX Manager, beyond the firewall
 * configuration (firewall-xml.property.test.ts): IP sets, security groups, services, SpoofGuard
 * policies and saved configurations go from a client's body through NSX Manager's REST API (its
 * request side, whose refusals are 400s) and back to the screens' readers (src/lib/nsx/objects-xml.ts)
 * unchanged.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildXml } from '../../workers/protocol/nsx-xml';
import { encodeSecurityGroup, encodeService, encodeValueSet } from '../../workers/protocol/nsx/grouping-codec';
import type { DynamicSet, IpSet, SecurityGroup, ServiceDef } from '../../workers/protocol/nsx/grouping-types';
import { encodeSpoofGuardList, type SpoofGuardPolicyXml, type SpoofGuardVnic } from '../../workers/protocol/nsx/spoofguard-codec';
import { readDrafts, readIpSets, readSecurityGroups, readServices, readSpoofGuardList, readSpoofGuardPolicies, spoofGuardPolicyXml } from '../../src/lib/nsx/objects-xml';
import { draftXml, readConfig, readDraft } from '../../src/lib/nsx/firewall-xml';
import type { FwSection } from '../../src/lib/nsx/firewall-model';
import { networkObjectType } from '../../workers/protocol/inventory';
import { api, classroomInventory, FW, newManager } from './fixtures';

const SVC = '/api/2.0/services';
const inventory = classroomInventory();

// Text as users type it: XML's specials included, no surrounding blanks; names prefixed so they never meet the preset's.
const text = fc.string({ unit: fc.constantFrom(...'abcXYZ09 -_.&<>"\'/éß€'.split('')), minLength: 1, maxLength: 12 }).map((s) => s.trim()).filter((s) => s.length > 0);
const name = text.map((s) => `t ${s}`);
const description = fc.option(text, { nil: '' });

/** A client's POST; the manager answers 201 with the new object's id. */
function created(res: { status: number; body: string }): string {
  expect(res.status, res.body).toBe(201);
  return res.body.trim();
}

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b, c]) => `${a}.${b}.${c}.1`);
const ipValue = fc.oneof(ipv4, fc.tuple(ipv4, fc.integer({ min: 8, max: 32 })).map(([ip, len]) => `${ip}/${len}`));
const ipSet = fc.record({ name, description, values: fc.uniqueArray(ipValue, { minLength: 1, maxLength: 4 }) });

const criterion = fc.oneof(
  fc.record({ key: fc.constantFrom('VM.NAME' as const, 'VM.GUEST_HOST_NAME' as const, 'VM.GUEST_OS_FULL_NAME' as const, 'VM.SECURITY_TAG' as const), criteria: fc.constantFrom('contains' as const, 'starts_with' as const, 'ends_with' as const, '=' as const, '!=' as const), value: text }),
  fc.record({ key: fc.constant('VM.NAME' as const), criteria: fc.constant('similar_to' as const), value: fc.constantFrom('web.*', '^db-sv-0[12]a$', 'app|web') }),
);
const dynamicSet = fc.record({ operator: fc.constantFrom('AND' as const, 'OR' as const), criteria: fc.array(fc.record({ operator: fc.constantFrom('AND' as const, 'OR' as const), c: criterion }), { minLength: 1, maxLength: 3 }) }).map(
  ({ operator, criteria }): DynamicSet => ({ operator, criteria: criteria.map(({ operator: op, c }) => ({ operator: op, ...c })) }),
);
const memberIds = [...inventory.vms.map((v) => v.moid), ...inventory.clusters.map((c) => c.moid), ...inventory.networks.map((n) => n.moid)];
const securityGroup = fc.record({ name, description, members: fc.uniqueArray(fc.constantFrom(...memberIds), { maxLength: 3 }), excludeMembers: fc.uniqueArray(fc.constantFrom(...memberIds), { maxLength: 2 }), dynamicSets: fc.array(dynamicSet, { maxLength: 2 }) });

const port = fc.oneof(fc.integer({ min: 1, max: 65535 }).map(String), fc.tuple(fc.integer({ min: 1, max: 30000 }), fc.integer({ min: 1, max: 30000 })).map(([a, b]) => `${a}-${a + b}`));
const service = fc
  .record({ name, description, applicationProtocol: fc.constantFrom('TCP', 'UDP'), value: port, sourcePort: fc.option(port, { nil: undefined }) })
  .map(({ sourcePort, ...s }) => ({ ...s, ...(sourcePort ? { sourcePort } : {}) }));

describe('one codec of grouping objects, SpoofGuard and saved configurations for the screens and NSX Manager', () => {
  it('client → server → client round-trips any IP set', () => {
    fc.assert(
      fc.property(ipSet, (s) => {
        const a = api(newManager().manager);
        const objectId = created(a.post(`${SVC}/ipset/globalroot-0`, buildXml(encodeValueSet('ipset', { objectId: '', ...s }))));
        expect(readIpSets(a.get(`${SVC}/ipset/scope/globalroot-0`).body).find((x) => x.objectId === objectId)).toEqual<IpSet>({ objectId, ...s });
      }),
      { numRuns: 40 },
    );
  });

  it('client → server → client round-trips any security group, its members named by the manager', () => {
    fc.assert(
      fc.property(securityGroup, (g) => {
        const a = api(newManager().manager);
        const body = buildXml(encodeSecurityGroup({ objectId: '', ...g }, () => ({})));
        const objectId = created(a.post(`${SVC}/securitygroup/bulk/globalroot-0`, body));
        const back = readSecurityGroups(a.get(`${SVC}/securitygroup/scope/globalroot-0`).body).find((x) => x.objectId === objectId)!;
        expect({ ...back, members: back.members.map((m) => m.objectId), excludeMembers: back.excludeMembers.map((m) => m.objectId) }).toEqual<SecurityGroup>({ objectId, ...g });
        for (const m of back.members) expect(m.name, m.objectId).toBe([...inventory.vms, ...inventory.clusters, ...inventory.networks].find((x) => x.moid === m.objectId)!.name);
      }),
      { numRuns: 40 },
    );
  });

  it('client → server → client round-trips any service', () => {
    fc.assert(
      fc.property(service, (s) => {
        const a = api(newManager().manager);
        const objectId = created(a.post(`${SVC}/application/globalroot-0`, buildXml(encodeService({ objectId: '', systemResource: false, ...s }))));
        expect(readServices(a.get(`${SVC}/application/scope/globalroot-0`).body).find((x) => x.objectId === objectId)).toEqual<ServiceDef>({ objectId, systemResource: false, ...s });
      }),
      { numRuns: 40 },
    );
  });

  it('client → server → client round-trips any SpoofGuard policy, its networks named by the manager', () => {
    const networks = inventory.networks;
    const policy = fc.record({ name, description, operationMode: fc.constantFrom('TOFU' as const, 'MANUAL' as const, 'DISABLE' as const), points: fc.uniqueArray(fc.constantFrom(...networks), { maxLength: 3 }), allowLocalIPs: fc.boolean() });
    fc.assert(
      fc.property(policy, ({ points, ...p }) => {
        const a = api(newManager().manager);
        const sent: SpoofGuardPolicyXml = { ...p, enforcementPoints: points.map((n) => ({ id: n.moid, type: networkObjectType(n.kind) })) };
        const policyId = created(a.post('/api/4.0/services/spoofguard/policies/', spoofGuardPolicyXml(sent)));
        const back = readSpoofGuardPolicies(a.get('/api/4.0/services/spoofguard/policies/').body).find((x) => x.policyId === policyId);
        expect(back).toEqual<SpoofGuardPolicyXml>({ ...sent, policyId, defaultPolicy: false, enforcementPoints: points.map((n) => ({ id: n.moid, name: n.name, type: networkObjectType(n.kind) })) });
      }),
      { numRuns: 40 },
    );
  });

  it("the manager's per-vNIC SpoofGuard list reaches the screen unchanged, every address of every list", () => {
    const ips = fc.uniqueArray(ipv4, { maxLength: 3 });
    const row = fc.record({ id: fc.constantFrom(...inventory.vms.map((v) => `${v.uuid}.000`)), vnicName: name, vmName: name, vmMoid: fc.constantFrom(...inventory.vms.map((v) => v.moid)), macAddress: fc.constant('00:50:56:01:02:03'), detected: ips, approved: ips, published: ips, inSync: fc.boolean(), approvedBy: fc.option(fc.constant('admin'), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 4 }), (rows) => {
        const sent = rows.map(({ approvedBy, ...r }): SpoofGuardVnic => ({ ...r, ...(approvedBy ? { approvedBy } : {}) }));
        expect(readSpoofGuardList(buildXml(encodeSpoofGuardList(sent)))).toEqual(sent);
      }),
      { numRuns: 40 },
    );
  });

  it('client → server → client round-trips a saved configuration: its head in the list, its configuration whole', () => {
    fc.assert(
      fc.property(name, description, (draftName, draftDescription) => {
        const a = api(newManager().manager);
        const config = readConfig(a.get(`${FW}/config`).body);
        const res = a.post(`${FW}/drafts`, draftXml(draftName, draftDescription, config));
        expect(res.status, res.body).toBe(201);
        const head = readDrafts(a.get(`${FW}/drafts`).body).find((d) => d.name === draftName)!;
        expect(head).toMatchObject({ name: draftName, description: draftDescription, preserve: false, mode: 'userdefined' });
        const saved = readDraft(a.get(`${FW}/drafts/${head.id}`).body);
        // As a client sends it: the default rule is the manager's to mark when the draft is loaded (PUT /config), not the draft's.
        const rulesOf = (sections: FwSection[]) => sections.map((s) => s.rules.map(({ isDefault: _manager, ...r }) => r));
        expect(rulesOf(saved.layer3Sections)).toEqual(rulesOf(config.layer3Sections));
        expect(rulesOf(saved.layer2Sections)).toEqual(rulesOf(config.layer2Sections));
      }),
      { numRuns: 15 },
    );
  });

  it('a screen refuses an answer the codec cannot read with a message naming it', () => {
    expect(() => readIpSets('<list><ipset><name>x</name></ipset></list>')).toThrow("NSX Manager's IP sets could not be read: <ipset> has no objectId");
    expect(() => readDrafts('<firewallDrafts><firewallDraft id="1"><mode>sometimes</mode></firewallDraft></firewallDrafts>')).toThrow(/saved configurations could not be read: Saved configuration mode "sometimes"/);
    expect(() => readSpoofGuardPolicies('<spoofguardPolicies><spoofguardPolicy><name>p</name><operationMode>LOOSE</operationMode></spoofguardPolicy></spoofguardPolicies>')).toThrow(/operationMode must be TOFU, MANUAL or DISABLE, not LOOSE/);
  });
});
