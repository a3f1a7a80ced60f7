/**
 * The identity firewall through the whole lab: a console logon reaches NSX Manager through Guest
 * Introspection after its delay, security groups that include a directory group follow the user
 * from VM to VM, the REST API shows the mapping, and the probe names the identity that matched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { editDirectory, initialIdentity, userName } from '../../workers/manager/identity/directory';
import { boot } from '../scenario/helpers';

const XML = { 'Content-Type': 'application/xml' };
const L3 = '/api/4.0/firewall/globalroot-0/config/layer3sections';

/** A security group "Finance users" holding directory group CORP\Finance, and rules: Finance users → App Servers 8443 allowed, anyone else → App Servers 8443 blocked. */
async function financeRules(api: LabApi): Promise<string> {
  const sg = await api.rest({ method: 'POST', path: '/api/2.0/services/securitygroup/bulk/globalroot-0', headers: XML, body: '<securitygroup><name>Finance users</name><member><objectId>directory_group_1</objectId></member></securitygroup>' });
  expect(sg.status).toBe(201);
  const id = sg.body.trim();
  const svc = '<services><service><protocol>6</protocol><destinationPort>8443</destinationPort></service></services>';
  const dst = '<destinations excluded="false"><destination><value>securitygroup-11</value><type>SecurityGroup</type></destination></destinations>';
  const body = `<section name="Identity lab"><rule disabled="false" logged="false"><name>Finance app</name><action>allow</action><sources excluded="false"><source><value>${id}</value><type>SecurityGroup</type></source></sources>${dst}${svc}<direction>inout</direction><packetType>any</packetType></rule><rule disabled="false" logged="false"><name>Nobody else</name><action>deny</action>${dst}${svc}<direction>inout</direction><packetType>any</packetType></rule></section>`;
  const sec = await api.rest({ method: 'POST', path: L3, headers: XML, body });
  expect(sec.status).toBe(201);
  await api.wait(2);
  return id;
}

const toFinance = (api: LabApi, from: string) => api.probe({ from, to: 'app-sv-01a', proto: 'tcp', port: 8443 });

let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('identity firewall', () => {
  it('the directory refuses bad edits and changes nothing', () => {
    const s = initialIdentity();
    expect(() => editDirectory(s, { op: 'add-user', name: 'Alice Smith' })).toThrow(/user name/);
    expect(() => editDirectory(s, { op: 'add-user', name: 'alice' })).toThrow(/already exists/);
    expect(() => editDirectory(s, { op: 'member', user: 'alice', group: 'directory_group_9', member: true })).toThrow(/No directory group/);
    expect(s).toEqual(initialIdentity());
    editDirectory(s, { op: 'add-group', name: 'Auditors' });
    editDirectory(s, { op: 'member', user: 'bob', group: 'directory_group_3', member: true });
    expect(s.users.find((u) => u.name === 'bob')!.groups).toEqual(['directory_group_2', 'directory_group_3']);
    expect([userName('CORP\\Alice'), userName('alice@corp.local'), userName('x y')]).toEqual(['alice', 'alice', undefined]);
  });

  it('rules follow the user: learned after the Guest Introspection delay, gone when bob takes the seat, back on the VM alice moves to', async () => {
    api = await boot(buildLab());
    await financeRules(api);
    expect((await toFinance(api, 'web-sv-02a')).verdict).toBe('dropped');

    expect(await api.guest('web-sv-02a', 'login alice')).toBe('alice logged on to web-sv-02a (CORP\\alice)');
    expect(await api.guest('web-sv-02a', 'whoami')).toBe('alice');
    expect((await toFinance(api, 'web-sv-02a')).verdict).toBe('dropped'); // NSX has not learned it yet
    await api.wait(6);
    const allowed = await toFinance(api, 'web-sv-02a');
    expect(allowed.verdict).toBe('allowed');
    expect(allowed.identity).toBe('the source matched by identity: CORP\\alice is logged on at web-sv-02a and is in directory group CORP\\Finance (security group Finance users)');
    const mapping = await api.rest({ method: 'GET', path: '/api/1.0/identity/userIpMapping' });
    expect(mapping.body).toMatch(/<userName>CORP\\alice<\/userName><ip>172\.16\.10\.13<\/ip><vmId>vm-40<\/vmId><vmName>web-sv-02a<\/vmName>/);
    expect((await api.rest({ method: 'GET', path: '/api/1.0/identity/directoryGroupsForUser?user=CORP\\alice' })).body).toContain('<name>Finance</name>');
    expect((await api.rest({ method: 'GET', path: '/api/1.0/directory/listDomains' })).body).toContain('<netbiosName>CORP</netbiosName>');
    expect((await toFinance(api, 'web-sv-01a')).verdict).toBe('dropped');

    expect(await api.guest('web-sv-02a', 'login bob')).toBe('alice logged off from web-sv-02a\nbob logged on to web-sv-02a (CORP\\bob)');
    await api.wait(6);
    const blocked = await toFinance(api, 'web-sv-02a');
    expect(blocked.verdict).toBe('dropped');
    expect(blocked.identity).toBeUndefined();

    await api.guest('web-sv-01a', 'login CORP\\alice');
    await api.wait(6);
    expect((await toFinance(api, 'web-sv-01a')).verdict).toBe('allowed');
    expect((await api.identity()).logons.map((l) => [l.user, l.vmName])).toEqual([['bob', 'web-sv-02a'], ['alice', 'web-sv-01a']]);
    expect(api.lab.events.some((e) => e.text.includes('CORP\\alice logged on to web-sv-01a'))).toBe(true);
  });

  it('with VMware Tools stopped Guest Introspection reports nothing; directory edits change membership at once', async () => {
    api = await boot(buildLab());
    await financeRules(api);
    await api.guest('web-sv-02a', 'service vmware-tools stop');
    expect(await api.guest('web-sv-02a', 'login alice')).toContain('Guest Introspection cannot report it');
    await api.wait(6);
    expect((await toFinance(api, 'web-sv-02a')).verdict).toBe('dropped');

    await api.guest('web-sv-01b', 'login bob');
    await api.wait(6);
    expect((await toFinance(api, 'web-sv-01b')).verdict).toBe('dropped');
    const view = await api.editDirectory({ op: 'member', user: 'bob', group: 'directory_group_1', member: true });
    expect(view.securityGroups).toEqual([expect.objectContaining({ name: 'Finance users', directoryGroups: ['CORP\\Finance'], vms: ['vm-37'] })]);
    await api.wait(2);
    expect((await toFinance(api, 'web-sv-01b')).verdict).toBe('allowed');
    await expect(api.editDirectory({ op: 'add-user', name: 'bob' })).rejects.toThrow('The user bob already exists');
  });
});
