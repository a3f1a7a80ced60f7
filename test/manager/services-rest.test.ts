import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../workers/manager/types';
import { api, classroomInventory, FW, newManager, parse } from './fixtures';
import { vnicId } from '../../workers/protocol/inventory';
import { hostPublishStatus, securityGroups, securityTags } from './manager-views';

const SVC = '/api/2.0/services';

function setup() {
  const m = newManager();
  return { ...m, a: api(m.manager) };
}

describe('security tags', () => {
  it('lists system and preset tags, creates, attaches, detaches, lists VMs and deletes', () => {
    const { a, manager } = setup();
    const tags = parse(a.get(`${SVC}/securitytags/tag`)).securityTags.securityTag;
    expect(tags.some((t: any) => t.name === 'AntiVirus.virusFound' && t.systemResource === 'true')).toBe(true);
    expect(tags.find((t: any) => t.name === 'web').vmCount).toBe('3');
    const body = '<securityTag><objectTypeName>SecurityTag</objectTypeName><type><typeName>SecurityTag</typeName></type><name>quarantine</name><isUniversal>false</isUniversal><description></description><extendedAttributes></extendedAttributes></securityTag>';
    const created = a.post(`${SVC}/securitytags/tag`, body);
    expect(created.status).toBe(201);
    const id = created.body;
    expect(created.headers.Location).toBe(`${SVC}/securitytags/tag/${id}`);
    expect(a.post(`${SVC}/securitytags/tag`, body).status).toBe(400); // duplicate name
    expect(a.put(`${SVC}/securitytags/tag/${id}/vm/vm-41`).status).toBe(204);
    // by instance UUID too
    expect(a.put(`${SVC}/securitytags/tag/${id}/vm/5013bcd8-0040-4c6e-9a11-000000000040`).status).toBe(204);
    expect(a.put(`${SVC}/securitytags/tag/${id}/vm/vm-999`).status).toBe(404);
    expect(parse(a.get(`${SVC}/securitytags/tag/${id}/vm`)).basicinfolist.basicinfo.map((b: any) => b.name)).toEqual(['web-sv-02a', 'db-sv-01a']);
    expect(parse(a.get(`${SVC}/securitytags/vm/vm-41`)).securityTags.securityTag.map((t: any) => t.name)).toEqual(['db', 'quarantine']);
    const bulk = a.post(`${SVC}/securitytags/tag/${id}/vm?action=detach`, '<securityTagAssignment><tagParameter><key>vmname</key><value>db-sv-01a</value></tagParameter></securityTagAssignment>');
    expect(bulk.status).toBe(200);
    expect(securityTags(manager).find((t) => t.objectId === id)!.vms).toEqual(['vm-40']);
    expect(a.del(`${SVC}/securitytags/tag/${id}`).status).toBe(400); // still attached
    expect(a.del(`${SVC}/securitytags/tag/${id}/vm/vm-40`).status).toBe(204);
    expect(a.del(`${SVC}/securitytags/tag/${id}`).status).toBe(204);
    expect(a.get(`${SVC}/securitytags/tag/${id}`).status).toBe(404);
    expect(a.del(`${SVC}/securitytags/tag/securitytag-1`).status).toBe(400); // system tag
  });
});

