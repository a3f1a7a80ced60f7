/**
 * The partner service VM on one ESXi host: NSX Manager deploys it (`svm-deploy`, one per host of
 * a cluster the service is deployed on) and the kernel's slot 4 hands it the packets redirect
 * rules punt. Its power is the host's: `vim-cmd vmsvc/power.off|power.on` in the ESXi shell
 * (workload VMs are powered from vCenter in this lab). While it is off, the service's failure
 * policy decides in slot 4.
 */
import type { ComponentContext } from '../../lab/component';
import type { PartnerSvm } from '../../protocol/partner';
import type { SvmDeployRequest } from '../../protocol/messages/host';
import type { HostedVm } from '../host-state';
import type { Datapath } from '../datapath';

export type { SvmDeployRequest } from '../../protocol/messages/host';

/** What the host offers this module: its kernel's partner slot and its VMs. */
interface SvmHost {
  readonly id: string;
  readonly state: { name: string; vms: HostedVm[] };
  readonly datapath: Datapath;
}

/** The vmid `vim-cmd` gives the SVM (workload VMs take their world ids' order). */
export const SVM_VMID = 100;

type PartnerSlot = { setPartner(p: PartnerSvm | null): void; partnerSvm(): PartnerSvm | null };

function slotOf(host: SvmHost): PartnerSlot | null {
  // Only the NSX kernel has slot 4; an unprepared host's data path has none.
  const d = host.datapath;
  return 'setPartner' in d && 'partnerSvm' in d ? (d as Datapath & PartnerSlot) : null;
}

function currentSvm(host: SvmHost): PartnerSvm | null {
  return slotOf(host)?.partnerSvm() ?? null;
}

/** A redeploy (new signatures, new failure policy) keeps the SVM's power state. */
export function handleSvmDeploy(host: SvmHost, req: SvmDeployRequest, ctx: ComponentContext): void {
  const slot = slotOf(host);
  if (!slot) return;
  const before = slot.partnerSvm();
  const next = req.svm ? { ...req.svm, poweredOn: before && before.serviceId === req.svm.serviceId ? before.poweredOn : req.svm.poweredOn } : null;
  slot.setPartner(next);
  if (next && !before) ctx.emit({ kind: 'system', text: `Service VM ${next.svmName} (${next.serviceName}) deployed on host ${host.state.name}: slot 4 filter ${next.instanceId} on every protected vNIC`, data: { hostId: host.id } });
  if (!next && before) ctx.emit({ kind: 'system', text: `Service VM ${before.svmName} removed from host ${host.state.name}`, data: { hostId: host.id } });
}

/** `vim-cmd vmsvc/…` lines; undefined when the line is not one. */
export function runSvmCommand(host: SvmHost, line: string, ctx: ComponentContext): string | undefined {
  const m = /^vim-cmd\s+vmsvc\/(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) return undefined;
  const [, sub, arg = ''] = m;
  const svm = currentSvm(host);
  if (sub === 'getallvms') return allVms(host, svm);
  if (!/^(power\.(on|off|getstate))$/.test(sub)) return `Unknown command: 'vmsvc/${sub}'\nCommands: getallvms, power.getstate, power.off, power.on`;
  const vmid = arg.trim();
  if (!/^\d+$/.test(vmid)) return `Insufficient arguments.\nUsage: vmsvc/${sub} vmid`;
  if (Number(vmid) !== SVM_VMID || !svm) {
    const vm = host.state.vms[Number(vmid) - 1];
    if (vm) return sub === 'power.getstate' ? 'Retrieved runtime info\nPowered on' : `${vm.name} is a workload VM: this lab powers it from vCenter (Hosts and Clusters → the VM → Actions → Power).`;
    return `Unable to find a VM corresponding to "${vmid}"`;
  }
  if (sub === 'power.getstate') return `Retrieved runtime info\n${svm.poweredOn ? 'Powered on' : 'Powered off'}`;
  const on = sub === 'power.on';
  if (svm.poweredOn === on) return `Powering ${on ? 'on' : 'off'} VM:\n(vim.fault.InvalidPowerState) {\n   msg = "The attempted operation cannot be performed in the current state (Powered ${on ? 'on' : 'off'})."\n}`;
  slotOf(host)!.setPartner({ ...svm, poweredOn: on });
  ctx.emit({
    kind: 'system',
    severity: on ? 'info' : 'warn',
    text: on
      ? `Service VM ${svm.svmName} powered on on host ${host.state.name}: redirected traffic is inspected again`
      : `Service VM ${svm.svmName} powered off on host ${host.state.name}: redirected traffic now follows the ${svm.serviceName} failure policy (${svm.failurePolicy})`,
    data: { hostId: host.id },
  });
  return `Powering ${on ? 'on' : 'off'} VM:`;
}

function allVms(host: SvmHost, svm: PartnerSvm | null): string {
  const rows = host.state.vms.map((vm, i) => [String(i + 1), vm.name, `[datastore1] ${vm.name}/${vm.name}.vmx`, 'ubuntu64Guest', 'vmx-11', '']);
  if (svm) rows.push([String(SVM_VMID), svm.svmName, `[datastore1] ${svm.svmName}/${svm.svmName}.vmx`, 'otherLinux64Guest', 'vmx-11', `partner service VM of ${svm.serviceName}`]);
  const head = ['Vmid', 'Name', 'File', 'Guest OS', 'Version', 'Annotation'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => r.map((x, c) => x.padEnd(widths[c]!)).join('   ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}
