import { describe, expect, it } from 'vitest';
import type { HostRuleSet } from '../../workers/protocol/ruleset';
import { filterName, vnicId, type Inventory, type Vm } from '../../workers/protocol/inventory';
import { api, classroomInventory, FW, newManager, parse } from './fixtures';
import { exclusionList, firewallConfig, rulesPerClusterOf, securityGroups, securityTags } from './manager-views';

const L3 = `${FW}/config/layer3sections`;
const L2 = `${FW}/config/layer2sections`;

function filterOf(hosts: HostRuleSet[], inv: Inventory, vmName: string) {
  const vm = inv.vms.find((v) => v.name === vmName)!;
  const host = hosts.find((h) => h.hostId === vm.host)!;
  return { host, filter: host.filters[filterName(vm, 0)], name: filterName(vm, 0) };
}

function ruleIdsOf(hosts: HostRuleSet[], inv: Inventory, vmName: string): number[] {
  return [...new Set(filterOf(hosts, inv, vmName).filter!.l3.map((l) => l.id))];
}

/** Adds one section holding the given rules (XML) and returns the manager. */
function withRules(rules: string, layer = L3) {
  const m = newManager();
  const a = api(m.manager);
  const res = a.post(layer, `<section name="Test">${rules}</section>`);
  expect(res.status).toBe(201);
  return { ...m, a };
}

const rule = (name: string, parts: string) => `<rule><name>${name}</name><action>allow</action>${parts}</rule>`;
const dest = (value: string, type: string) => `<destinations><destination><value>${value}</value><type>${type}</type></destination></destinations>`;
const applied = (value: string, type: string) => `<appliedToList><appliedTo><value>${value}</value><type>${type}</type></appliedTo></appliedToList>`;

function addVm(inv: Inventory, name: string, moid: string, ip: string | null, host = 'host-21'): Vm {
  const n = Number(moid.slice(3));
  const vm: Vm = {
    moid,
    name,
    uuid: `5013bcd8-00${n}-4c6e-9a11-0000000000${n}`,
    host,
    worldId: 36000 + n,
    powerState: 'poweredOn',
    guestOs: 'Ubuntu Linux (64-bit)',
    computerName: `${name}.corp.local`,
    role: 'workload',
    toolsRunning: ip !== null,
    guestIps: ip ? [ip] : [],
    vnics: [{ index: 0, mac: `00:50:56:a1:00:${n}`, network: 'virtualwire-1' }],
  };
  inv.vms.push(vm);
  return vm;
}

