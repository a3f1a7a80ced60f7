/**
 * The host's side of host preparation: EAM's install requests (esxupdate), the reboot that
 * completes an upgrade, and what loading the NSX modules changes: the vNICs get their dvfilter
 * slots (sw-sec, vmware-sfw) and vsfwd starts, connects to the bus and takes its rules, so the
 * DFW enforces from then on (the default rule, allow, until the operator adds more).
 */
import type { ComponentContext } from '../../lab/component';
import { VCENTER, type AgentResult } from '../../protocol/messages/vcenter';
import { installVibs, type VibInstallRequest } from './vib-install';
import { nsxLoaded, type HostPrepState } from './vibs';

/** What the host's installation code needs from the host. */
export interface PreparableHost {
  readonly id: string;
  readonly state: { name: string; prep?: HostPrepState };
  /** Attaches the kernel's filters to every vNIC and starts vsfwd. */
  loadNsx(ctx: ComponentContext): void;
}

const ESXUPDATE_LOG = '/var/log/esxupdate.log';

/** EAM asks the host to install the agency's VIBs; the outcome goes back to vCenter. */
export function handleVibInstall(host: PreparableHost, req: VibInstallRequest, ctx: ComponentContext): void {
  const prep = host.state.prep;
  const reply = (r: Omit<AgentResult, 'host' | 'agency'>) => ctx.send(VCENTER, 'eam-agent-result', { host: host.id, agency: req.agency, ...r });
  if (!prep || nsxLoaded(prep)) return reply({ ok: true, reboot: false });
  const before = prep.esxupdateLog.length;
  const pid = 2000 + (Math.floor(ctx.now() / 1000) % 60000);
  const outcome = installVibs(prep, req, ctx.now(), pid);
  for (const line of prep.esxupdateLog.slice(before)) ctx.emit({ kind: 'log', file: ESXUPDATE_LOG, severity: line.includes(': ERROR: ') ? 'error' : 'info', text: line });
  if (outcome.ok) {
    host.loadNsx(ctx);
    return reply({ ok: true, reboot: false });
  }
  reply({ ok: false, reboot: outcome.reboot, issue: outcome.issue });
}

/** `reboot`: a host waiting for one loads its new VIBs and tells EAM, which finishes the agent. */
export function rebootHost(host: PreparableHost, ctx: ComponentContext): string {
  const prep = host.state.prep;
  if (!prep?.rebootRequired) return 'reboot: this lab reboots a host only to finish a VIB upgrade (none is pending here)';
  prep.rebootRequired = false;
  ctx.emit({ kind: 'inventory', text: `Host ${host.state.name} rebooted: its NSX VIBs are loaded` });
  host.loadNsx(ctx);
  ctx.send(VCENTER, 'eam-host-rebooted', { host: host.id });
  return `Rebooting ${host.state.name}... the host is back: NSX modules vsip, vdl2 and dvfilter-switch-security loaded`;
}
