/**
 * SpoofGuard: which policy covers a network, the per-vNIC view of detected / approved /
 * published addresses, and trust on first use. When SpoofGuard is on for a network, the
 * approved and published bindings (not what VMware Tools says) are the vNIC's IPs in address
 * sets, which closes the "change your IP to dodge a tag-based rule" bypass.
 */
import type { VnicInfo } from '../grouping/inventory-index';
import type { ManagerState, ReportedBinding, SpoofGuardBinding, SpoofGuardPolicy } from '../types';
import type { SpoofGuardProgram } from '../../protocol/ruleset';

function policyOfNetwork(state: ManagerState, network: string): SpoofGuardPolicy {
  return state.spoofGuardPolicies.find((p) => !p.defaultPolicy && p.enforcementPoints.includes(network)) ?? state.spoofGuardPolicies.find((p) => p.defaultPolicy)!;
}

export function vnicsOfPolicy(state: ManagerState, policy: SpoofGuardPolicy, vnics: VnicInfo[]): VnicInfo[] {
  return vnics.filter((v) => policyOfNetwork(state, v.network).policyId === policy.policyId);
}

/**
 * Merges what hosts discovered with what the operator already decided: approvals and
 * publications survive a new report; addresses approved earlier but no longer seen stay
 * approved (inactive), as NSX keeps them until removed.
 */
export function mergeBindings(previous: SpoofGuardBinding[], discovered: ReportedBinding[]): SpoofGuardBinding[] {
  const key = (b: { vnicId: string; ip: string }) => `${b.vnicId}|${b.ip}`;
  const old = new Map(previous.map((b) => [key(b), b] as const));
  const out = new Map<string, SpoofGuardBinding>();
  for (const d of discovered) {
    const prior = old.get(key(d));
    // A host reporting "approved" is trust on first use; it takes effect at once.
    out.set(key(d), {
      vnicId: d.vnicId,
      mac: d.mac,
      ip: d.ip,
      approved: d.approved || (prior?.approved ?? false),
      published: (prior?.published ?? false) || d.approved,
      ...(d.firstLearned || prior?.firstLearned ? { firstLearned: true } : {}),
    });
  }
  for (const b of previous) if (!out.has(key(b)) && b.approved) out.set(key(b), b);
  return [...out.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/**
 * TOFU: a vNIC with no approved address trusts the addresses it was first seen with (as the
 * host flags them) — not whatever it uses when the policy is turned on, which may be an address
 * the guest moved to before (seed 003). Bindings from before hosts flagged first use fall back
 * to one address per vNIC.
 */
export function applyTrustOnFirstUse(state: ManagerState, vnicNetwork: (vnicId: string) => string | undefined): void {
  const approved = new Set(state.spoofGuardBindings.filter((b) => b.approved).map((b) => b.vnicId));
  const flagged = new Set(state.spoofGuardBindings.filter((b) => b.firstLearned).map((b) => b.vnicId));
  const trusted = new Set<string>();
  for (const b of state.spoofGuardBindings) {
    const network = vnicNetwork(b.vnicId);
    if (!network || approved.has(b.vnicId)) continue;
    if (policyOfNetwork(state, network).operationMode !== 'TOFU') continue;
    if (flagged.has(b.vnicId) ? !b.firstLearned : trusted.has(b.vnicId)) continue;
    b.approved = true;
    b.published = true;
    trusted.add(b.vnicId);
  }
}

const KERNEL_MODE = { DISABLE: 'off', TOFU: 'tofu', MANUAL: 'manual' } as const;

/** What hosts enforce per network: the covering policy's mode and the published bindings of its vNICs. */
export function spoofGuardPrograms(state: ManagerState, vnics: VnicInfo[]): SpoofGuardProgram[] {
  const networks = [...new Set(vnics.map((v) => v.network))].sort();
  return networks.map((network) => {
    const onNetwork = new Set(vnics.filter((v) => v.network === network).map((v) => v.id));
    return {
      network,
      mode: KERNEL_MODE[policyOfNetwork(state, network).operationMode],
      approved: state.spoofGuardBindings.filter((b) => onNetwork.has(b.vnicId) && b.approved && b.published).map((b) => ({ mac: b.mac, ip: b.ip })),
    };
  });
}
