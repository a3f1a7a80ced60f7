/**
 * Slot 4, the partner service's `serviceinstance` filter on a protected vNIC: its own rule
 * table of redirect lines (`punt` = redirect to the partner, `accept` = do not redirect), walked
 * first match per packet, after vmware-sfw outbound and before it inbound. A punted packet goes
 * to the host's partner SVM, whose own inspection decides; while the SVM is powered off the
 * service's failure policy does (failOpen passes, failClosed drops). Not the fast path: only
 * vNICs on hosts where a partner service is deployed have this slot.
 */
import type { AddressSets, FilterRules, L3RuleLine } from '../../../protocol/ruleset';
import { Act } from '../codes';
import type { PacketHeader } from '../parse';
import { endpointsText, filterHash, formatMatch, protoText, type PktLog } from '../pktlog';
import { L3RuleSet } from '../sfw/l3-ruleset';
import { matchSignature, type PartnerSvm } from './partner';

const DIR_IN = 1;

/** One slot-4 decision, as the trace shows it. */
export interface ServiceDecision {
  act: Act;
  table: 'redirect' | 'partner';
  reason: 'no-rules' | 'no-match' | 'match' | 'pass' | 'filter-failure';
  ruleId?: number;
  detail: string;
  /** The partner's own threat log line, when a signature matched. */
  threat?: string;
}

/** The partner SVM's threat log (its own file, not the host's). */
export const PARTNER_THREAT_LOG = '/var/log/partner/threat.log';

export interface ServiceFilterState {
  rules: FilterRules | null;
  hits: number[];
}

export class ServiceInstanceFilter {
  rules: FilterRules | null = null;
  hits: number[] = [];
  private l3: L3RuleSet | null = null;
  private readonly hash: number;

  constructor(
    readonly name: string,
    private readonly log: PktLog,
  ) {
    this.hash = filterHash(name);
  }

  program(rules: FilterRules, sets: AddressSets): void {
    const same = this.rules?.l3 === rules.l3;
    this.l3 = new L3RuleSet(rules.l3, sets);
    if (!same) this.hits = new Array<number>(rules.l3.length).fill(0);
    this.rules = rules;
  }

  referencedSets(): Set<string> {
    return this.l3?.referencedSets() ?? new Set();
  }

  /** The redirect line a packet matches, or null (also for the dry-run explanation in tests). */
  lineFor(h: PacketHeader, dirBit: number): { line: L3RuleLine; index: number } | null {
    const l3 = this.l3;
    if (!l3) return null;
    const i = l3.classify(dirBit, h.proto, h.srcIp, h.dstIp, h.srcPort, h.dstPort, h.icmpType, h.icmpCode);
    return i < 0 ? null : { line: l3.lines[i], index: i };
  }

  process(h: PacketHeader, frame: Uint8Array | null, dirBit: number, now: number, svm: PartnerSvm | null): ServiceDecision {
    if (!this.l3 || !this.rules) return { act: Act.Pass, table: 'redirect', reason: 'no-rules', detail: 'no redirect rules published to this filter yet' };
    const hit = this.lineFor(h, dirBit);
    if (!hit) return { act: Act.Pass, table: 'redirect', reason: 'no-match', detail: 'no redirect rule matches: the packet stays on the fast path' };
    const { line, index } = hit;
    this.hits[index] = (this.hits[index] ?? 0) + 1;
    if (line.action !== 'punt') return { act: Act.Pass, table: 'redirect', reason: 'match', ruleId: line.id, detail: 'Do not redirect: the packet stays on the fast path' };
    this.logRedirect(line, h, dirBit, now);
    const who = svm ? `partner service VM ${svm.svmName} (${svm.serviceName})` : 'the partner service VM';
    if (!svm || !svm.poweredOn) {
      const open = (svm?.failurePolicy ?? 'failClosed') === 'failOpen';
      return {
        act: open ? Act.Pass : Act.Drop,
        table: 'redirect',
        reason: 'filter-failure',
        ruleId: line.id,
        detail: `redirected, but ${who} is ${svm ? 'powered off' : 'not deployed on this host'}: the service's failure policy ${open ? 'failOpen lets the packet pass uninspected' : 'failClosed drops it'}`,
      };
    }
    const sig = frame !== null && h.payloadLen > 0 ? matchSignature(svm.signatures, frame, h.payloadOff, h.payloadLen) : null;
    if (sig) {
      const flow = `${endpointsText(h.proto, h.srcIp, h.srcPort, h.dstIp, h.dstPort)} ${protoText(h.proto)}`;
      const threat = `${svm.svmName} ${svm.serviceName}: ${sig.action === 'block' ? 'BLOCK' : 'ALERT'} signature ${sig.id} "${sig.name}" matched "${sig.pattern}" ${flow} (NSX redirect rule ${line.id})`;
      if (sig.action === 'block') return { act: Act.Drop, table: 'partner', reason: 'match', ruleId: line.id, threat, detail: `redirected to ${who}: its signature ${sig.id} “${sig.name}” found “${sig.pattern}” in the payload and it blocked the packet` };
      return { act: Act.Pass, table: 'partner', reason: 'match', ruleId: line.id, threat, detail: `redirected to ${who}: its signature ${sig.id} “${sig.name}” found “${sig.pattern}” (alert only), so it returned the packet` };
    }
    return { act: Act.Pass, table: 'partner', reason: 'pass', ruleId: line.id, detail: `redirected to ${who}: no signature matched, so it returned the packet to the IOChain` };
  }

  snapshot(): ServiceFilterState {
    return { rules: this.rules, hits: [...this.hits] };
  }

  restore(s: ServiceFilterState, sets: AddressSets): void {
    if (s.rules) this.program(s.rules, sets);
    this.hits = [...s.hits];
  }

  /** A logged redirect rule writes a REDIRECT line to dfwpktlogs.log (nsx-reference §2.5 lists the action). */
  private logRedirect(line: L3RuleLine, h: PacketHeader, dirBit: number, now: number): void {
    if (!line.logged) return;
    this.log.add(
      formatMatch({
        time: now, filterHash: this.hash, reason: 'match', action: 'REDIRECT', ruleset: this.rules!.ruleset, ruleId: line.id, dirIn: dirBit === DIR_IN,
        length: h.ipLen, proto: h.proto, src: h.srcIp, sport: h.srcPort, dst: h.dstIp, dport: h.dstPort, tcpFlags: h.tcpFlags, tag: line.tag,
      }),
    );
  }
}