describe('translation to address sets', () => {
  it('turns a security group into ip-securitygroup-N filled from VMware Tools IPs', () => {
    const { manager, inventory } = withRules(rule('to web', dest('securitygroup-10', 'SecurityGroup')));
    const hosts = manager.publish().hosts;
    const { host, filter } = filterOf(hosts, inventory, 'web-sv-01a');
    const line = filter!.l3.find((l) => l.id === 1005)!;
    expect(line.dst).toEqual({ sets: ['ip-securitygroup-10'], cidrs: [], negate: false });
    expect(line.src).toEqual({ sets: [], cidrs: [], negate: false });
    expect(host.addressSets['ip-securitygroup-10']).toEqual(['172.16.10.11', '172.16.10.12', '172.16.10.13']);
    expect(filter!.ruleset).toBe('domain-c25');
    expect(filterOf(hosts, inventory, 'db-sv-01a').filter!.ruleset).toBe('domain-c26');
  });

  it('names VM, logical switch and IP set sets like the host shows them; literal CIDRs and ranges stay literal', () => {
    const m = newManager();
    const a = api(m.manager);
    const ipset = a.post('/api/2.0/services/ipset/globalroot-0', '<ipset><name>Admins</name><value>192.168.110.10,10.1.1.1-10.1.1.6</value></ipset>');
    expect(ipset.status).toBe(201);
    expect(ipset.body).toBe('ipset-1');
    a.post(
      L3,
      `<section name="S">${rule(
        'r',
        '<sources><source><value>ipset-1</value><type>IPSet</type></source><source><value>vm-36</value><type>VirtualMachine</type></source><source><value>10.0.0.1-10.0.0.4</value><type>Ipv4Address</type></source></sources>' +
          dest('virtualwire-1', 'VirtualWire'),
      )}</section>`,
    );
    const hosts = m.manager.publish().hosts;
    const { host, filter } = filterOf(hosts, m.inventory, 'app-sv-01a');
    const line = filter!.l3.find((l) => l.id === 1005)!;
    expect(line.src.sets).toEqual(['ip-ipset-1', 'ip-vm-36']);
    expect(line.src.cidrs).toEqual(['10.0.0.1', '10.0.0.2/31', '10.0.0.4']);
    expect(line.dst.sets).toEqual(['ip-virtualwire-1']);
    expect(host.addressSets['ip-ipset-1']).toEqual(['10.1.1.1', '10.1.1.2/31', '10.1.1.4/31', '10.1.1.6', '192.168.110.10']);
    expect(host.addressSets['ip-vm-36']).toEqual(['172.16.10.11']);
    expect(host.addressSets['ip-virtualwire-1']).toEqual(['172.16.10.11', '172.16.10.12', '172.16.10.13']);
  });

  it('expands services into one kernel line each (ports, ICMP types, FTP ALG) and skips disabled rules', () => {
    const { manager, inventory } = withRules(
      rule('multi', '<services><service><value>application-1</value></service><service><value>application-7</value></service><service><value>application-9</value></service></services>') +
        '<rule disabled="true"><name>off</name><action>deny</action></rule>',
    );
    const lines = filterOf(manager.publish().hosts, inventory, 'web-sv-01a').filter!.l3.filter((l) => l.id === 1005);
    expect(lines.map((l) => [l.protocol, l.dstPorts, l.icmpType, l.alg])).toEqual([
      [6, [[80, 80]], undefined, undefined],
      [1, [], 8, undefined],
      [6, [[21, 21]], undefined, 'ftp'],
    ]);
    expect(filterOf(manager.hostRuleSets(), inventory, 'web-sv-01a').filter!.l3.some((l) => l.id === 1006)).toBe(false);
  });

  it('gives a VM without a Tools-reported IP nothing, so a rule naming it does not match it', () => {
    const { manager, inventory } = withRules(rule('to web', dest('securitygroup-10', 'SecurityGroup')));
    manager.publish();
    const inv = structuredClone(inventory);
    const vm = inv.vms.find((v) => v.name === 'web-sv-01b')!;
    vm.toolsRunning = false;
    vm.guestIps = [];
    manager.setInventory(inv);
    const hosts = manager.hostRuleSets();
    expect(filterOf(hosts, inv, 'web-sv-01a').host.addressSets['ip-securitygroup-10']).toEqual(['172.16.10.11', '172.16.10.13']);
    // Still a member of the group (its tag did not change), just with no address.
    expect(securityGroups(manager).find((g) => g.name === 'Web Servers')!.vms).toContain('vm-37');
  });

  it('follows an IP change reported by Tools (address sets, not rules, change)', () => {
    const { manager, inventory } = withRules(rule('to web', dest('securitygroup-10', 'SecurityGroup')));
    const before = manager.publish();
    const inv = structuredClone(inventory);
    inv.vms.find((v) => v.name === 'web-sv-01a')!.guestIps = ['172.16.10.99'];
    manager.setInventory(inv);
    const after = manager.hostRuleSets();
    expect(after[0]!.generation).toBe(before.generation);
    expect(filterOf(after, inv, 'web-sv-01a').host.addressSets['ip-securitygroup-10']).toEqual(['172.16.10.12', '172.16.10.13', '172.16.10.99']);
  });
});

