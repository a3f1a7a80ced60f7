/** esxupdate's install attempt on its own: each failure of seed 000 with its log line and EAM issue. */
import { describe, expect, it } from 'vitest';
import { installVibs, type VibInstallRequest } from '../../workers/host/installation/vib-install';
import { nsxLoaded, NSX_VIB_VERSION, OLD_VIB_VERSION, unpreparedHost, type HostPrepState } from '../../workers/host/installation/vibs';

const req: VibInstallRequest = { agency: '_VCNS_153_Compute Cluster B_VMware Network Fabric', vcenterFqdn: 'vcsa-01a.corp.local', vcenterIp: '192.168.110.22', bundleId: 'b-1' };
const NOW = Date.UTC(2026, 0, 5, 9, 1, 0);

describe('esxupdate installing the NSX VIBs', () => {
  it('installs all three and loads them on a healthy host', () => {
    const prep = unpreparedHost();
    expect(nsxLoaded(prep)).toBe(false);
    expect(installVibs(prep, req, NOW, 2100)).toEqual({ ok: true, detail: 'installed' });
    expect(prep.vibs.map((v) => `${v.name} ${v.version}`)).toEqual(['esx-vsip', 'esx-vxlan', 'esx-dvfilter-switch-security'].map((n) => `${n} ${NSX_VIB_VERSION}`));
    expect(nsxLoaded(prep)).toBe(true);
    expect(prep.esxupdateLog.at(-1)).toMatch(/^2026-01-05T09:01:00Z esxupdate: 2100: esxupdate: INFO: .*Reboot required: false$/);
  });

  it('bootbank too small: the seed\'s InstallationError, nothing installed', () => {
    const prep = { ...unpreparedHost(), bootbankFreeMB: 239 };
    const out = installVibs(prep, req, NOW, 2100);
    expect(out).toMatchObject({ ok: false, reboot: false, detail: 'bootbank' });
    expect(prep.esxupdateLog.at(-1)).toContain('InstallationError: the pending transaction requires 240 MB free space, however the maximum supported size is 239 MB');
    expect(prep.vibs).toEqual([]);
  });

  it('old VIBs: removed and replaced, but the host waits for a reboot before NSX loads', () => {
    const prep = { ...unpreparedHost(), vibs: [{ name: 'esx-vsip', version: OLD_VIB_VERSION, installDate: '2025-06-01' }] };
    const out = installVibs(prep, req, NOW, 2100);
    expect(out).toMatchObject({ ok: false, reboot: true, issue: expect.stringContaining('Reboot required') });
    expect(prep.rebootRequired).toBe(true);
    expect(nsxLoaded(prep)).toBe(false);
    expect(prep.esxupdateLog.join('\n')).toContain(`Removed VIBs VMware_bootbank_esx-vsip_${OLD_VIB_VERSION}`);
  });

  it('DNS is checked before the download, the download before the install', () => {
    const prep: HostPrepState = { ...unpreparedHost(), dnsServers: [], httpClient: false, bootbankFreeMB: 10 };
    expect(installVibs(prep, req, NOW, 2100)).toMatchObject({ ok: false, detail: 'DNS' });
    prep.dnsServers = ['192.168.110.10'];
    expect(installVibs(prep, req, NOW, 2100)).toMatchObject({ ok: false, detail: 'TCP/80' });
    expect(prep.esxupdateLog.at(-1)).toContain("MetadataDownloadError: ('http://vcsa-01a.corp.local:80/eam/vib?id=b-1'");
    prep.httpClient = true;
    expect(installVibs(prep, req, NOW, 2100)).toMatchObject({ ok: false, detail: 'bootbank' });
  });
});