describe('security groups', () => {
  it('creates empty and bulk, gets, lists by scope, updates, manages members and deletes (refusing in-use)', () => {
    const { a, manager } = setup();
    const empty = a.post(`${SVC}/securitygroup/globalroot-0`, '<securitygroup><name>Empty</name><member><objectId>vm-36</objectId></member></securitygroup>');
    expect(empty.status).toBe(201);
    expect(securityGroups(manager).find((g) => g.objectId === empty.body)!.vms).toEqual([]); // no membership on plain create
    expect(a.post(`${SVC}/securitygroup/bulk/globalroot-0`, '<securitygroup><name>Bad</name><member><objectId>vm-999</objectId></member></securitygroup>').status).toBe(400);
    expect(a.post(`${SVC}/securitygroup/bulk/globalroot-0`, '<securitygroup><name>Bad</name><dynamicMemberDefinition><dynamicSet><dynamicCriteria><key>VM.COLOUR</key><criteria>=</criteria><value>x</value></dynamicCriteria></dynamicSet></dynamicMemberDefinition></securitygroup>').status).toBe(400);
    expect(a.post(`${SVC}/securitygroup/bulk/nowhere-0`, '<securitygroup><name>X</name></securitygroup>').status).toBe(404);
    const list = parse(a.get(`${SVC}/securitygroup/scope/globalroot-0`)).list.securitygroup.map((g: any) => g.name);
    expect(list).toEqual(['Web Servers', 'App Servers', 'DB Servers', 'Empty']);
    const web = parse(a.get(`${SVC}/securitygroup/securitygroup-10`)).securitygroup[0];
    expect(web.dynamicMemberDefinition.dynamicSet.dynamicCriteria.key).toBe('VM.SECURITY_TAG');
    expect(a.put(`${SVC}/securitygroup/${empty.body}/members/vm-36`).status).toBe(204);
    expect(a.put(`${SVC}/securitygroup/${empty.body}/members/vm-36?failIfExists=true`).status).toBe(400);
    expect(securityGroups(manager).find((g) => g.objectId === empty.body)!.vms).toEqual(['vm-36']);
    expect(a.put(`${SVC}/securitygroup/${empty.body}/members/${empty.body}`).status).toBe(400); // itself
    // rename without touching members
    expect(a.put(`${SVC}/securitygroup/${empty.body}`, '<securitygroup><name>Renamed</name></securitygroup>').status).toBe(200);
    expect(securityGroups(manager).find((g) => g.objectId === empty.body)).toMatchObject({ name: 'Renamed', vms: ['vm-36'] });
    const ips = parse(a.get(`${SVC}/securitygroup/${empty.body}/translation/ipaddresses`)).ipNodes.ipNode.ipAddresses.string;
    expect(ips).toEqual(['172.16.10.11']);
    expect(a.del(`${SVC}/securitygroup/${empty.body}/members/vm-36`).status).toBe(204);
    expect(a.del(`${SVC}/securitygroup/${empty.body}/members/vm-36`).status).toBe(404);
    // in use by a rule → 400 with NSX's in-use code, unless forced
    a.post(`${FW}/config/layer3sections`, `<section name="S"><rule><name>r</name><action>allow</action><sources><source><value>${empty.body}</value><type>SecurityGroup</type></source></sources></rule></section>`);
    const inUse = a.del(`${SVC}/securitygroup/${empty.body}`);
    expect(inUse.status).toBe(400);
    expect(parse(inUse).error.errorCode).toBe('110510');
    expect(parse(inUse).error.details).toMatch(/in use by firewall section S with id 1005 in firewall rule r with id 1005/);
    expect(a.del(`${SVC}/securitygroup/${empty.body}?force=true`).status).toBe(204);
    expect(a.get(`${SVC}/securitygroup/${empty.body}`).status).toBe(404);
    // the rule now points at nothing: isValid false in the config
    const src = parse(a.get(`${FW}/config/layer3sections/1005`)).section[0].rule[0].sources.source[0];
    expect(src.isValid).toBe('false');
  });
});

