/**
 * Service insertion through the whole lab: a partner service registered and deployed per host,
 * redirect rules published over the bus into each protected vNIC's slot 4, the partner's own
 * verdicts (a payload signature) in the trace and its threat log, REDIRECT in dfwpktlogs, and the
 * failure policy while the service VM is powered off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { boot } from '../scenario/helpers';
import { deployAcme, XML } from './helpers';
import { FirewallEditor } from '../../src/lib/nsx/firewall-editor.svelte';
import { NsxClient } from '../../src/lib/nsx/nsx-client.svelte';
import { Progress } from '../../src/lib/progress.svelte';

const REDIRECT = '/api/4.0/firewall/globalroot-0/config/layer3redirectsections';
const PROFILE = '/api/2.0/si/serviceprofile/serviceprofile-1';
const WEB_TO_APP = '<sources excluded="false"><source><value>securitygroup-10</value><type>SecurityGroup</type></source></sources><destinations excluded="false"><destination><value>securitygroup-11</value><type>SecurityGroup</type></destination></destinations>';
const profile = (fp: string, pattern?: string) =>
  `<serviceProfile><serviceProfileAttributes><attribute><key>failurePolicy</key><value>${fp}</value></attribute>${pattern ? `<attribute><key>block-pattern</key><value>${pattern}</value></attribute>` : ''}</serviceProfileAttributes></serviceProfile>`;

let api: LabApi;
afterEach(() => api?.lab.dispose());

const deployed = (failurePolicy: 'failOpen' | 'failClosed' = 'failClosed') => deployAcme(api, failurePolicy);

async function redirectRule(action: string, extra = ''): Promise<number> {
  const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/1002` });
  const etag = sec.headers.ETag ?? sec.headers.etag!;
  const body = `<rule logged="true"><name>Web to App</name><action>${action}</action>${WEB_TO_APP}${extra}<siProfile><objectId>serviceprofile-1</objectId></siProfile><direction>inout</direction></rule>`;
  const r = await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': etag }, body });
  expect(r.status, r.body).toBe(201);
  await api.wait(2);
  return Number(/<rule id="(\d+)"/.exec(r.body)![1]);
}

const FW = '/api/4.0/firewall/globalroot-0';

/** A redirect rule kept in a user-saved configuration ("with redirect"), then deleted from NSX Manager. */
async function savedThenDeleted(): Promise<{ id: number; draftId: string }> {
  api = await boot(buildLab());
  await deployed();
  const id = await redirectRule('redirect');
  const saved = await api.rest({ method: 'POST', path: `${FW}/drafts`, headers: XML, body: '<firewallDraft name="with redirect"><description>before cleanup</description><preserve>true</preserve></firewallDraft>' });
  expect(saved.status).toBe(201);
  const draftId = /<firewallDraft id="(\d+)"/.exec(saved.body)![1]!;
  const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/1002` });
  expect((await api.rest({ method: 'DELETE', path: `${REDIRECT}/1002/rules/${id}`, headers: { 'If-Match': sec.headers.ETag ?? sec.headers.etag! } })).status).toBe(204);
  await api.wait(2);
  return { id, draftId };
}

describe('partner service redirect', () => {
  it('refuses redirect rules before a service is registered, and a stale If-Match, changing nothing', async () => {
    api = await boot(buildLab());
    const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/1002` });
    const etag = sec.headers.ETag ?? sec.headers.etag!;
    const body = `<rule><name>x</name><action>redirect</action>${WEB_TO_APP}</rule>`;
    const r = await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': etag }, body });
    expect(r.status).toBe(400);
    expect(r.body).toContain('register one first');
    await deployed();
    const stale = await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': '1' }, body });
    expect(stale.status).toBeGreaterThanOrEqual(400);
    const bad = await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': etag }, body: body.replace('redirect', 'allow') });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('expected redirect or do_not_redirect');
    expect((await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules` })).body).not.toContain('<rule ');
    expect((await api.rest({ method: 'DELETE', path: `${REDIRECT}/1002`, headers: { 'If-Match': etag } })).status).toBe(400);
  });

  it('deploys a slot 4 serviceinstance filter per protected vNIC and publishes redirect rules to it (punt)', async () => {
    api = await boot(buildLab());
    await deployed();
    const id = await redirectRule('redirect');
    const dv = await api.host('esxcomp-01a', 'summarize-dvfilter');
    expect(dv).toMatch(/slowPathID: 1, agentName: serviceinstance-1, service: Acme IPS, SVM: Acme IPS \(1\) \(powered on, connected\)/);
    const slot4 = /name: (nic-\d+-eth0-serviceinstance-1\.4)\n {3}agentName: serviceinstance-1\n {3}state: IOChain Attached\n {3}vmState: Attached\n {3}failurePolicy: failClosed/.exec(dv);
    expect(slot4).not.toBeNull();
    // Slot 4 is listed above slot 2, as summarize-dvfilter orders slots; hosts of Cluster B have none.
    expect(dv.indexOf('vNic slot 4')).toBeLessThan(dv.indexOf('vNic slot 2'));
    expect(await api.host('esxcomp-02a', 'summarize-dvfilter')).not.toContain('slot 4');
    const rules = await api.host('esxcomp-01a', `vsipioctl getrules -f ${slot4![1]}`);
    expect(rules).toContain(`rule ${id} at 1 inout protocol any from addrset ip-securitygroup-10 to addrset ip-securitygroup-11 punt with log;`);
    expect(await api.host('esxcomp-01a', 'vim-cmd vmsvc/getallvms')).toMatch(/100\s+Acme IPS \(1\)/);
    // vsfwd programs slot 4 from the same rule set; its redirect lines are not a "default drop rule".
    const vsfwd = api.lab.events.map((e) => e.text);
    expect(vsfwd.some((t) => t.includes(`applied serviceinstance redirect ruleset`) && t.includes(slot4![1]))).toBe(true);
    expect(vsfwd.some((t) => t.includes('Enabling TCP strict policy for default drop rule'))).toBe(false);
    const cfg = await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config?ruleType=L3REDIRECT' });
    expect(cfg.body).toMatch(/<layer3Sections\/><layer2Sections\/><layer3RedirectSections><section id="1002"[^>]*type="L3REDIRECT"><rule id="\d+"[^>]*><name>Web to App<\/name><action>redirect<\/action>/);
    expect((await api.rest({ method: 'GET', path: '/api/4.0/firewall/globalroot-0/config?ruleType=LAYER3' })).body).toContain('<layer3RedirectSections/>');
  });

  it('publish status names a host published only once its slot 4 filters hold the redirect rule (the whole configuration applied)', async () => {
    api = await boot(buildLab());
    await deployed();
    const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/1002` });
    const body = `<rule logged="true"><name>Web to App</name><action>redirect</action>${WEB_TO_APP}<siProfile><objectId>serviceprofile-1</objectId></siProfile><direction>inout</direction></rule>`;
    expect((await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': sec.headers.ETag ?? sec.headers.etag! }, body })).status).toBe(201);
    // Read at once, with no lab time passing: whatever a host is said to run, it runs.
    const status = (await api.rest({ method: 'GET', path: `${FW}/status` })).body;
    const generation = /<\/startTime><status>\w+<\/status><generationNumber>(\d+)/.exec(status)![1]!;
    const hosts = [...status.matchAll(/<hostId>(host-\d+)<\/hostId><hostName>[^<]*<\/hostName><status>(\w+)<\/status>[\s\S]*?<generationNumber>(\d+)<\/generationNumber>/g)].map((m) => ({ id: m[1]!, status: m[2]!, generation: m[3]! }));
    expect(hosts.map((h) => h.id).sort()).toEqual(['host-10', 'host-20', 'host-21', 'host-30']);
    for (const h of hosts.filter((x) => x.status === 'published' && x.generation === generation && ['host-20', 'host-21'].includes(x.id))) {
      const name = h.id === 'host-20' ? 'esxcomp-01a' : 'esxcomp-01b';
      const slot4 = /name: (nic-\d+-eth0-serviceinstance-1\.4)/.exec(await api.host(name, 'summarize-dvfilter'))![1]!;
      expect(await api.host(name, `vsipioctl getrules -f ${slot4}`), `${name} is said to run generation ${generation}`).toContain('punt with log;');
    }
    // Cluster A's hosts did get the rule (neither is left "up to date" with an old rule set).
    expect(hosts.filter((h) => ['host-20', 'host-21'].includes(h.id)).every((h) => h.status === 'published' && h.generation === generation)).toBe(true);
  });

  it('the partner blocks a payload the DFW allows, with its own verdict in the trace, a threat log line and REDIRECT in dfwpktlogs', async () => {
    api = await boot(buildLab());
    await deployed();
    const id = await redirectRule('redirect');
    expect((await api.rest({ method: 'PUT', path: PROFILE, headers: XML, body: profile('failClosed', '/etc/passwd') })).status).toBe(200);
    await api.wait(1);
    const ok = await api.guest('web-sv-01a', 'curl -m 5 http://app-sv-01a:8443/index.html');
    const blocked = await api.guest('web-sv-01a', 'curl -m 5 http://app-sv-01a:8443/etc/passwd');
    expect(ok).not.toEqual(blocked);
    // The handshake went through (the signature matches the request, not the SYN): curl waited for data.
    expect(blocked).toBe('curl: (28) Operation timed out after 5001 milliseconds with 0 bytes received');
    expect(await api.guest('web-sv-01a', 'curl http://app-sv-01a:8443/etc/passwd')).toBe('curl: (56) Recv failure: Connection timed out');
    const probe = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    expect(probe.verdict).toBe('allowed');
    const hop = probe.trace.find((r) => r.slot === 4 && r.hop.startsWith('web-sv-01a'));
    expect(hop).toMatchObject({ table: 'partner', action: 'PASS', ruleId: id });
    expect(hop!.detail).toContain('no signature matched');
    const events = api.lab.events.map((e) => e.text);
    expect(events.some((t) => /Acme IPS \(1\) Acme IPS: BLOCK signature 1 "Block \/etc\/passwd" matched "\/etc\/passwd" 172\.16\.10\.11\/\d+->172\.16\.20\.11\/8443 TCP/.test(t))).toBe(true);
    expect(events.some((t) => new RegExp(`INET match REDIRECT domain-c25/${id} OUT \\d+ TCP 172\\.16\\.10\\.11/\\d+->172\\.16\\.20\\.11/8443 S`).test(t))).toBe(true);
  });

  it('do not redirect keeps traffic away from the partner; with the SVM off the failure policy decides', async () => {
    api = await boot(buildLab());
    await deployed();
    const id = await redirectRule('redirect');
    expect(await api.host('esxcomp-01a', 'vim-cmd vmsvc/power.off 100')).toBe('Powering off VM:');
    const closed = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    expect(closed.verdict).toBe('dropped');
    expect(closed.ruleId).toBe(id);
    expect(closed.trace.find((r) => r.slot === 4 && r.action === 'DROP')!.detail).toContain('powered off: the service\'s failure policy failClosed drops it');
    // Dropped from the SYN on: curl never connects.
    expect(await api.guest('web-sv-01a', 'curl -m 5 http://app-sv-01a:8443/')).toBe('curl: (28) Connection timed out after 5001 milliseconds');
    expect(await api.host('esxcomp-01a', 'summarize-dvfilter')).toContain('vmState: Detached');
    // web-sv-01b runs on esxcomp-01b, whose SVM is still on.
    expect((await api.probe({ from: 'web-sv-01b', to: 'app-sv-01a', proto: 'tcp', port: 8443 })).verdict).toBe('dropped'); // app-sv-01a's own host inspects inbound
    expect((await api.rest({ method: 'PUT', path: PROFILE, headers: XML, body: profile('failOpen') })).status).toBe(200);
    await api.wait(1);
    const open = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    expect(open.verdict).toBe('allowed');
    expect(open.trace.find((r) => r.slot === 4)!.detail).toContain('failOpen lets the packet pass uninspected');
    expect(await api.host('esxcomp-01a', 'vim-cmd vmsvc/power.off 100')).toContain('InvalidPowerState');
    expect(await api.host('esxcomp-01a', 'vim-cmd vmsvc/power.on 100')).toBe('Powering on VM:');
    // A do-not-redirect rule above keeps web → app on the fast path, whatever the partner says.
    const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/1002` });
    const r = await api.rest({ method: 'POST', path: `${REDIRECT}/1002/rules`, headers: { ...XML, 'If-Match': sec.headers.ETag ?? sec.headers.etag! }, body: `<rule><name>Skip</name><action>do_not_redirect</action>${WEB_TO_APP}</rule>` });
    expect(r.status).toBe(201);
    await api.wait(2);
    const skipped = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    expect(skipped.trace.find((x) => x.slot === 4)).toMatchObject({ table: 'redirect', reason: 'match', detail: 'Do not redirect: the packet stays on the fast path' });
  });
  it("narrows a redirect rule to its Applied To: a rule applied to App's group reaches only App's slot 4", async () => {
    api = await boot(buildLab());
    await deployed();
    const id = await redirectRule('redirect', '<appliedToList><appliedTo><value>securitygroup-11</value><type>SecurityGroup</type></appliedTo></appliedToList>');
    const rule = await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules/${id}` });
    expect(rule.body).toMatch(/<appliedToList><appliedTo><name>[^<]*<\/name><value>securitygroup-11<\/value><type>SecurityGroup<\/type>/);
    const dv = await api.host('esxcomp-01a', 'summarize-dvfilter');
    const slot4Of = (vm: string) => new RegExp(`vmm0:${vm} [^\\n]*\\n port \\d+ ${vm}\\.eth0\\n  vNic slot 4\\n   name: (\\S+)`).exec(dv)![1]!;
    expect(await api.host('esxcomp-01a', `vsipioctl getrules -f ${slot4Of('web-sv-01a')}`)).not.toContain(`rule ${id} `);
    expect(await api.host('esxcomp-01a', `vsipioctl getrules -f ${slot4Of('app-sv-01a')}`)).toContain(`rule ${id} at 1 inout protocol any from addrset ip-securitygroup-10 to addrset ip-securitygroup-11 punt with log;`);
    const probe = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const hops = probe.trace.filter((r) => r.slot === 4);
    expect(hops.find((r) => r.hop.startsWith('web-sv-01a'))).toMatchObject({ table: 'redirect', action: 'PASS' });
    expect(hops.find((r) => r.hop.startsWith('web-sv-01a'))!.ruleId).toBeUndefined();
    expect(hops.find((r) => r.hop.startsWith('app-sv-01a'))).toMatchObject({ table: 'partner', ruleId: id });
  });
  it('runs one partner service per cluster: a second deployment there is refused whole, with NSX\'s error body', async () => {
    api = await boot(buildLab());
    await deployed();
    const deploy = (xml: string) => api.rest({ method: 'POST', path: '/api/2.0/si/deploy', headers: XML, body: `<clusterDeploymentConfigs>${xml}</clusterDeploymentConfigs>` });
    const on = (cluster: string, service: string) => `<clusterDeploymentConfig><clusterId>${cluster}</clusterId><services><serviceDeploymentConfig><serviceId>${service}</serviceId></serviceDeploymentConfig></services></clusterDeploymentConfig>`;
    const again = await deploy(on('domain-c25', 'service-1'));
    expect(again.status).toBe(400);
    expect(again.body).toMatch(/<error><details>Service deployment failed on cluster Compute Cluster A \(domain-c25\): Acme IPS is already deployed there, and a cluster runs one partner service\.<\/details><errorCode>\d+<\/errorCode><moduleName>service-insertion<\/moduleName><\/error>/);
    expect((await api.rest({ method: 'POST', path: '/api/2.0/si/service', headers: XML, body: '<service><name>Other IDS</name></service>' })).status).toBe(201);
    // Cluster B is free, A is not: nothing of the request is deployed.
    const mixed = await deploy(on('domain-c26', 'service-2') + on('domain-c25', 'service-2'));
    expect(mixed.status).toBe(400);
    expect(mixed.body).toContain('Acme IPS is already deployed there');
    const where = (await api.rest({ method: 'GET', path: '/api/2.0/si/deploy' })).body;
    expect(where.match(/<deployedService>/g)).toHaveLength(1);
    expect(where).not.toContain('service-2');
    expect((await deploy(on('domain-c26', 'service-2'))).status).toBe(202);
  });
  it('a Service Composer policy redirects with the firewall\'s construct: its traffic steering action becomes a managed redirect section', async () => {
    api = await boot(buildLab());
    await deployed();
    const SP = '/api/2.0/services/policy/securitypolicy';
    const policy = (profileId: string, redirect: boolean) =>
      `<securityPolicy><name>Inspect App</name><precedence>6300</precedence><securityGroupBinding><objectId>securitygroup-11</objectId></securityGroupBinding><actionsByCategory><category>traffic_steering</category><action class="trafficSteeringSecurityAction"><name>Web to App via IPS</name><category>traffic_steering</category><isEnabled>true</isEnabled><logged>true</logged><serviceProfile><objectId>${profileId}</objectId></serviceProfile><secondarySecurityGroup><objectId>securitygroup-10</objectId></secondarySecurityGroup><redirect>${redirect}</redirect><direction>inbound</direction></action></actionsByCategory></securityPolicy>`;
    const bad = await api.rest({ method: 'POST', path: SP, headers: XML, body: policy('serviceprofile-9', true) });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Service profile serviceprofile-9 does not exist');
    const made = await api.rest({ method: 'POST', path: SP, headers: XML, body: policy('serviceprofile-1', true) });
    expect(made.status, made.body).toBe(201);
    await api.wait(2);
    const read = await api.rest({ method: 'GET', path: `${SP}/${made.body}` });
    expect(read.body).toMatch(/<actionsByCategory><category>traffic_steering<\/category><action class="trafficSteeringSecurityAction"><name>Web to App via IPS<\/name>.*<serviceProfile><objectId>serviceprofile-1<\/objectId><name>Acme IPS<\/name><\/serviceProfile>.*<redirect>true<\/redirect><direction>inbound<\/direction>/);
    const sections = (await api.rest({ method: 'GET', path: REDIRECT })).body;
    const managed = /<section id="(\d+)" name="Inspect App :: NSX Service Composer - Network Introspection"[^>]*managedBy="ServiceComposer"><rule id="(\d+)"[^>]*><name>Web to App via IPS<\/name><action>redirect<\/action>/.exec(sections);
    expect(managed, sections).not.toBeNull();
    expect(sections.indexOf('Network Introspection')).toBeLessThan(sections.indexOf('id="1002"'));
    // Inbound to the policy's group: from Web's group to App's, applied to App's vNICs only.
    const probe = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    const hops = probe.trace.filter((r) => r.slot === 4);
    expect(hops.find((r) => r.hop.startsWith('app-sv-01a'))).toMatchObject({ table: 'partner', ruleId: Number(managed![2]) });
    expect(hops.find((r) => r.hop.startsWith('web-sv-01a'))!.ruleId).toBeUndefined();
    // The section is the policy's: the API refuses to change it directly.
    const sec = await api.rest({ method: 'GET', path: `${REDIRECT}/${managed![1]}` });
    const del = await api.rest({ method: 'DELETE', path: `${REDIRECT}/${managed![1]}`, headers: { 'If-Match': sec.headers.ETag ?? sec.headers.etag! } });
    expect(del.status).toBe(400);
    expect(del.body).toContain('managed by ServiceComposer');
    // Do not redirect, then no policy: the section follows the policy.
    expect((await api.rest({ method: 'PUT', path: `${SP}/${made.body}`, headers: XML, body: policy('serviceprofile-1', false) })).status).toBe(200);
    await api.wait(2);
    const kept = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 });
    expect(kept.trace.find((r) => r.slot === 4 && r.hop.startsWith('app-sv-01a'))).toMatchObject({ table: 'redirect', reason: 'match', ruleId: Number(managed![2]) });
    expect((await api.rest({ method: 'DELETE', path: `${SP}/${made.body}` })).status).toBe(204);
    await api.wait(2);
    expect((await api.rest({ method: 'GET', path: REDIRECT })).body).not.toContain('Network Introspection');
  });
  it('saved configurations keep the redirect sections, and loading one (PUT /config with its <config>) restores them', async () => {
    const { id, draftId } = await savedThenDeleted();
    expect((await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 })).trace.find((r) => r.slot === 4)!.table).toBe('redirect');
    // The autosave of that publish has no redirect rule; the user's save still has it.
    const drafts = (await api.rest({ method: 'GET', path: `${FW}/drafts` })).body;
    const autosaved = /<firewallDraft id="(\d+)"[^>]*><description>redirect rule \d+ deleted<\/description>/.exec(drafts)![1];
    expect((await api.rest({ method: 'GET', path: `${FW}/drafts/${autosaved}` })).body).toMatch(/<layer3RedirectSections><section id="1002"[^>]*\/><\/layer3RedirectSections>/);
    const draft = await api.rest({ method: 'GET', path: `${FW}/drafts/${draftId}` });
    expect(draft.body).toMatch(new RegExp(`<layer3RedirectSections><section id="1002"[^>]*><rule id="${id}"[^>]*><name>Web to App</name><action>redirect</action>`));
    const config = /<config[^>]*>([\s\S]*)<\/config>/.exec(draft.body)![1];
    const cfg = await api.rest({ method: 'GET', path: `${FW}/config` });
    const put = await api.rest({ method: 'PUT', path: `${FW}/config`, headers: { ...XML, 'If-Match': cfg.headers.ETag ?? cfg.headers.etag! }, body: `<firewallConfiguration>${config}</firewallConfiguration>` });
    expect(put.status, put.body).toBe(200);
    await api.wait(2);
    expect((await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules/${id}` })).body).toContain('<action>redirect</action>');
    const hop = (await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 })).trace.find((r) => r.slot === 4 && r.hop.startsWith('web-sv-01a'));
    expect(hop).toMatchObject({ table: 'partner', ruleId: id });
  });

  it("the Firewall screen's Load of a saved configuration puts its redirect rules back on Publish, through the same PUT /config", async () => {
    const { id, draftId } = await savedThenDeleted();
    expect((await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules/${id}` })).status).toBe(404);

    const screen = new FirewallEditor(new NsxClient({ api }), new Progress(), (s) => api.wait(s));
    await screen.load();
    await screen.loadSaved(draftId, 'with redirect');
    expect(screen.dirty).toBe(true);
    // Nothing changes on NSX Manager until Publish.
    expect((await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules/${id}` })).status).toBe(404);
    expect(await screen.publish()).toBe('published');
    await api.wait(2);
    expect((await api.rest({ method: 'GET', path: `${REDIRECT}/1002/rules/${id}` })).body).toContain('<action>redirect</action>');
    // The first packets are ARP (no probe warmed the caches): the redirect rule takes the TCP ones.
    const hop = (await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443 })).trace.find((r) => r.slot === 4 && r.packetKind === 'ip' && r.hop.startsWith('web-sv-01a'));
    expect(hop).toMatchObject({ table: 'partner', ruleId: id });
    // The working copy read back after Publish carries nothing more to restore.
    expect(screen.dirty).toBe(false);
    expect(screen.working?.redirectSections).toBeUndefined();
  });
});
