/**
 * The partner service VM (SVM) one host runs for a registered partner service (seed 000,
 * "Partner Security Service"): what NSX Manager deployed here, whether the SVM is powered on,
 * and the partner's own inspection rules. Packets a redirect rule punts in slot 4 reach it;
 * it answers with a verdict of its own. NSX never sees inside it: the signatures are the
 * partner's configuration, pushed with the deployment.
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

/** The first signature whose pattern the payload carries, or null. */
export function matchSignature(signatures: readonly PartnerSignature[], bytes: Uint8Array, off: number, len: number): PartnerSignature | null {
  if (len <= 0) return null;
  for (const s of signatures) if (s.pattern && indexOfLatin1(bytes, off, len, s.pattern) >= 0) return s;
  return null;
}

function indexOfLatin1(bytes: Uint8Array, off: number, len: number, pattern: string): number {
  const n = pattern.length;
  const end = off + len - n;
  outer: for (let i = off; i <= end; i++) {
    for (let j = 0; j < n; j++) if (bytes[i + j] !== (pattern.charCodeAt(j) & 0xff)) continue outer;
    return i - off;
  }
  return -1;
}

/** A slot 4 filter name (`…-serviceinstance-N.4`), as opposed to vmware-sfw's `….2`. */
export function isServiceInstanceFilter(name: string): boolean {
  return /-serviceinstance-\d+\.4$/.test(name);
}