describe('dynamic membership follows the inventory', () => {
  it('a new VM named web-… joins a group whose criteria are VM name starts with web-', () => {
    const { manager, ctx, inventory } = newManager();
    const a = api(manager);
    const current = parse(a.get('/api/2.0/services/securitygroup/securitygroup-10')).securitygroup[0];
    expect(current.name).toBe('Web Servers');
    const body =
      '<securitygroup><name>Web Servers</name><dynamicMemberDefinition><dynamicSet><operator>OR</operator>' +
      '<dynamicCriteria><operator>OR</operator><key>VM.NAME</key><criteria>starts_with</criteria><value>web-</value></dynamicCriteria>' +
      '</dynamicSet></dynamicMemberDefinition></securitygroup>';
    expect(a.put('/api/2.0/services/securitygroup/bulk/securitygroup-10', body).status).toBe(200);
    const inv = structuredClone(inventory);
    addVm(inv, 'web-sv-03a', 'vm-50', '172.16.10.14');
    addVm(inv, 'app-sv-09', 'vm-51', '172.16.20.19');
    ctx.events = [];
    manager.setInventory(inv);
    expect(securityGroups(manager).find((g) => g.name === 'Web Servers')!.vms).toEqual(['vm-36', 'vm-37', 'vm-40', 'vm-50']);
    expect(ctx.events.some((e) => e.kind === 'system' && e.text === 'VM web-sv-03a added to security group Web Servers')).toBe(true);
    const members = parse(a.get('/api/2.0/services/securitygroup/securitygroup-10/translation/virtualmachines')).vmnodes.vmnode.map((n: any) => n.vmName);
    expect(members).toContain('web-sv-03a');
    expect(parse(a.get('/api/2.0/services/securitygroup/lookup/virtualmachine/vm-50')).securityGroups.securityGroups.securitygroup.map((g: any) => g.name)).toEqual(['Web Servers']);
  });

  it('the preset groups go by tag: a new VM joins Web Servers once it carries the web tag', () => {
    const { manager, inventory } = newManager();
    const a = api(manager);
    const inv = structuredClone(inventory);
    addVm(inv, 'web-sv-03a', 'vm-50', '172.16.10.14');
    manager.setInventory(inv);
    expect(securityGroups(manager).find((g) => g.name === 'Web Servers')!.vms).not.toContain('vm-50');
    const web = securityTags(manager).find((t) => t.name === 'web')!;
    expect(a.put(`/api/2.0/services/securitytags/tag/${web.objectId}/vm/vm-50`).status).toBe(204);
    const group = securityGroups(manager).find((g) => g.name === 'Web Servers')!;
    expect(group.vms).toContain('vm-50');
    expect(group.ips).toContain('172.16.10.14');
  });

  it('combines criteria with AND/OR, static include/exclude and nesting', () => {
    const { manager } = newManager();
    const a = api(manager);
    const linux = a.post(
      '/api/2.0/services/securitygroup/bulk/globalroot-0',
      '<securitygroup><name>Ubuntu not web</name><dynamicMemberDefinition><dynamicSet><operator>OR</operator>' +
        '<dynamicCriteria><operator>OR</operator><key>VM.GUEST_OS_FULL_NAME</key><criteria>contains</criteria><value>ubuntu</value></dynamicCriteria>' +
        '<dynamicCriteria><operator>AND</operator><key>VM.NAME</key><criteria>!=</criteria><value>sec-mgr-01a</value></dynamicCriteria>' +
        '</dynamicSet><dynamicSet><operator>AND</operator><dynamicCriteria><operator>OR</operator><key>VM.SECURITY_TAG</key><criteria>!=</criteria><value>web</value></dynamicCriteria></dynamicSet>' +
        '</dynamicMemberDefinition><member><objectId>vm-41</objectId></member><excludeMember><objectId>vm-38</objectId></excludeMember></securitygroup>',
    );
    expect(linux.status).toBe(201);
    const id = linux.body;
    // Ubuntu and not sec-mgr → web VMs and app-sv-01a; AND no web tag → app-sv-01a; minus vm-38; plus db (static).
    expect(securityGroups(manager).find((g) => g.objectId === id)!.vms).toEqual(['vm-41']);
    const nested = a.post('/api/2.0/services/securitygroup/bulk/globalroot-0', `<securitygroup><name>Nest</name><member><objectId>${id}</objectId></member><member><objectId>securitygroup-11</objectId></member></securitygroup>`);
    expect(securityGroups(manager).find((g) => g.objectId === nested.body)!.vms).toEqual(['vm-38', 'vm-41']);
    const regex = a.post(
      '/api/2.0/services/securitygroup/bulk/globalroot-0',
      '<securitygroup><name>Regex</name><dynamicMemberDefinition><dynamicSet><dynamicCriteria><key>VM.GUEST_HOST_NAME</key><criteria>similar_to</criteria><value>^(db|app)-sv-\\d+a\\.corp</value></dynamicCriteria></dynamicSet></dynamicMemberDefinition></securitygroup>',
    );
    expect(securityGroups(manager).find((g) => g.objectId === regex.body)!.vms).toEqual(['vm-38', 'vm-41']);
  });
});

