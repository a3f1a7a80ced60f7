/**
 * Host preparation as NSX Manager knows it, from EAM's reports: per host not installed /
 * installing / ready / failed / reboot required, and the cluster's status derived from its
 * hosts as the Installation screen shows it (GREEN, YELLOW, RED, or not installed). A host with
 * no record was prepared before the lab began (every classroom host).
 */
import type { Inventory } from '../../protocol/inventory';

type HostPrepPhase = 'notInstalled' | 'installing' | 'ready' | 'failed' | 'rebootRequired';

interface HostPrepRecord {
  phase: HostPrepPhase;
  /** EAM's issue for a failed or waiting host. */
  message?: string;
}

export type HostPrepRecords = Record<string, HostPrepRecord>;

type FabricStatus = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';

export interface FeatureStatus {
  status: FabricStatus;
  installed: boolean;
  message?: string;
}

/** The NSX-V 6.4 feature ids of /api/2.0/nwfabric/status (host preparation and the firewall). */
export const HOST_PREP_FEATURE = 'com.vmware.vshield.vsm.nwfabric.hostPrep';
export const FIREWALL_FEATURE = 'com.vmware.vshield.firewall';
export const FEATURE_VERSION = '6.4.5.13282012';

export function recordOf(records: HostPrepRecords | undefined, host: string): HostPrepRecord {
  return records?.[host] ?? { phase: 'ready' };
}

export function hostFeature(r: HostPrepRecord): FeatureStatus {
  switch (r.phase) {
    case 'ready':
      return { status: 'GREEN', installed: true };
    case 'notInstalled':
      return { status: 'UNKNOWN', installed: false };
    case 'installing':
      return { status: 'YELLOW', installed: false, message: 'Installing' };
    case 'rebootRequired':
      return { status: 'YELLOW', installed: true, message: r.message ?? 'Reboot required' };
    case 'failed':
      // NSX says what failed; why is in EAM's issue and the host's esxupdate.log (EAM's issue is kept whole in the record).
      return { status: 'RED', installed: false, message: r.message?.split(':')[0] ?? 'Agent VIB module not installed' };
  }
}

/** A cluster: RED if any host failed, YELLOW while any installs or waits, GREEN when all are ready. */
export function clusterFeature(records: HostPrepRecords | undefined, inventory: Inventory, cluster: string): FeatureStatus {
  const hosts = inventory.hosts.filter((h) => h.cluster === cluster).map((h) => ({ name: h.name, r: recordOf(records, h.moid) }));
  const failed = hosts.filter((h) => h.r.phase === 'failed');
  if (failed.length) return { status: 'RED', installed: true, message: `Agent VIB module not installed on ${failed.map((h) => h.name).join(', ')}` };
  if (hosts.some((h) => h.r.phase === 'installing' || h.r.phase === 'rebootRequired')) {
    const waiting = hosts.filter((h) => h.r.phase === 'rebootRequired');
    return { status: 'YELLOW', installed: true, message: waiting.length ? `Reboot required on ${waiting.map((h) => h.name).join(', ')}` : 'Installing' };
  }
  if (hosts.length && hosts.every((h) => h.r.phase === 'notInstalled')) return { status: 'UNKNOWN', installed: false };
  return { status: 'GREEN', installed: true };
}

/** The firewall feature follows the VIBs: enabled once a host (or all of a cluster's hosts) is ready. */
export function firewallFeature(prep: FeatureStatus): FeatureStatus {
  return prep.status === 'GREEN' ? { status: 'GREEN', installed: true } : { status: prep.installed ? 'YELLOW' : 'UNKNOWN', installed: prep.installed, message: prep.installed ? 'Waiting for host preparation' : undefined };
}

const PHASES: Record<string, HostPrepPhase> = { installing: 'installing', green: 'ready', red: 'failed', yellow: 'rebootRequired' };

/** EAM's report about one host, as the manager stores it. */
export function phaseOfAgent(status: string): HostPrepPhase {
  return PHASES[status] ?? 'failed';
}

/** The firewall runs on the host (its VIBs are loaded): publish status lists only such hosts (NSX-V 6.2.4+ omits unprepared clusters). */
export function dfwEnabledOn(records: HostPrepRecords | undefined, host: string): boolean {
  return recordOf(records, host).phase === 'ready';
}
