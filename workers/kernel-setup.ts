/**
 * Prepares every host for NSX: its vNICs get the dvfilter IOChain with sw-sec and the
 * vmware-sfw firewall. Imported by every entry point that builds hosts (workers, tests, runner).
 */
import type { SimContext } from './lab/context';
import { useDatapath } from './host/host';
import { HostKernel, type HostKernelState } from './host/kernel/host-kernel';

useDatapath((host, context) => {
  // The host's context changes with every message it handles; the kernel reads it through this view.
  const sim: SimContext = {
    now: () => context().now(),
    random: () => context().random(),
    emit: (e) => context().emit(e),
  };
  return new HostKernel(host.moid, sim, host.kernel as HostKernelState | undefined);
});