describe('Applied To', () => {
  it('gives each vNIC only the rules applied to it (VM, cluster, group, logical switch, vNIC, host)', () => {
    const inv = classroomInventory();
    const web01b = inv.vms.find((v) => v.name === 'web-sv-01b')!;
    const { manager, inventory } = withRules(
      rule('vm', applied('vm-36', 'VirtualMachine')) + // 1005
        rule('cluster', applied('domain-c26', 'ClusterComputeResource')) + // 1006
        rule('group', applied('securitygroup-11', 'SecurityGroup')) + // 1007
        rule('switch', applied('virtualwire-3', 'VirtualWire')) + // 1008
        rule('vnic', applied(vnicId(web01b, 0), 'Vnic')) + // 1009
        rule('host', applied('host-10', 'HostSystem')) + // 1010
        rule('everywhere', applied('DISTRIBUTED_FIREWALL', 'DISTRIBUTED_FIREWALL')), // 1011
    );
    const hosts = manager.publish().hosts;
    const defaults = [1003, 1002, 1001];
    expect(ruleIdsOf(hosts, inventory, 'web-sv-01a')).toEqual([1005, 1011, ...defaults]);
    expect(ruleIdsOf(hosts, inventory, 'app-sv-01a')).toEqual([1007, 1011, ...defaults]);
    expect(ruleIdsOf(hosts, inventory, 'web-sv-01b')).toEqual([1009, 1011, ...defaults]);
    expect(ruleIdsOf(hosts, inventory, 'web-sv-02a')).toEqual([1006, 1011, ...defaults]);
    expect(ruleIdsOf(hosts, inventory, 'db-sv-01a')).toEqual([1006, 1008, 1011, ...defaults]);
    expect(ruleIdsOf(hosts, inventory, 'vcsa-01a')).toEqual([1010, 1011, ...defaults]);
    expect(rulesPerClusterOf(manager)['domain-c26']).toEqual([1001, 1002, 1003, 1004, 1006, 1008, 1011]);
  });

  it('moves a group-applied rule with group membership', () => {
    const { manager, inventory, a } = withRules(rule('web only', applied('securitygroup-10', 'SecurityGroup')));
    manager.publish();
    const web = securityTags(manager).find((t) => t.name === 'web')!;
    a.put(`/api/2.0/services/securitytags/tag/${web.objectId}/vm/vm-38`);
    expect(ruleIdsOf(manager.hostRuleSets(), inventory, 'app-sv-01a')).toContain(1005);
    a.del(`/api/2.0/services/securitytags/tag/${web.objectId}/vm/vm-36`);
    expect(ruleIdsOf(manager.hostRuleSets(), inventory, 'web-sv-01a')).not.toContain(1005);
  });
});

describe('exclusion list', () => {
  it('excludes NSX Manager by default and gives excluded VMs no filter rules', () => {
    const { manager, inventory } = newManager();
    const a = api(manager);
    let hosts = manager.publish().hosts;
    const mgr = filterOf(hosts, inventory, 'nsxmgr-01a');
    expect(mgr.filter).toBeUndefined();
    expect(mgr.host.excluded).toEqual([mgr.name]);
    expect(exclusionList(manager)).toEqual([{ vmId: 'vm-12', name: 'nsxmgr-01a', system: true }]);

    expect(a.put('/api/2.1/app/excludelist/vm-11').status).toBe(200);
    hosts = manager.hostRuleSets();
    const vc = filterOf(hosts, inventory, 'vcsa-01a');
    expect(vc.filter).toBeUndefined();
    expect(vc.host.excluded.sort()).toEqual(['nic-35611-eth0-vmware-sfw.2', 'nic-35612-eth0-vmware-sfw.2']);
    const listed = parse(a.get('/api/2.1/app/excludelist')).VshieldAppConfiguration.excludeListConfiguration.excludeMember;
    expect(listed.map((m: any) => [m.member.objectId, m.systemResource])).toEqual([['vm-11', 'false']]);
    const all = parse(a.get('/api/2.1/app/excludelist?listSystemResources=true')).VshieldAppConfiguration.excludeListConfiguration.excludeMember;
    expect(all.map((m: any) => m.member.objectId)).toEqual(['vm-12', 'vm-11']);

    expect(a.del('/api/2.1/app/excludelist/vm-12').status).toBe(400);
    expect(a.del('/api/2.1/app/excludelist/vm-99').status).toBe(404);
    expect(a.put('/api/2.1/app/excludelist/vm-99').status).toBe(404);
    expect(a.del('/api/2.1/app/excludelist/vm-11').status).toBe(200);
    expect(filterOf(manager.hostRuleSets(), inventory, 'vcsa-01a').filter).toBeDefined();
  });
});

