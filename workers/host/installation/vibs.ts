/**
 * What host preparation installs on an ESXi host (seed 000): three VIBs, copied from NSX Manager
 * through vCenter's ESX Agent Manager (EAM). A host whose VIBs are not all installed at the
 * current version, or that waits for a reboot, has no NSX kernel modules: no sw-sec, no vSIP
 * firewall, no vsfwd.
 */

interface InstalledVib {
  name: string;
  version: string;
  /** The day it was installed, as `esxcli software vib list` prints it. */
  installDate: string;
}

/** The VIB set of the lab's NSX release (NSX-V 6.4 on ESXi 6.5): names from seed 000, version the lab's choice. */
export const NSX_VIB_VERSION = '6.5.0-0.0.13168956';
/** An older NSX release's VIBs, for the "old VIB version needs a reboot" case. */
export const OLD_VIB_VERSION = '6.5.0-0.0.7563456';
export const NSX_VIBS = ['esx-vsip', 'esx-vxlan', 'esx-dvfilter-switch-security'] as const;
/** Free space the VIB transaction needs in the bootbank, MB (seed 000 quotes 240 MB against a 239 MB limit). */
export const VIB_TRANSACTION_MB = 240;

/** The lab's DNS server for corp.local: the admin workstation (192.168.110.10) answers it, as a lab's control centre does. */
export const LAB_DNS = '192.168.110.10';

/** Host preparation as the host sees it. Absent from a host's state = prepared (the classroom preset). */
export interface HostPrepState {
  vibs: InstalledVib[];
  /** `esxcli network ip dns server list`. */
  dnsServers: string[];
  /** The ESXi firewall's outgoing `httpClient` ruleset: esxupdate's downloads from vCenter's EAM on TCP/80. */
  httpClient: boolean;
  /** Free space in the bootbank, MB. */
  bootbankFreeMB: number;
  /** Old VIBs were removed: the host must reboot before the new ones can load. */
  rebootRequired: boolean;
  /** /var/log/esxupdate.log */
  esxupdateLog: string[];
}

/** An unprepared host: nothing of NSX installed, DNS and the ESXi firewall as a fresh install has them. */
export function unpreparedHost(): HostPrepState {
  return { vibs: [], dnsServers: [LAB_DNS], httpClient: true, bootbankFreeMB: 1024, rebootRequired: false, esxupdateLog: [] };
}

/** The NSX kernel modules are loaded: every VIB at the current version and no reboot pending. */
export function nsxLoaded(prep: HostPrepState | undefined): boolean {
  if (!prep) return true;
  return !prep.rebootRequired && NSX_VIBS.every((n) => prep.vibs.some((v) => v.name === n && v.version === NSX_VIB_VERSION));
}

/** `esxcli software vib list`: the NSX VIBs among a few of ESXi's own. */
export function vibList(prep: HostPrepState | undefined, preparedOn: string): string {
  const base: InstalledVib[] = [
    { name: 'esx-base', version: '6.5.0-3.96.13932383', installDate: '2025-11-03' },
    { name: 'esx-ui', version: '1.33.4-14093553', installDate: '2025-11-03' },
    { name: 'vsan', version: '6.5.0-3.96.13932383', installDate: '2025-11-03' },
  ];
  const nsx = prep ? prep.vibs : NSX_VIBS.map((name) => ({ name, version: NSX_VIB_VERSION, installDate: preparedOn }));
  const rows = [...base, ...nsx].sort((a, b) => a.name.localeCompare(b.name));
  const pad = (s: string, n: number) => s.padEnd(n);
  return [
    `${pad('Name', 30)} ${pad('Version', 36)} ${pad('Vendor', 7)} ${pad('Acceptance Level', 17)} Install Date`,
    `${'-'.repeat(30)} ${'-'.repeat(36)} ${'-'.repeat(7)} ${'-'.repeat(17)} ------------`,
    ...rows.map((v) => `${pad(v.name, 30)} ${pad(v.version, 36)} ${pad('VMware', 7)} ${pad('VMwareCertified', 17)} ${v.installDate}`),
  ].join('\n');
}
