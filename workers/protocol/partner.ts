/**
 * A partner service as NSX Manager deploys it to a host (seed 000, "Partner Security Service"):
 * the service VM's settings and the partner's signatures travel from the manager to the host,
 * and slot 4's filter names are shared by the rule sets both sides read.
 */

/** A signature in the partner's own rule base: a payload substring and what the partner does on it. */
export interface PartnerSignature {
  id: number;
  name: string;
  /** Matched as bytes (latin-1) anywhere in a TCP or UDP payload, case-sensitive. */
  pattern: string;
  action: 'block' | 'alert';
}

/** What the serviceinstance filter does while the SVM cannot answer (NSX's per-service failure policy). */
export type ServiceFailurePolicy = 'failOpen' | 'failClosed';

export interface PartnerSvm {
  serviceId: string;
  serviceName: string;
  /** The dvfilter agent of slot 4, `serviceinstance-1`. */
  instanceId: string;
  /** The SVM's VM name on this host, e.g. `Acme IPS (1)`. */
  svmName: string;
  poweredOn: boolean;
  failurePolicy: ServiceFailurePolicy;
  signatures: PartnerSignature[];
}

/** The agent name in slot 4 and the filter name suffix: `nic-<world>-eth<n>-serviceinstance-1.4`. */
export function slot4FilterName(slot2Name: string, instanceId: string): string {
  return slot2Name.replace(/vmware-sfw\.2$/, `${instanceId}.4`);
}

