/**
 * Service Composer's policy editor against NSX Manager's own REST routes: what the screen sends
 * (POST / PUT of a draft) is read back as the same draft, lands as a firewall section ordered by
 * weight with the sides the editor describes, and bad drafts are refused with a sentence.
 */
import { describe, expect, it } from 'vitest';
import { draftProblem, policyBody, readPolicies, ruleSides, type PolicyDraft } from '../../src/lib/nsx/security-policy';
import { parseXml } from '../../src/lib/nsx/xml-parser';
import { api, newManager } from '../manager/fixtures';
import { firewallConfig } from '../manager/manager-views';

const SP = '/api/2.0/services/policy/securitypolicy';

const quarantine: PolicyDraft = {
  name: 'Quarantine <test>',
  description: 'blocks & logs',
  weight: 5000,
  groups: ['securitygroup-11'],
  rules: [
    { name: 'Block in', action: 'block', direction: 'inbound', other: '', service: '', logged: true, enabled: true },
    { name: 'DB out', action: 'allow', direction: 'outbound', other: 'securitygroup-12', service: 'application-1', logged: false, enabled: false },
  ],
  steering: [],
};

describe('security policy drafts', () => {
  it('round-trips through POST, GET all and PUT, and becomes a section above the user sections by weight', () => {
    const { manager } = newManager();
    const a = api(manager);
    const created = a.post(SP, policyBody(quarantine));
    expect(created.status, created.body).toBe(201);
    const access: PolicyDraft = { ...quarantine, name: 'App access', description: '', weight: 4000, rules: [{ ...quarantine.rules[0]!, name: 'Allow in', action: 'allow', logged: false }] };
    expect(a.post(SP, policyBody(access)).status).toBe(201);

    const read = readPolicies(parseXml(a.get(`${SP}/all`).body));
    expect(read.map((p) => p.name)).toEqual(['Quarantine <test>', 'App access']);
    const { id, groupNames, ...draft } = read[0]!;
    expect(id).toBe(created.body);
    expect(groupNames).toEqual(['App Servers']);
    expect(draft).toEqual(quarantine);

    const sections = firewallConfig(manager).layer3Sections;
    expect(sections[0]!.name).toBe('Quarantine <test> :: NSX Service Composer - Firewall');
    expect(sections[0]!.rules.map((r) => [r.name, r.action, r.disabled])).toEqual([
      ['Block in', 'deny', false],
      ['DB out', 'allow', true],
    ]);
    expect(sections[0]!.rules[1]!.destinations?.members).toEqual([{ value: 'securitygroup-12', type: 'SecurityGroup' }]);
    expect(sections[1]!.name).toMatch(/^App access/);

    // Edit: weight under App access, applied to no group (inactive), one rule fewer.
    const edited: PolicyDraft = { ...draft, weight: 3000, groups: [], rules: [draft.rules[0]!] };
    expect(a.put(`${SP}/${id}`, policyBody(edited)).status).toBe(200);
    const after = firewallConfig(manager).layer3Sections;
    expect(after.map((s) => s.name.split(' :: ')[0]).slice(0, 2)).toEqual(['App access', 'Quarantine <test>']);
    expect(after[1]!.rules.map((r) => r.disabled)).toEqual([true]);
    expect(a.del(`${SP}/${id}`).status).toBe(204);
    expect(readPolicies(parseXml(a.get(`${SP}/all`).body)).map((p) => p.name)).toEqual(['App access']);
  });

  it('reads a policy’s redirect (traffic steering) actions apart from its firewall rules and sends them back unchanged on an edit', () => {
    const steering = '<actionsByCategory><category>traffic_steering</category><action class="trafficSteeringSecurityAction"><name>Web to App via IPS</name><category>traffic_steering</category><isEnabled>true</isEnabled><logged>true</logged><serviceProfile><objectId>serviceprofile-1</objectId><name>Acme IPS</name></serviceProfile><secondarySecurityGroup><objectId>securitygroup-10</objectId></secondarySecurityGroup><redirect>false</redirect><direction>inbound</direction></action></actionsByCategory>';
    const doc = `<securityPolicies>${policyBody(quarantine).replace('<securityPolicy>', '<securityPolicy><objectId>policy-1</objectId>').replace('</securityPolicy>', `${steering}</securityPolicy>`)}</securityPolicies>`;
    const [read] = readPolicies(parseXml(doc));
    expect(read!.rules.map((r) => r.name)).toEqual(['Block in', 'DB out']);
    expect(read!.steering).toEqual([{ name: 'Web to App via IPS', redirect: false, profile: 'serviceprofile-1', profileName: 'Acme IPS', direction: 'inbound', other: 'securitygroup-10', logged: true, enabled: true }]);
    const [again] = readPolicies(parseXml(`<securityPolicies>${policyBody(read!).replace('<securityPolicy>', '<securityPolicy><objectId>policy-1</objectId>')}</securityPolicies>`));
    expect(again!.steering).toEqual(read!.steering.map((a) => ({ ...a, profileName: 'serviceprofile-1' })));
    expect(again!.rules).toEqual(read!.rules);
  });

  it('names each side as NSX’s editor does, one side always the policy’s groups', () => {
    const r = quarantine.rules[0]!;
    expect(ruleSides(r, '')).toEqual({ source: 'any', destination: 'Policy’s Security Groups' });
    expect(ruleSides(quarantine.rules[1]!, 'DB Servers')).toEqual({ source: 'Policy’s Security Groups', destination: 'DB Servers' });
    expect(ruleSides({ ...r, direction: 'intra', other: 'securitygroup-12' }, 'DB Servers')).toEqual({ source: 'Policy’s Security Groups', destination: 'Policy’s Security Groups' });
  });

  it('refuses a draft without a name, with a weight in use, or with an unnamed rule, and says why', () => {
    const inUse = new Map([[4000, 'App access']]);
    expect(draftProblem(quarantine, inUse)).toBe('');
    expect(draftProblem({ ...quarantine, name: '  ' }, inUse)).toBe('Give the policy a name.');
    expect(draftProblem({ ...quarantine, weight: 4000 }, inUse)).toBe('Weight 4000 is already used by App access: each policy needs its own weight.');
    expect(draftProblem({ ...quarantine, weight: 1.5 }, inUse)).toMatch(/whole number/);
    expect(draftProblem({ ...quarantine, rules: [{ ...quarantine.rules[0]!, name: '' }] }, inUse)).toBe('Firewall rule 1 needs a name.');
  });
});
