/**
 * The guest console's ftp and rpcinfo against vsftpd and the NFS server's portmapper: real
 * control and data connections through the vNICs, so the firewall and its ALGs decide.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { LabApi } from '../../workers/lab/lab-api';
import { parseAppTool } from '../../workers/guest/app-tools';
import { boot } from '../scenario/helpers';

const L3 = '/api/4.0/firewall/globalroot-0/config/layer3sections';
const XML = { 'Content-Type': 'application/xml' };

/** Web Servers ↔ App Servers blocked both ways except one allow rule with `service` (a service id or a protocol/port) to App Servers. */
async function onlyService(api: LabApi, service: string, from = 'securitygroup-10', to = 'securitygroup-11'): Promise<void> {
  const svc = service.startsWith('application-') ? `<service><value>${service}</value><type>Application</type></service>` : service;
  const rule = (name: string, action: string, src: string, dst: string, services = '') =>
    `<rule disabled="false" logged="true"><name>${name}</name><action>${action}</action><sources excluded="false"><source><value>${src}</value><type>SecurityGroup</type></source></sources><destinations excluded="false"><destination><value>${dst}</value><type>SecurityGroup</type></destination></destinations>${services}<direction>inout</direction><packetType>any</packetType></rule>`;
  const body = `<section name="ALG lab">${rule('allow', 'allow', from, to, `<services>${svc}</services>`)}${rule('block', 'deny', from, to)}${rule('block back', 'deny', to, from)}</section>`;
  expect((await api.rest({ method: 'POST', path: L3, headers: XML, body })).status).toBe(201);
  await api.wait(2);
}

let api: LabApi;
afterEach(() => api?.lab.dispose());

describe('ftp and vsftpd', () => {
  it('refuse bad lines before anything is sent', () => {
    expect(parseAppTool('ftp')).toMatchObject({ ok: false });
    expect(parseAppTool('ftp -x app')).toMatchObject({ ok: false, text: 'ftp: -x: unknown option' });
    expect(parseAppTool('rpcinfo -t db')).toMatchObject({ ok: false });
    expect(parseAppTool('rpcinfo -t db nosuch')).toMatchObject({ ok: false, text: 'rpcinfo: nosuch is unknown service' });
    expect(parseAppTool('ftp -p app-sv-01a')).toEqual({ ok: true, cmd: { tool: 'ftp', host: 'app-sv-01a', passive: true } });
  });

  it('list the directory in passive and active mode when the firewall allows all, and say so when no server listens', async () => {
    api = await boot(buildLab());
    const g = (cmd: string) => api.guest('web-sv-01a', cmd);
    expect(await g('ftp -p app-sv-01a')).toBe('ftp: connect: Connection refused');
    expect(await api.guest('app-sv-01a', 'service vsftpd start')).toBe('Starting vsftpd: [  OK  ]');
    const passive = await g('ftp -p app-sv-01a');
    expect(passive).toMatch(/^Connected to app-sv-01a\.\n220 \(vsFTPd 3\.0\.3\)\nName \(app-sv-01a:root\): anonymous\n331 /);
    expect(passive).toMatch(/227 Entering Passive Mode \(172,16,20,11,\d+,\d+\)\.\n150 Here comes the directory listing\.\n-rw-r--r-- .*invoices-2026-11\.csv\n.*README\n226 Directory send OK\.\nftp> bye\n221 Goodbye\.$/);
    const active = await g('ftp app-sv-01a');
    expect(active).toMatch(/200 PORT command successful\. Consider using PASV\.\n150 Here comes the directory listing\.\n-rw-r--r-- .*invoices-2026-11\.csv\n.*\n226 Directory send OK\.\nftp> bye\n221 Goodbye\.$/);
    expect(api.lab.events.some((e) => e.text.includes('app-sv-01a vsftpd: [ftp] OK LIST: Client "172.16.10.11", passive'))).toBe(true);
    expect(api.lab.events.some((e) => e.text.includes('app-sv-01a vsftpd: [ftp] OK LIST: Client "172.16.10.11", active'))).toBe(true);
  });

  it('with only port 21 allowed: the FTP service (ALG) lets passive and active data through, plain TCP/21 does not', async () => {
    api = await boot(buildLab());
    await api.guest('app-sv-01a', 'service vsftpd start');
    await onlyService(api, '<service><protocol>6</protocol><destinationPort>21</destinationPort></service>');
    const plain = await api.guest('web-sv-01a', 'ftp -p app-sv-01a');
    expect(plain).toMatch(/227 Entering Passive Mode \(172,16,20,11,\d+,\d+\)\.\nftp: connect: Connection timed out$/);
    expect(await api.guest('web-sv-01a', 'ftp app-sv-01a')).toMatch(/150 Here comes the directory listing\.\nftp: connect: Connection timed out$/);

    api.lab.dispose();
    api = await boot(buildLab());
    await api.guest('app-sv-01a', 'service vsftpd start');
    await onlyService(api, 'application-9');
    expect(await api.guest('web-sv-01a', 'ftp -p app-sv-01a')).toMatch(/226 Directory send OK\.\nftp> bye\n221 Goodbye\.$/);
    expect(await api.guest('web-sv-01a', 'ftp app-sv-01a')).toMatch(/226 Directory send OK\.\nftp> bye\n221 Goodbye\.$/);
    // One trace holds the session: the data connection passed as an ALG expectation.
    const { result, session } = await api.ftpSession('web-sv-01a', 'app-sv-01a', true);
    expect(session.finished).toBe(true);
    expect(result.verdict).toBe('allowed');
    expect(result.trace.some((t) => t.action === 'PASS' && /^ALG expectation \(FTP\)/.test(t.detail ?? ''))).toBe(true);
  });
});

describe('rpcinfo and the portmapper', () => {
  it('finds mountd through the portmapper and calls it; with only the portmapper allowed the Sun RPC ALG opens the port', async () => {
    api = await boot(buildLab());
    await api.guest('db-sv-01a', 'service nfs-server start');
    expect(await api.guest('web-sv-01a', 'rpcinfo -t db-sv-01a mountd')).toBe('program 100005 version 3 ready and waiting');
    expect(await api.guest('web-sv-01a', 'rpcinfo -u db-sv-01a mountd')).toBe('rpcinfo: RPC: Program not registered\nprogram 100005 version 3 is not available');

    await onlyService(api, '<service><protocol>17</protocol><destinationPort>111</destinationPort></service>', 'securitygroup-10', 'securitygroup-12');
    expect(await api.guest('web-sv-01a', 'rpcinfo -t db-sv-01a mountd')).toBe('rpcinfo: RPC: Timed out\nprogram 100005 version 3 is not available');

    api.lab.dispose();
    api = await boot(buildLab());
    await api.guest('db-sv-01a', 'service nfs-server start');
    await onlyService(api, 'application-32', 'securitygroup-10', 'securitygroup-12');
    expect(await api.guest('web-sv-01a', 'rpcinfo -t db-sv-01a mountd')).toBe('program 100005 version 3 ready and waiting');
    expect(await api.guest('web-sv-01a', 'rpcinfo -t db-sv-01a nfs')).toBe('program 100003 version 3 ready and waiting');
  });
});
