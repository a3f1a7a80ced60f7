/** EAM's reports about hosts, stored by NSX Manager with the system event the change is worth. */
import type { ManagerCore } from '../core';
import type { HostPrepReport } from '../../protocol/messages/vcenter';
import { phaseOfAgent, recordOf } from './host-prep-status';

export function recordHostPrep(core: ManagerCore, report: HostPrepReport): void {
  const records = (core.state.hostPrep ??= {});
  const before = recordOf(records, report.host);
  const phase = phaseOfAgent(report.status);
  records[report.host] = { phase, ...(report.issue ? { message: report.issue } : {}) };
  if (before.phase === phase && before.message === report.issue) return;
  const name = core.state.inventory.hosts.find((h) => h.moid === report.host)?.name ?? report.host;
  if (phase === 'ready') core.system(`Host ${name} (${report.host}) is prepared: NSX VIBs installed, the distributed firewall is enabled`);
  else if (phase === 'failed') core.system(`Host preparation failed on ${name} (${report.host}): ${report.issue}`, { severity: 'error' });
  else if (phase === 'rebootRequired') core.system(`Host ${name} (${report.host}) needs a reboot to finish host preparation`, { severity: 'warn' });
}
