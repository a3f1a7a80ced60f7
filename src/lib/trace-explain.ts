/**
 * Plain-language readings of a probe's trace, in NSX Traceflow's terms: what each observation
 * means and why the probe ended as it did. Pure functions over the trace records.
 */
import type { ProbeResult } from '../../workers/lab/lab-api';
import type { TraceRecord } from '../../workers/protocol/trace';

type RuleInfo = (id: number) => { name: string; section: string } | undefined;

const SLOT_NAMES: Record<number, string> = {
  0: 'slot 0 (dvfilter, the vNIC’s entry to the IOChain)',
  1: 'slot 1 (sw-sec: IP/MAC learning and SpoofGuard)',
  2: 'slot 2 (vmware-sfw: the distributed firewall)',
  4: 'slot 4 (serviceinstance: the partner service’s redirect filter)',
};

export function ruleText(id: number | undefined, info?: RuleInfo): string {
  if (id === undefined) return '';
  const r = info?.(id);
  return r ? `rule ${id} “${r.name}” (section “${r.section}”)` : `rule ${id}`;
}

/** One sentence for one observation. */
export function explainRecord(r: TraceRecord, info?: RuleInfo): string {
  const where = r.slot !== undefined ? SLOT_NAMES[r.slot] : r.hop;
  switch (r.action) {
    case 'INJECTED':
      return `${r.place === 'guest' ? r.vm : r.hop} sent this packet.`;
    case 'DELIVERED':
      return `The packet reached ${r.place === 'guest' ? r.vm : r.hop}.`;
    case 'RECEIVED':
      return `${where} received the packet.`;
    case 'FORWARDED':
      if (r.place === 'router') return `The distributed router forwarded it${r.detail ? `: ${r.detail}` : ''}.`;
      if (r.place === 'vxlan') return `Carried between hosts in a VXLAN tunnel${r.detail ? `: ${r.detail}` : ''}.`;
      if (isBridgeHop(r)) return `${r.hop}, a firewall VM bridging the port group, forwarded it: ${r.detail!.split(': ').slice(1).join(': ')}.`;
      return `Switched on ${r.hop}${r.detail ? ` (${r.detail})` : ''}.`;
    case 'PASS':
      if (r.slot === 4) return partnerText(r, where, info);
      if (r.reason === 'excluded') return `The VM is on the exclusion list: its vNIC has no firewall filter, so nothing is checked.`;
      if (r.table === 'state' && r.detail?.startsWith('ALG expectation')) return `${where}: a new connection, but an application-level gateway expected it. ${r.detail}, under ${ruleText(r.ruleId, info) || 'the control connection’s rule'}; it passes once, while that control connection lives.`;
      if (r.reason === 'not-prepared') return `The host is not prepared for NSX (no VIBs): its vNICs have no dvfilter slots, so the distributed firewall never sees this packet.`;
      if (r.table === 'state') return `${where}: the connection tracker already knows this flow, so it passes without walking the rules.`;
      if (r.table === 'swsec' || r.slot === 1) return `${where}: the source address is one SpoofGuard trusts.`;
      return `${where}: allowed by ${ruleText(r.ruleId, info) || 'a rule'}.`;
    case 'DROP':
    case 'REJECT':
      return dropText(r, info);
  }
}

function dropText(r: TraceRecord, info?: RuleInfo): string {
  const verb = r.action === 'REJECT' ? 'rejected (a TCP RST or ICMP unreachable goes back)' : 'dropped';
  if (r.slot === 4) return partnerText(r, SLOT_NAMES[4]!, info);
  if (r.reason === 'SpoofGuard' || r.table === 'swsec') return `SpoofGuard ${verb} it: the VM used an address that is not approved for its vNIC.`;
  if (r.table === 'state') return `The connection tracker ${verb} it: the packet does not fit a known connection (${r.reason ?? 'state mismatch'}).`;
  if (r.slot === 2) {
    const rule = ruleText(r.ruleId, info);
    const isDefault = r.ruleId !== undefined && info?.(r.ruleId)?.name === 'Default Rule';
    if (isDefault) return `Nothing above it matched, so the default rule (${rule}) ${verb} it.`;
    return `The distributed firewall ${verb} it: ${rule || 'a rule'} matched first${r.reason ? ` (${r.reason})` : ''}.`;
  }
  return `${r.hop} ${verb} it${r.reason ? `: ${r.reason}` : ''}${r.detail ? ` (${r.detail})` : ''}.`;
}

/** Slot 4: whether a redirect rule sent the packet to the partner, and the partner's (or the failure policy's) verdict. */
function partnerText(r: TraceRecord, where: string, info?: RuleInfo): string {
  const rule = ruleText(r.ruleId, info);
  const verdict = r.action === 'PASS' ? 'it went on' : 'it was dropped';
  if (r.table === 'partner') return `${where}: ${rule || 'a redirect rule'} sent the packet to the partner; ${r.detail ?? ''} — ${verdict}.`;
  if (r.reason === 'filter-failure') return `${where}: ${rule || 'a redirect rule'} matched, but ${r.detail ?? 'the partner could not answer'} — ${verdict}.`;
  return `${where}: ${r.detail ?? 'not redirected'}${rule ? ` (${rule})` : ''}.`;
}

/** The probe's outcome in a sentence: who decided, and why. */
export function explainVerdict(p: ProbeResult, info?: RuleInfo): string {
  const rule = ruleText(p.ruleId, info);
  if (p.verdict === 'allowed') {
    switch (p.by) {
      case 'rule':
        return `Allowed: ${rule || 'a firewall rule'} matched the first packet, and the connection tracker let the rest through.`;
      case 'state':
        return 'Allowed by the connection tracker: an existing connection already covers this flow.';
      case 'excluded':
        return 'Allowed without inspection: a VM on the path is on the exclusion list, so the distributed firewall does not filter it.';
      case 'spoofguard':
        return 'Allowed: SpoofGuard trusts the source address.';
      case 'no-filter':
        return 'Delivered without meeting a firewall filter on the way (no vmware-sfw slot decided on this path).';
    }
  }
  const stop = p.trace.find((r) => r.action === 'DROP' || r.action === 'REJECT');
  if (stop && isBridgeHop(stop)) return `Dropped by the firewall VM ${stop.hop}, not by the distributed firewall: its iptables ${stop.detail!.split(': ').slice(1).join(': ')}.`;
  switch (p.by) {
    case 'rule':
      return `Dropped by the distributed firewall: ${rule || 'a rule'}${stop ? ` at ${stop.hop}` : ''}. ${stop ? explainRecord(stop, info) : ''}`.trim();
    case 'state':
      return 'Dropped by the connection tracker: the packet did not belong to a connection it knows.';
    case 'spoofguard':
      return 'Dropped by SpoofGuard: the source address is not approved for that vNIC.';
    case 'excluded':
      return 'Dropped, although the VM is excluded from the firewall: the cause lies elsewhere on the path.';
    case 'no-filter':
      return `No firewall rule dropped it: the exchange did not complete (${p.detail}). Check power state, addresses and listening services.`;
  }
}

/** A bridging firewall VM's hop (seed 004): the fabric names the VM and says what its chain decided. */
function isBridgeHop(r: TraceRecord): boolean {
  return r.place === 'bridge-vm';
}

export function isArp(r: TraceRecord): boolean {
  return r.packetKind === 'arp';
}
