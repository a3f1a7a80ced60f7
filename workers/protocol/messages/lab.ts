/**
 * What components send the lab itself (they address it as LAB): a probe's outcome reported by
 * the guest that ran it, and a packet burst's count from the host that filtered it. The lab keeps
 * them in its inbox until the lab API takes them (Lab.takeInbox).
 */
import type { Address } from './envelope';
import type { ProbeOutcome } from './guest';

interface BurstResult {
  host: string;
  vm: string;
  dir: 'in' | 'out';
  batch: number;
  passed: number;
  dropped: number;
}

export type LabMessages = {
  /** `vm`: the VM whose guest ran the exchange (absent for the admin workstation). */
  'probe-result': { body: ProbeOutcome & { vm?: string }; reply: void };
  'burst-result': { body: BurstResult; reply: void };
};

export const LAB: Address<LabMessages> = 'lab';
