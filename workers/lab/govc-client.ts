/**
 * Runs a parsed `govc` line against vCenter. govc reaches vCenter's SDK over HTTPS, so the
 * guest must reach vcsa-01a on TCP/443 through the network (and the DFW) first.
 */
import type { Govc } from '../guest/govc';
import type { Inventory } from '../protocol/inventory';
import type { VmReconfigure } from '../protocol/messages/vcenter';

interface GovcIO {
  reach(): Promise<{ verdict: 'allowed' | 'dropped'; answer?: { refused?: boolean } }>;
  inventory(): Promise<Inventory>;
  /** Resolves with vCenter's event line, rejects with its reason. */
  reconfigure(r: VmReconfigure): Promise<string>;
}

const VCENTER = 'vcsa-01a.corp.local';

export async function runGovc(cmd: Govc, io: GovcIO): Promise<string> {
  const reached = await io.reach();
  if (!reached.answer || reached.answer.refused) return `govc: Post "https://${VCENTER}/sdk": dial tcp 192.168.110.22:443: ${reached.answer ? 'connect: connection refused' : 'i/o timeout'}`;
  const inv = await io.inventory();
  const vm = inv.vms.find((v) => v.name === cmd.vm);
  if (!vm) return `govc: vm '${cmd.vm}' not found`;
  try {
    switch (cmd.cmd) {
      case 'vm.info': {
        const host = inv.hosts.find((h) => h.moid === vm.host)?.name ?? vm.host;
        const nets = vm.vnics.map((n) => inv.networks.find((x) => x.moid === n.network)?.name ?? n.network);
        return [
          `Name:           ${vm.name}`,
          `  Path:         /${inv.datacenter.name}/vm/${vm.name}`,
          `  UUID:         ${vm.uuid}`,
          `  Guest name:   ${vm.guestOs}`,
          '  CPU:          1 vCPU(s)',
          `  CPU limit:    ${vm.cpuLimitMhz === undefined ? 'unlimited' : `${vm.cpuLimitMhz} MHz`}`,
          `  CPU reserved: ${vm.cpuReservationMhz ?? 0} MHz`,
          `  Power state:  ${vm.powerState}`,
          `  IP address:   ${vm.guestIps[0] ?? ''}`,
          `  Network:      ${nets.join(', ')}`,
          `  Host:         ${host}`,
        ].join('\n');
      }
      case 'vm.change':
        await io.reconfigure({ vm: vm.moid, cpuLimitMhz: cmd.cpuLimitMhz, cpuReservationMhz: cmd.cpuReservationMhz });
        return '';
      case 'vm.network.change':
        await io.reconfigure({ vm: vm.moid, adapter: { index: cmd.device, network: cmd.network } });
        return '';
    }
  } catch (err) {
    return `govc: ${(err as Error).message}`;
  }
}
