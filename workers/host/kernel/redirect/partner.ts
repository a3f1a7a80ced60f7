/**
 * The partner service VM (SVM) one host runs for a registered partner service (seed 000,
 * "Partner Security Service"): what NSX Manager deployed here, whether the SVM is powered on,
 * and the partner's own inspection rules. Packets a redirect rule punts in slot 4 reach it;
 * it answers with a verdict of its own. NSX never sees inside it: the signatures are the
 * partner's configuration, pushed with the deployment.
 */

import type { PartnerSignature } from '../../../protocol/partner';

export type { PartnerSignature, PartnerSvm, ServiceFailurePolicy } from '../../../protocol/partner';
export { slot4FilterName } from '../../../protocol/partner';

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
