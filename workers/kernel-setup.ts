/**
 * The NSX data path of every host: its vNICs get the dvfilter IOChain with sw-sec and the
 * vmware-sfw firewall. The registry passes it to each host it builds.
 */
import type { SimContext } from './lab/context';
import type { DatapathFactory } from './host/host';
import { HostKernel, type HostKernelState } from './host/kernel/host-kernel';

export const nsxDatapath: DatapathFactory = (host, context) => {
  // The host's context changes with every message it handles; the kernel reads it through this view.
  const sim: SimContext = {
    now: () => context().now(),
    random: () => context().random(),
    emit: (e) => context().emit(e),
  };
  return new HostKernel(host.moid, sim, host.kernel as HostKernelState | undefined);
};
