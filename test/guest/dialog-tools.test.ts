/**
 * tnsping / sqlplus against the Oracle listener and rpcclient against Samba's endpoint mapper,
 * through the guests' TCP stacks and the hosts' filters: the control connection, then the
 * connection its server announced, which only the ALG service lets through a control-port-only rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi, ProbeResult } from '../../workers/lab/lab-api';
import { parseAppTool } from '../../workers/guest/app-tools';
import { boot } from '../scenario/helpers';
import { validateLabDocument } from '../../workers/lab/lab-document';

const L3 = '/api/4.0/firewall/globalroot-0/config/layer3sections';
const XML = { 'Content-Type': 'application/xml' };
const SQLPLUS = 'sqlplus scott/tiger@db-sv-01a/ORCL';
const RPCCLIENT = 'rpcclient -U alice%secret -c srvinfo ncacn_ip_tcp:app-sv-01a';

/** `from` ↔ `to` blocked both ways except one allow rule on `service` (an application id) from `from` to `to`. */
async function only(api: LabApi, service: string, from: string, to: string): Promise<void> {
  const rule = (name: string, action: string, src: string, dst: string, services = '') =>
    `<rule disabled="false" logged="true"><name>${name}</name><action>${action}</action><sources excluded="false"><source><value>${src}</value><type>SecurityGroup</type></source></sources><destinations excluded="false"><destination><value>${dst}</value><type>SecurityGroup</type></destination></destinations>${services}<direction>inout</direction><packetType>any</packetType></rule>`;
  const svc = service.startsWith('application-') ? `<service><value>${service}</value><type>Application</type></service>` : service;
  const body = `<section name="ALG lab">${rule('allow', 'allow', from, to, `<services>${svc}</services>`)}${rule('block', 'deny', from, to)}${rule('block back', 'deny', to, from)}</section>`;
  expect((await api.rest({ method: 'POST', path: L3, headers: XML, body })).status).toBe(201);
  await api.wait(2);
}
const tcpOnly = (port: number) => `<service><protocol>6</protocol><destinationPort>${port}</destinationPort></service>`;

/** The trace lines of the connection to `port` that a filter passed, with their detail. */
const passes = (r: ProbeResult, detail: RegExp) => r.trace.filter((t) => t.action === 'PASS' && detail.test(t.detail ?? ''));

let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('tnsping, sqlplus and rpcclient lines', () => {
  it('are checked before anything is sent', () => {
    expect(parseAppTool('tnsping')).toMatchObject({ ok: false, text: expect.stringContaining('Usage: tnsping') });
    expect(parseAppTool('sqlplus scott/tiger')).toEqual({ ok: false, text: 'ERROR:\nORA-12162: TNS:net service name is incorrectly specified' });
    expect(parseAppTool('sqlplus scott/tiger@db-sv-01a')).toMatchObject({ ok: false, text: expect.stringContaining('ORA-12154') });
    expect(parseAppTool('rpcclient db-sv-01a')).toMatchObject({ ok: false, text: expect.stringContaining('ncacn_ip_tcp:HOST') });
    expect(parseAppTool('rpcclient -c nosuch ncacn_ip_tcp:db')).toMatchObject({ ok: false });
    expect(parseAppTool('rpcclient -x ncacn_ip_tcp:db')).toMatchObject({ ok: false, text: expect.stringContaining('-x: unknown option') });
    expect(parseAppTool('tnsping //db-sv-01a:1522/ORCL')).toEqual({ ok: true, cmd: { tool: 'dialog', host: 'db-sv-01a', call: { tool: 'tnsping', port: 1522, args: { service: 'ORCL' } } } });
    expect(parseAppTool('sqlplus -L scott/tiger@//db-sv-01a/ORCLPDB1')).toEqual({ ok: true, cmd: { tool: 'dialog', host: 'db-sv-01a', call: { tool: 'sqlplus', port: 1521, args: { user: 'scott', service: 'ORCLPDB1' } } } });
    expect(parseAppTool("rpcclient -N -c 'lsaquery' ncacn_ip_tcp:app-sv-01a")).toEqual({ ok: true, cmd: { tool: 'dialog', host: 'app-sv-01a', call: { tool: 'rpcclient', port: 135, args: { command: 'lsaquery' } } } });
  });
});