describe('IP sets and services', () => {
  it('does IP set CRUD with validation', () => {
    const { a } = setup();
    expect(a.post(`${SVC}/ipset/globalroot-0`, '<ipset><name>bad</name><value>10.0.0.300</value></ipset>').status).toBe(400);
    const id = a.post(`${SVC}/ipset/globalroot-0`, '<ipset><name>Admins</name><value>192.168.110.10</value></ipset>').body;
    expect(parse(a.get(`${SVC}/ipset/${id}`)).ipset[0].value).toBe('192.168.110.10');
    expect(a.put(`${SVC}/ipset/${id}`, '<ipset><name>Admins</name><value>192.168.110.0/24,fe80::1</value></ipset>').status).toBe(200);
    expect(parse(a.get(`${SVC}/ipset/scope/globalroot-0`)).list.ipset[0].value).toBe('192.168.110.0/24,fe80::1');
    expect(a.del(`${SVC}/ipset/${id}`).status).toBe(204);
    expect(a.get(`${SVC}/ipset/${id}`).status).toBe(404);
  });

  it('lists predefined services, creates custom ones and refuses changes to predefined', () => {
    const { a, manager, inventory } = setup();
    const list = parse(a.get(`${SVC}/application/scope/globalroot-0`)).list.application;
    const byName = (n: string) => list.find((s: any) => s.name === n);
    expect(byName('HTTPS').element).toMatchObject({ applicationProtocol: 'TCP', value: '443' });
    expect(byName('FTP').element.applicationProtocol).toBe('FTP');
    expect(byName('IPv6-ICMP Neighbor Solicitation').objectId).toBe('application-10');
    const id = a.post(`${SVC}/application/globalroot-0`, '<application><name>App 8443</name><element><applicationProtocol>TCP</applicationProtocol><value>8443,9000-9010</value></element></application>').body;
    expect(id).toMatch(/^application-\d+$/);
    expect(a.post(`${SVC}/application/globalroot-0`, '<application><name>bad</name><element><applicationProtocol>TCP</applicationProtocol><value>99999</value></element></application>').status).toBe(400);
    expect(a.put(`${SVC}/application/application-1`, '<application><name>HTTP</name><element><applicationProtocol>TCP</applicationProtocol><value>81</value></element></application>').status).toBe(400);
    a.post(`${FW}/config/layer3sections`, `<section name="S"><rule><name>r</name><action>allow</action><services><service><value>${id}</value></service></services></rule></section>`);
    const line = manager.publish().hosts.find((h) => h.hostId === 'host-20')!.filters['nic-35678-eth0-vmware-sfw.2']!.l3[0]!;
    expect(line.dstPorts).toEqual([[8443, 8443], [9000, 9010]]);
    void inventory;
    const group = a.post(`${SVC}/applicationgroup/globalroot-0`, `<applicationGroup><name>Web</name><member><objectId>application-1</objectId></member></applicationGroup>`);
    expect(group.status).toBe(201);
    expect(a.put(`${SVC}/applicationgroup/${group.body}/members/application-2`).status).toBe(200);
    expect(parse(a.get(`${SVC}/applicationgroup/${group.body}`)).applicationGroup.member.length).toBe(2);
  });
});

