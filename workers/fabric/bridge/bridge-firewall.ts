/**
 * A bridging firewall VM in front of a port group (seed 004): the protected port group's
 * VMs reach the rest of their segment only through the VM's software bridge, wherever the
 * VM runs, so traffic between two VMs on one host hairpins through it (seed 001's tromboning).
 */
import type { BridgeRule } from './bridge-rules';

export interface BridgeFirewall {
  /** The VM's moid and name in vCenter. */
  vm: string;
  name: string;
  /** Where the VM runs: every bridged frame travels there and back. */
  host: string;
  /** The protected port group (behind the bridge) and the segment it is bridged onto. */
  inside: string;
  outside: string;
  /** A MAC for the bridge's own hops in the trace (its outside interface). */
  mac: string;
  rules: BridgeRule[];
}