describe('L2 rules', () => {
  it('translate MAC sets and groups into mac- sets and ethertype lines', () => {
    const m = newManager();
    const a = api(m.manager);
    expect(a.post('/api/2.0/services/macset/globalroot-0', '<macset><name>gw</name><value>00:50:56:01:01:10</value></macset>').body).toBe('macset-1');
    a.post(L2, `<section name="L2">${rule('arp', '<sources><source><value>macset-1</value><type>MACSet</type></source></sources>' + dest('securitygroup-12', 'SecurityGroup') + '<services><service><value>application-25</value></service></services>')}</section>`);
    const { host, filter } = filterOf(m.manager.publish().hosts, m.inventory, 'db-sv-01a');
    expect(filter!.l2[0]).toMatchObject({ id: 1005, ethertype: 0x0806, src: { sets: ['mac-macset-1'] }, dst: { sets: ['mac-securitygroup-12'] } });
    expect(filter!.l2[1]).toMatchObject({ id: 1004, ethertype: 'any' });
    expect(host.addressSets['mac-securitygroup-12']).toEqual(['00:50:56:a1:00:41']);
    expect(host.addressSets['mac-macset-1']).toEqual(['00:50:56:01:01:10']);
  });
});

describe('SpoofGuard in translation', () => {
  it('uses approved and published bindings instead of Tools IPs when the network has SpoofGuard on', () => {
    const { manager, inventory, a } = withRules(rule('to web', dest('securitygroup-10', 'SecurityGroup')));
    manager.publish();
    const web01a = inventory.vms.find((v) => v.name === 'web-sv-01a')!;
    const id = vnicId(web01a, 0);
    const res = a.post('/api/4.0/services/spoofguard/policies/', '<spoofguardPolicy><name>Web</name><operationMode>MANUAL</operationMode><enforcementPoint><id>virtualwire-1</id></enforcementPoint></spoofguardPolicy>');
    expect(res.status).toBe(201);
    const policy = res.body;
    const set = () => filterOf(manager.hostRuleSets(), inventory, 'app-sv-01a').host.addressSets['ip-securitygroup-10'];
    expect(set()).toEqual([]); // nothing approved yet in MANUAL
    manager.setSpoofGuardBindings([{ vnicId: id, mac: '00:50:56:a1:00:36', ip: '172.16.10.11', approved: false }]);
    const pending = parse(a.get(`/api/4.0/services/spoofguard/${policy}?list=REVIEW_PENDING`)).spoofguardList.spoofguard;
    expect(pending.map((s: any) => s.id)).toEqual([id]);
    a.post(`/api/4.0/services/spoofguard/${policy}?action=approve`, `<spoofguardList><spoofguard><id>${id}</id><approvedIpAddress><ipAddress>172.16.10.11</ipAddress></approvedIpAddress></spoofguard></spoofguardList>`);
    expect(set()).toEqual([]); // approved, not yet published
    expect(parse(a.get(`/api/4.0/services/spoofguard/${policy}?list=UNPUBLISHED`)).spoofguardList.spoofguard).toHaveLength(1);
    a.post(`/api/4.0/services/spoofguard/${policy}?action=publish`);
    expect(set()).toEqual(['172.16.10.11']);
    // The IP-change bypass: the guest changes its IP, Tools reports it, the set keeps the approved one.
    const inv = structuredClone(inventory);
    inv.vms.find((v) => v.name === 'web-sv-01a')!.guestIps = ['172.16.10.200'];
    manager.setInventory(inv);
    expect(set()).toEqual(['172.16.10.11']);
  });

  it('trusts the first address seen in TOFU mode', () => {
    const { manager, inventory, a } = withRules(rule('to web', dest('securitygroup-10', 'SecurityGroup')));
    a.post('/api/4.0/services/spoofguard/policies', '<spoofguardPolicy><name>Web</name><operationMode>TOFU</operationMode><enforcementPoint><id>virtualwire-1</id></enforcementPoint></spoofguardPolicy>');
    const vm = inventory.vms.find((v) => v.name === 'web-sv-01b')!;
    manager.setSpoofGuardBindings([{ vnicId: vnicId(vm, 0), mac: vm.vnics[0]!.mac, ip: '172.16.10.12', approved: false }]);
    expect(filterOf(manager.hostRuleSets(), inventory, 'app-sv-01a').host.addressSets['ip-securitygroup-10']).toEqual(['172.16.10.12']);
    manager.setSpoofGuardBindings([
      { vnicId: vnicId(vm, 0), mac: vm.vnics[0]!.mac, ip: '172.16.10.12', approved: false },
      { vnicId: vnicId(vm, 0), mac: vm.vnics[0]!.mac, ip: '172.16.10.66', approved: false },
    ]);
    expect(filterOf(manager.hostRuleSets(), inventory, 'app-sv-01a').host.addressSets['ip-securitygroup-10']).toEqual(['172.16.10.12']);
  });
});