describe('publish status, global configuration, thresholds, timers, flows', () => {
  it('reports per-cluster and per-host publish status from the control plane', () => {
    const { a, manager, ctx } = setup();
    const { generation } = manager.publish();
    let st = parse(a.get(`${FW}/status`)).firewallStatus;
    expect(st.status).toBe('inprogress');
    expect(st.generationNumber).toBe(String(generation));
    for (const h of ['host-10', 'host-20', 'host-21', 'host-30']) manager.markHostStatus(h, generation, 'published');
    st = parse(a.get(`${FW}/status`)).firewallStatus;
    expect(st.status).toBe('published');
    manager.markHostStatus('host-30', generation, 'failed');
    st = parse(a.get(`${FW}/status`)).firewallStatus;
    expect(st.status).toBe('failed');
    const clusterB = st.clusterList.clusterStatus.find((c: any) => c.clusterId === 'domain-c26');
    expect(clusterB.status).toBe('failed');
    expect(clusterB.hostStatusList.hostStatus[0]).toMatchObject({ hostId: 'host-30', hostName: 'esxcomp-02a', status: 'failed', errorCode: '301031' });
    expect(ctx.events.some((e) => e.code === 301031 && e.severity === 'error')).toBe(true);
    const section = parse(a.get(`${FW}/status/layer3sections/1003`)).sectionStatus;
    expect(section.sectionId).toBe('1003');
    // A late report of an older generation does not override a newer one.
    const next = manager.publish().generation;
    manager.markHostStatus('host-20', next, 'published');
    manager.markHostStatus('host-20', generation, 'failed');
    expect(hostPublishStatus(manager)['host-20']).toMatchObject({ generation: next, status: 'published' });
    expect(a.post('/api/4.0/firewall/forceSync/host-30').status).toBe(204);
    expect(hostPublishStatus(manager)['host-30']!.status).toBe('inprogress');
    expect(a.post('/api/4.0/firewall/forceSync/host-99').status).toBe(404);
  });

  it('reads and writes the global configuration (TCP strict reaches the kernel lines)', () => {
    const { a, manager } = setup();
    expect(parse(a.get('/api/4.0/firewall/config/globalconfiguration')).globalConfiguration.tcpStrictOption).toBe('false');
    expect(a.put('/api/4.0/firewall/config/globalconfiguration', '<globalConfiguration><layer3RuleOptimize>false</layer3RuleOptimize><layer2RuleOptimize>true</layer2RuleOptimize><tcpStrictOption>true</tcpStrictOption></globalConfiguration>').status).toBe(204);
    expect(parse(a.get('/api/4.0/firewall/config/globalconfiguration')).globalConfiguration.tcpStrictOption).toBe('true');
    expect(manager.hostRuleSets()[1]!.filters['nic-35677-eth0-vmware-sfw.2']!.l3.every((l) => l.tcpStrict)).toBe(true);
  });

  it('reads and writes event thresholds and session timers', () => {
    const { a } = setup();
    expect(parse(a.get('/api/4.0/firewall/stats/eventthresholds')).eventThresholds).toEqual({ cpu: { percentValue: '100' }, memory: { percentValue: '100' }, connectionsPerSecond: { value: '100000' } });
    expect(a.put('/api/4.0/firewall/stats/eventthresholds', '<eventThresholds><cpu><percentValue>80</percentValue></cpu><memory><percentValue>90</percentValue></memory><connectionsPerSecond><value>250000</value></connectionsPerSecond></eventThresholds>').status).toBe(200);
    expect(parse(a.get('/api/4.0/firewall/stats/eventthresholds')).eventThresholds.cpu.percentValue).toBe('80');
    const refused = a.put('/api/4.0/firewall/stats/eventthresholds', '<eventThresholds><cpu><percentValue>180</percentValue></cpu></eventThresholds>');
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('<details>cpu percentValue must be 0-100</details>');
    // A body that sets one threshold leaves the others as they were.
    expect(a.put('/api/4.0/firewall/stats/eventthresholds', '<eventThresholds><memory><percentValue>70</percentValue></memory></eventThresholds>').status).toBe(200);
    expect(parse(a.get('/api/4.0/firewall/stats/eventthresholds')).eventThresholds).toEqual({ cpu: { percentValue: '80' }, memory: { percentValue: '70' }, connectionsPerSecond: { value: '250000' } });
    const timers = parse(a.get(`${FW}/timeouts`)).timeoutConfigs.config[0];
    expect(timers).toMatchObject({ id: '1001', name: 'Default Session Timers', tcpEstablished: '43200', icmpErrorReply: '10' });
    const put = a.put(`${FW}/timeouts/1001`, `<config><generationNumber>${timers.generationNumber}</generationNumber><tcpEstablished>3600</tcpEstablished></config>`);
    expect(put.status).toBe(200);
    expect(a.put(`${FW}/timeouts/1001`, `<config><generationNumber>${timers.generationNumber}</generationNumber><tcpEstablished>3600</tcpEstablished></config>`).status).toBe(412);
    expect(a.del(`${FW}/timeouts/1001`).status).toBe(400);
  });

  it('serves flow statistics fed by recordFlows, empty but well formed before', () => {
    const { a, manager, ctx } = setup();
    const empty = parse(a.get('/api/2.1/app/flow/flowstats?contextId=datacenter-2&flowType=TCP_UDP&startTime=0&endTime=9999999999999&startIndex=0&pageSize=256')).FlowStatsPage;
    expect(empty.pagingInfo.totalCount).toBe('0');
    const flow: FlowRecord = { startTime: ctx.t, endTime: ctx.t + 1000, ruleId: 1001, blocked: 0, protocol: 0, direction: 0, sessions: 1, sourcePackets: 5, destinationPackets: 4, sourceBytes: 500, destinationBytes: 400, sourceIp: '172.16.10.11', destinationIp: '172.16.30.11', destinationPort: 3306, contextId: 'vm-41' };
    manager.recordFlows([flow, { ...flow, contextId: 'vm-36', destinationPort: 80 }]);
    const page = parse(a.get('/api/2.1/app/flow/flowstats?contextId=vm-41&flowType=TCP_UDP')).FlowStatsPage;
    expect(page.pagingInfo.totalCount).toBe('1');
    expect(page.flowStatsTcpUdp[0]).toMatchObject({ ruleId: '1001', destinationPort: '3306', blocked: '0' });
    expect(a.get('/api/2.1/app/flow/flowstats?flowType=BOGUS').status).toBe(400);
  });
});