describe('Oracle listener and clients', () => {
  it('answer as Oracle does with the firewall open: no listener, then a ping, a session, an unknown service', async () => {
    api = await boot(buildLab());
    const g = (cmd: string) => api.guest('app-sv-01a', cmd);
    expect(await g('tnsping db-sv-01a')).toMatch(/TNS-12541: TNS:no listener$/);
    expect(await g(SQLPLUS)).toMatch(/ERROR:\nORA-12541: TNS:no listener$/);
    expect(await api.guest('db-sv-01a', 'lsnrctl start')).toContain('Listening on: (DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=db-sv-01a)(PORT=1521)))');
    expect(await api.guest('db-sv-01a', 'lsnrctl start')).toContain('TNS-01106');
    const ping = await g('tnsping db-sv-01a/ORCL');
    expect(ping).toContain('Attempting to contact (DESCRIPTION=(CONNECT_DATA=(SERVICE_NAME=ORCL))(ADDRESS=(PROTOCOL=tcp)(HOST=172.16.30.11)(PORT=1521)))');
    expect(ping).toMatch(/\nOK \(\d+ msec\)$/);
    expect(await g(SQLPLUS)).toContain('Connected to:\nOracle Database 19c Enterprise Edition Release 19.0.0.0.0 - Production');
    expect(await g('sqlplus scott/tiger@db-sv-01a/NOPE')).toContain('ORA-12514: TNS:listener does not currently know of service requested in connect descriptor');
    // Both connections closed behind the client: nothing is left open on either side.
    expect(await g('ss -tn')).toBe('State      Local Address:Port        Peer Address:Port');
    expect(await api.guest('db-sv-01a', 'ss -tn')).toBe('State      Local Address:Port        Peer Address:Port');
    const events = api.lab.events.map((e) => e.text).join('\n');
    expect(events).toMatch(/db-sv-01a tnslsnr: \(DESCRIPTION=\(CONNECT_DATA=\(SERVICE_NAME=ORCL\).* \* establish \* ORCL \* 0 \(redirected to port \d+\)/);
    expect(events).toContain('* establish * NOPE * 12514');
    // The listener's state is saved with the lab, and the document still validates.
    const doc = JSON.parse(JSON.stringify(await api.lab.snapshot()));
    expect(validateLabDocument(doc)).toMatchObject({ ok: true });
    expect(JSON.stringify(doc)).toContain('"tnsd":{"ports":[]}');
  });

  it('with only 1521 allowed: tnsping answers but sqlplus times out through TCP/1521; ORACLE-TNS lets the redirected connection in once, named in the trace', async () => {
    api = await boot(buildLab());
    await api.guest('db-sv-01a', 'lsnrctl start');
    await only(api, tcpOnly(1521), 'securitygroup-11', 'securitygroup-12');
    expect(await api.guest('app-sv-01a', 'tnsping db-sv-01a')).toMatch(/OK \(\d+ msec\)$/);
    expect(await api.guest('app-sv-01a', SQLPLUS)).toMatch(/ERROR:\nORA-12170: TNS:Connect timeout occurred$/);
    expect(await api.guest('app-sv-01a', 'ss -tn')).not.toContain('ESTABLISHED'); // the client gave up both connections

    await api.lab.dispose();
    api = await boot(buildLab());
    await api.guest('db-sv-01a', 'lsnrctl start');
    await only(api, 'application-35', 'securitygroup-11', 'securitygroup-12');
    const r = await api.dialogSession('app-sv-01a', 'db-sv-01a', { tool: 'sqlplus', port: 1521, args: { user: 'scott', service: 'ORCL' } });
    expect(r.text).toContain('Connected to:');
    // The redirected connection passed by expectation on both hosts' filters (app on esxcomp-01a, db on esxcomp-02a).
    expect(passes(r.result, /^ALG expectation \(Oracle TNS\)/).length).toBe(2);
    expect(api.lab.events.map((e) => e.text).join('\n')).toMatch(/db-sv-01a oracle: LOGON SCOTT from 172\.16\.20\.11 on redirected port \d+/);
  });
});

describe('Samba endpoint mapper and rpcclient', () => {
  it('map each command to its interface port and call it; EPT answers decide what rpcclient prints', async () => {
    api = await boot(buildLab());
    const g = (cmd: string) => api.guest('web-sv-01a', cmd);
    expect(await g(RPCCLIENT)).toBe('Cannot connect to server.  Error was NT_STATUS_CONNECTION_REFUSED');
    expect(await api.guest('app-sv-01a', 'service samba-ad-dc start')).toBe('Starting Samba AD DC: [  OK  ]');
    expect(await g(RPCCLIENT)).toContain('APP-SV-01A     Wk Sv PDC Unx NT LMB');
    expect(await g('rpcclient -N -c lsaquery ncacn_ip_tcp:app-sv-01a')).toBe('Domain Name: CORP\nDomain Sid: S-1-5-21-3623811015-3361044348-30300820');
    expect(await g('rpcclient -N -c enumdomusers ncacn_ip_tcp:app-sv-01a')).toContain('user:[alice] rid:[0x44f]');
    const events = api.lab.events.map((e) => e.text).join('\n');
    expect(events).toContain('app-sv-01a samba: epmapper: ept_map from 172.16.10.11 for srvsvc -> port 49154');
    expect(events).toContain('app-sv-01a samba: lsarpc: lsaquery call from 172.16.10.11 on port 49152');
  });

  it('with only 135 allowed: the call times out through TCP/135; MS-RPC-TCP lets exactly the mapped port in, while the mapper connection lives', async () => {
    api = await boot(buildLab());
    await api.guest('app-sv-01a', 'service samba-ad-dc start');
    await only(api, tcpOnly(135), 'securitygroup-10', 'securitygroup-11');
    expect(await api.guest('web-sv-01a', RPCCLIENT)).toBe('Cannot connect to server.  Error was NT_STATUS_IO_TIMEOUT');

    await api.lab.dispose();
    api = await boot(buildLab());
    await api.guest('app-sv-01a', 'service samba-ad-dc start');
    await only(api, 'application-33', 'securitygroup-10', 'securitygroup-11');
    const r = await api.dialogSession('web-sv-01a', 'app-sv-01a', { tool: 'rpcclient', port: 135, args: { command: 'srvinfo' } });
    expect(r.text).toContain('APP-SV-01A');
    expect(passes(r.result, /^ALG expectation \(MS-RPC\)/).length).toBeGreaterThan(0);
    // Nothing else is open: the same port without a fresh ept_map answer meets the block rule.
    expect((await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 49154 })).verdict).toBe('dropped');
  });
});