describe('Service Composer', () => {
  it('puts policy sections above user sections in weight order, bound to their groups', () => {
    const { manager, inventory, a } = withRules(rule('user rule', ''));
    const policy = (name: string, weight: number, service: string) =>
      `<securityPolicy><name>${name}</name><precedence>${weight}</precedence><securityGroupBinding><objectId>securitygroup-10</objectId></securityGroupBinding>` +
      `<actionsByCategory><category>firewall</category><action class="firewallSecurityAction"><name>${name} rule</name><action>allow</action><direction>inbound</direction>` +
      `<applications><application><objectId>${service}</objectId></application></applications></action></actionsByCategory></securityPolicy>`;
    const web = a.post('/api/2.0/services/policy/securitypolicy', policy('Allow WEB SP', 1300, 'application-1'));
    expect(web.status).toBe(201);
    expect(web.body).toMatch(/^policy-\d+$/);
    const icmp = a.post('/api/2.0/services/policy/securitypolicy', policy('Allow ICMP SP', 4300, 'application-7'));
    expect(icmp.status).toBe(201);
    expect(a.get('/api/2.0/services/policy/securitypolicy/maxprecedence').body).toBe('4300');
    const sections = firewallConfig(manager).layer3Sections;
    expect(sections.map((s) => [s.name, s.managedBy])).toEqual([
      ['Allow ICMP SP :: NSX Service Composer - Firewall', 'ServiceComposer'],
      ['Allow WEB SP :: NSX Service Composer - Firewall', 'ServiceComposer'],
      ['Test', undefined],
      ['Default Section Layer3', undefined],
    ]);
    const icmpSection = sections[0]!;
    const tag = a.get(`${L3}/${icmpSection.id}`).headers.ETag!;
    expect(a.del(`${L3}/${icmpSection.id}`, { 'If-Match': tag }).status).toBe(400);
    const hosts = manager.hostRuleSets();
    const webIds = ruleIdsOf(hosts, inventory, 'web-sv-01a');
    expect(webIds.slice(0, 3)).toEqual([icmpSection.rules[0]!.id, sections[1]!.rules[0]!.id, 1005]);
    expect(ruleIdsOf(hosts, inventory, 'db-sv-01a')).not.toContain(icmpSection.rules[0]!.id);
    const icmpLine = filterOf(hosts, inventory, 'web-sv-01a').filter!.l3[0]!;
    expect(icmpLine).toMatchObject({ protocol: 1, icmpType: 8, dst: { sets: ['ip-securitygroup-10'] } });
    // Weight changes reorder; deleting removes the section.
    const got = a.get(`/api/2.0/services/policy/securitypolicy/${web.body}`);
    expect(a.put(`/api/2.0/services/policy/securitypolicy/${web.body}`, got.body.replace('<precedence>1300</precedence>', '<precedence>9000</precedence>')).status).toBe(200);
    expect(firewallConfig(manager).layer3Sections[0]!.name).toMatch(/^Allow WEB SP/);
    expect(a.del(`/api/2.0/services/policy/securitypolicy/${icmp.body}`).status).toBe(204);
    expect(firewallConfig(manager).layer3Sections.map((s) => s.name)).toEqual(['Allow WEB SP :: NSX Service Composer - Firewall', 'Test', 'Default Section Layer3']);
  });
});