describe('SpoofGuard policies', () => {
  it('creates, lists, updates and deletes policies; the default one stays', () => {
    const { a } = setup();
    const list = parse(a.get('/api/4.0/services/spoofguard/policies/')).spoofguardPolicies.spoofguardPolicy;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ policyId: 'spoofguardpolicy-1', operationMode: 'DISABLE', defaultPolicy: 'true' });
    const id = a.post('/api/4.0/services/spoofguard/policies/', '<spoofguardPolicy><name>DB</name><operationMode>TOFU</operationMode><enforcementPoint><id>virtualwire-3</id></enforcementPoint></spoofguardPolicy>').body;
    expect(a.post('/api/4.0/services/spoofguard/policies/', '<spoofguardPolicy><name>DB2</name><operationMode>TOFU</operationMode><enforcementPoint><id>virtualwire-3</id></enforcementPoint></spoofguardPolicy>').status).toBe(400);
    expect(a.post('/api/4.0/services/spoofguard/policies/', '<spoofguardPolicy><name>X</name><operationMode>SOMETIMES</operationMode></spoofguardPolicy>').status).toBe(400);
    expect(parse(a.get(`/api/4.0/services/spoofguard/policies/${id}`)).spoofguardPolicy[0].enforcementPoint.name).toBe('DB-LS');
    expect(a.put(`/api/4.0/services/spoofguard/policies/${id}`, '<spoofguardPolicy><name>DB</name><operationMode>MANUAL</operationMode><enforcementPoint><id>virtualwire-3</id></enforcementPoint></spoofguardPolicy>').status).toBe(204);
    const all = parse(a.get(`/api/4.0/services/spoofguard/${id}?list=ALL`)).spoofguardList.spoofguard;
    expect(all.map((s: any) => s.vmName)).toEqual(['db-sv-01a']);
    expect(a.del('/api/4.0/services/spoofguard/policies/spoofguardpolicy-1').status).toBe(400);
    expect(a.del(`/api/4.0/services/spoofguard/policies/${id}`).status).toBe(204);
    expect(a.get(`/api/4.0/services/spoofguard/policies/${id}`).status).toBe(404);
  });
});

describe('SpoofGuard trust on first use', () => {
  it('approves the address a vNIC was first seen with, not one it moved to before the policy existed (seed 003)', () => {
    const { a, manager } = setup();
    const vm = classroomInventory().vms.find((v) => v.name === 'db-sv-01a')!;
    const nic = vnicId(vm, 0);
    const mac = vm.vnics[0]!.mac.toLowerCase();
    // the host reports the Tools address it learned first and, later, an address the guest moved to ("0" sorts first)
    manager.setSpoofGuardBindings([
      { vnicId: nic, mac, ip: '172.16.30.11', approved: false, firstLearned: true },
      { vnicId: nic, mac, ip: '172.16.30.0', approved: false, firstLearned: false },
    ]);
    const id = a.post('/api/4.0/services/spoofguard/policies/', '<spoofguardPolicy><name>DB</name><operationMode>TOFU</operationMode><enforcementPoint><id>virtualwire-3</id></enforcementPoint></spoofguardPolicy>').body;
    const entry = parse(a.get(`/api/4.0/services/spoofguard/${id}?list=REVIEW_PENDING`)).spoofguardList.spoofguard[0];
    expect(entry.publishedIpAddress.ipAddress).toEqual(['172.16.30.11']);
    expect(entry.detectedIpAddress.ipAddress).toEqual(['172.16.30.0', '172.16.30.11']);
  });
});

describe('events', () => {
  it('writes an audit entry with before and after for each change and nothing for refusals', () => {
    const { a, ctx } = setup();
    ctx.events = [];
    const rule = a.get(`${FW}/config/layer3sections/1003/rules/1001`);
    a.put(`${FW}/config/layer3sections/1003/rules/1001`, rule.body.replace('<action>allow</action>', '<action>deny</action>'), { 'If-Match': rule.headers.ETag! });
    const audit = ctx.events.filter((e) => e.kind === 'audit');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.data).toMatchObject({ user: 'admin', operation: 'updated firewall rule', objectId: '1001', before: { action: 'allow' }, after: { action: 'deny' } });
    expect(ctx.events.some((e) => e.kind === 'system' && /published/.test(e.text))).toBe(true);
    ctx.events = [];
    a.put(`${FW}/config/layer3sections/1003/rules/1001`, rule.body, { 'If-Match': rule.headers.ETag! }); // stale now
    expect(ctx.events).toEqual([]);
  });
});
