/**
 * Edit Settings of a VM as vCenter's ReconfigVM_Task takes it: the CPU limit and reservation
 * (MHz) and which port group a network adapter connects to. Checked whole before anything
 * changes; the answer is the task's event line or the reason it was refused.
 */
import type { Inventory, Vm } from '../protocol/inventory';
import type { VmReconfigure } from '../protocol/messages/vcenter';


type ReconfigureResult = { ok: true; vm: Vm; event: string } | { ok: false; error: string };

/** A host core's clock in the lab's hosts: the most a limit can usefully be for one vCPU. */
const MAX_CPU_MHZ = 2600 * 8;

export function reconfigureVm(inv: Inventory, r: VmReconfigure): ReconfigureResult {
  const vm = inv.vms.find((v) => v.name === r.vm || v.moid === r.vm);
  if (!vm) return { ok: false, error: `no VM named ${r.vm}` };
  const changes: string[] = [];
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min && n <= MAX_CPU_MHZ;
  if (r.cpuLimitMhz !== undefined && r.cpuLimitMhz !== null && !whole(r.cpuLimitMhz, 1)) return { ok: false, error: `CPU limit must be a whole number of MHz from 1 to ${MAX_CPU_MHZ} (or unlimited)` };
  if (r.cpuReservationMhz !== undefined && !whole(r.cpuReservationMhz, 0)) return { ok: false, error: `CPU reservation must be a whole number of MHz from 0 to ${MAX_CPU_MHZ}` };
  const limit = r.cpuLimitMhz === undefined ? vm.cpuLimitMhz : (r.cpuLimitMhz ?? undefined);
  const reservation = r.cpuReservationMhz ?? vm.cpuReservationMhz ?? 0;
  if (limit !== undefined && reservation > limit) return { ok: false, error: `the CPU reservation (${reservation} MHz) cannot exceed the limit (${limit} MHz)` };
  let network: string | undefined;
  if (r.adapter) {
    const nic = vm.vnics.find((n) => n.index === r.adapter!.index);
    if (!nic) return { ok: false, error: `${vm.name} has no network adapter ${r.adapter.index + 1}` };
    const net = inv.networks.find((n) => n.name === r.adapter!.network || n.moid === r.adapter!.network);
    if (!net) return { ok: false, error: `no network named ${r.adapter.network} (networks: ${inv.networks.map((n) => n.name).join(', ')})` };
    network = net.moid;
    if (nic.network !== net.moid) changes.push(`network adapter ${nic.index + 1} connected to ${net.name}`);
  }
  if (r.cpuLimitMhz !== undefined && limit !== vm.cpuLimitMhz) changes.push(`CPU limit ${limit === undefined ? 'unlimited' : `${limit} MHz`}`);
  if (r.cpuReservationMhz !== undefined && r.cpuReservationMhz !== (vm.cpuReservationMhz ?? 0)) changes.push(`CPU reservation ${r.cpuReservationMhz} MHz`);
  if (limit === undefined) delete vm.cpuLimitMhz;
  else vm.cpuLimitMhz = limit;
  if (r.cpuReservationMhz !== undefined) vm.cpuReservationMhz = r.cpuReservationMhz;
  if (network) vm.vnics.find((n) => n.index === r.adapter!.index)!.network = network;
  return { ok: true, vm, event: `Reconfigured virtual machine ${vm.name}: ${changes.join(', ') || 'no change'}` };
}
