/**
 * esxupdate on the host, installing the NSX VIBs EAM asks for (seed 000's troubleshooting):
 * the download URL names vCenter by its FQDN, so the host needs DNS; the download is HTTP to
 * vCenter's EAM on TCP/80, so the host's outgoing httpClient ruleset must be open; old VIBs are
 * removed but the new ones wait for a reboot; the bootbank must have room for the transaction.
 * Each failure leaves the error the seed quotes in /var/log/esxupdate.log and an issue for EAM.
 */
import { LAB_DNS, NSX_VIB_VERSION, NSX_VIBS, VIB_TRANSACTION_MB, type HostPrepState } from './vibs';

import type { VibInstallRequest } from '../../protocol/messages/host';

export type { VibInstallRequest } from '../../protocol/messages/host';

type VibInstallOutcome =
  | { ok: true; detail: string }
  | { ok: false; reboot: boolean; issue: string; detail: string };

function stamp(now: number): string {
  return new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function vibUrl(req: VibInstallRequest): string {
  return `http://${req.vcenterFqdn}:80/eam/vib?id=${req.bundleId}`;
}

/** Runs one installation attempt, changing `prep` and appending to its esxupdate log. */
export function installVibs(prep: HostPrepState, req: VibInstallRequest, now: number, pid: number): VibInstallOutcome {
  const at = stamp(now);
  const log = (level: 'INFO' | 'ERROR' | 'DEBUG', text: string) => prep.esxupdateLog.push(`${at} esxupdate: ${pid}: esxupdate: ${level}: ${text}`);
  const url = vibUrl(req);
  const tmp = `/tmp/tmp_${(pid * 7919).toString(36).slice(-5)}`;
  log('INFO', `--- Command: update Args: ['-m', '${url}'] Options: {'nosigcheck': False, 'maintenancemode': False}`);
  if (!prep.dnsServers.includes(LAB_DNS)) {
    log('ERROR', `MetadataDownloadError: ('${url}', None, "('${url}', '${tmp}', '[Errno 4] IOError: <urlopen error [Errno -2] Name or service not known>')")`);
    return { ok: false, reboot: false, issue: `Agent VIB module not installed: the host cannot resolve ${req.vcenterFqdn} (check its DNS servers)`, detail: 'DNS' };
  }
  if (!prep.httpClient) {
    log('ERROR', `MetadataDownloadError: ('${url}', None, "('${url}', '${tmp}', '[Errno 4] IOError: <urlopen error [Errno 111] Connection refused>')")`);
    return { ok: false, reboot: false, issue: `Agent VIB module not installed: the host cannot reach vCenter's EAM at ${req.vcenterIp} on TCP/80 (connection refused)`, detail: 'TCP/80' };
  }
  log('INFO', `Downloaded ${NSX_VIBS.length} VIBs from ${url}`);
  if (prep.bootbankFreeMB < VIB_TRANSACTION_MB) {
    log('ERROR', `InstallationError: the pending transaction requires ${VIB_TRANSACTION_MB} MB free space, however the maximum supported size is ${prep.bootbankFreeMB} MB`);
    return { ok: false, reboot: false, issue: `VIB installation failed: the bootbank has ${prep.bootbankFreeMB} MB free, the transaction needs ${VIB_TRANSACTION_MB} MB`, detail: 'bootbank' };
  }
  const old = prep.vibs.filter((v) => v.version !== NSX_VIB_VERSION);
  const day = at.slice(0, 10);
  prep.vibs = NSX_VIBS.map((name) => ({ name, version: NSX_VIB_VERSION, installDate: day }));
  if (old.length) {
    prep.rebootRequired = true;
    log('INFO', `Removed VIBs ${old.map((v) => `VMware_bootbank_${v.name}_${v.version}`).join(', ')}`);
    log('INFO', `Installed VIBs ${prep.vibs.map((v) => `VMware_bootbank_${v.name}_${v.version}`).join(', ')}; the old modules are still loaded: reboot required`);
    return { ok: false, reboot: true, issue: 'Reboot required: old NSX VIBs were removed, the host must reboot to load the new ones', detail: 'reboot' };
  }
  prep.rebootRequired = false;
  log('INFO', `Installed VIBs ${prep.vibs.map((v) => `VMware_bootbank_${v.name}_${v.version}`).join(', ')}`);
  log('INFO', 'Loaded modules vsip, vdl2, dvfilter-switch-security; started vShield-Stateful-Firewall. Reboot required: false');
  return { ok: true, detail: 'installed' };
}
