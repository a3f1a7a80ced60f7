import type { GuestState } from '../guest/guest-state';
import type { Vnic } from '../protocol/inventory';
import type { VsfwdState } from './vsfwd/vsfwd-state';
import type { HostHardware, VmLoad } from './vsfwd/resource-model';
import type { HostShellState } from './shell/capture';
import type { HostPrepState } from './installation/vibs';
import type { HostCpuLoad } from '../protocol/transfer';

/** A VM as the host running it knows it: its world, vNICs and the guest OS inside. */
export interface HostedVm {
  moid: string;
  name: string;
  uuid: string;
  worldId: number;
  vnics: Vnic[];
  excluded: boolean;
  guest: GuestState;
  /** Aggregate application traffic (a flood, a busy service) the resource model counts while the VM runs here. */
  load?: VmLoad;
}

export interface HostState {
  moid: string;
  name: string;
  cluster: string;
  vtepIp: string;
  mgmtIp: string;
  /** RAM and CPU: the DFW memory limit follows the RAM; absent = DEFAULT_HARDWARE. */
  hardware?: HostHardware;
  vms: HostedVm[];
  /** The kernel data path (dvfilter slots, firewall tables), as its own snapshot (its shape is the kernel's). */
  kernel?: object | null;
  /** The host agent; absent in labs saved before the control plane existed (it then starts fresh). */
  vsfwd?: VsfwdState;
  /** Files the shell wrote (pktcap-uw -o) and running captures; absent until the first one. */
  shell?: HostShellState;
  /** Host preparation (VIBs, DNS, ESXi firewall, esxupdate.log); absent = prepared, as every classroom host is. */
  prep?: HostPrepState;
  /** CPU of transfers that run or ran lately here (a bridge VM forwarding, the DFW filtering); absent until the first. */
  cpuLoads?: HostCpuLoad[];
}
