/**
 * vmware-sfw, slot 2: one vNIC filter with its rule table and connection tracker.
 *
 * Order per packet: normalisation (malformed → reasoned drop), L2 rules, then L3: ICMP errors
 * related to a tracked session, the connection tracker (SYNs too), ALG expectations (alg/), and
 * finally the rule table, first match. Allow creates state: TCP only on a SYN, UDP/other on the
 * 5-tuple, ICMP queries only (seed 002). A non-SYN TCP packet without state does not match a
 * stateful rule with a TCP service (pf's `flags S/SA`), so it falls through to later rules; a
 * rule with service ANY matches it with any flags and passes it, but creates no state.
 */
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../../protocol/frame';
import type { AddressSets, AlgName, FilterRules, L3RuleLine } from '../../../protocol/ruleset';
import { Act, Detail, REASON_NAMES, Reason, Table } from '../codes';
import { icmpErrorSeen, icmpNew, icmpUpdate, udpNew, udpUpdate } from '../conntrack/other-tracker';
import { ConnTable, type ConnTableState } from '../conntrack/table';
import { ConnFlag, isInitialSyn, lastTcpDetail, tcpInvalidFlags, tcpNew, tcpTermReason, tcpUpdate, Update } from '../conntrack/tcp-tracker';
import { ICMP_PORT_FAMILY_FLAG, icmpQueryOfReply, icmpReplyType, isIcmpError, ParseStatus, type PacketHeader } from '../parse';
import { filterHash, formatL2Match, formatMatch, formatTerm, type PktLog } from '../pktlog';
import type { SlotResult } from '../slot-result';
import { ALG_EXPECT_MS, AlgGateway, controlKeyOf, type AlgExpectation } from '../alg/expectations';
import { L2RuleSet, macNumber } from './l2-ruleset';
import { L3RuleSet } from './l3-ruleset';
import { listChange } from '../../../protocol/codec/list-change';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Act_Drop = Act.Drop;
const Act_Pass = Act.Pass;
const Act_Reject = Act.Reject;
const ConnFlag_Alg = ConnFlag.Alg;
const ConnFlag_Logged = ConnFlag.Logged;
const ConnFlag_Related = ConnFlag.Related;
const ConnFlag_Strict = ConnFlag.Strict;
const Detail_BadIpVersion = Detail.BadIpVersion;
const Detail_IcmpRelated = Detail.IcmpRelated;
const Detail_InvalidFlags = Detail.InvalidFlags;
const Detail_Ipv6NotModelled = Detail.Ipv6NotModelled;
const Detail_L2Reject = Detail.L2Reject;
const Detail_None = Detail.None;
/** The trace's explanation of a connection an ALG expected. */
const ALG_DETAIL: Record<AlgName, Detail> = {
  ftp: Detail.AlgFtp,
  sun_rpc_tcp: Detail.AlgSunRpc,
  sun_rpc_udp: Detail.AlgSunRpc,
  ms_rpc_tcp: Detail.AlgMsRpc,
  ms_rpc_udp: Detail.AlgMsRpc,
  oracle_tns: Detail.AlgTns,
};
const Detail_NotProgrammed = Detail.NotProgrammed;
const Detail_HeapExhausted = Detail.HeapExhausted;
const Reason_Memory = Reason.Memory;
/** createState(): the heap is exhausted (a full table answers -1). */
const HEAP_FULL = -2;
const Detail_NonSynByAnyService = Detail.NonSynByAnyService;
const Detail_Stateless = Detail.Stateless;
const Detail_StrictNotSyn = Detail.StrictNotSyn;
const Detail_TableFull = Detail.TableFull;
const ParseStatus_BadOffset = ParseStatus.BadOffset;
const ParseStatus_BadVersion = ParseStatus.BadVersion;
const ParseStatus_Fragment = ParseStatus.Fragment;
const ParseStatus_Ipv4 = ParseStatus.Ipv4;
const ParseStatus_Short = ParseStatus.Short;
const Reason_BadOffset = Reason.BadOffset;
const Reason_Fragment = Reason.Fragment;
const Reason_Match = Reason.Match;
const Reason_NoMatch = Reason.NoMatch;
const Reason_NoRules = Reason.NoRules;
const Reason_Normalize = Reason.Normalize;
const Reason_NotIp = Reason.NotIp;
const Reason_Short = Reason.Short;
const Reason_StateLimit = Reason.StateLimit;
const Reason_StateMismatch = Reason.StateMismatch;
const Table_Default = Table.Default;
const Table_L2Rule = Table.L2Rule;
const Table_None = Table.None;
const Table_Rule = Table.Rule;
const Table_State = Table.State;
const Update_Invalid = Update.Invalid;
const Update_Reopen = Update.Reopen;
const Update_Valid = Update.Valid;

const DIR_IN = 1;

/** Counter layout: pass in/out, drop in/out, then one per reason, then sessions created/ended. */
export const STAT_PASS_IN = 0;
export const STAT_PASS_OUT = 1;
export const STAT_DROP_IN = 2;
export const STAT_DROP_OUT = 3;
export const STAT_REASON0 = 4;
export const STAT_SESSIONS_CREATED = STAT_REASON0 + REASON_NAMES.length;
export const STAT_SESSIONS_ENDED = STAT_SESSIONS_CREATED + 1;
const STAT_COUNT = STAT_SESSIONS_ENDED + 1;

/** Counters saved before a reason was added: the reasons keep their place, sessions move to the end. */
function statsOfLayout(saved: number[]): Float64Array<ArrayBuffer> {
  if (saved.length === STAT_COUNT) return Float64Array.from(saved);
  const out = new Float64Array(STAT_COUNT);
  out.set(saved.slice(0, Math.min(saved.length - 2, STAT_SESSIONS_CREATED)));
  out[STAT_SESSIONS_CREATED] = saved[saved.length - 2] ?? 0;
  out[STAT_SESSIONS_ENDED] = saved[saved.length - 1] ?? 0;
  return out;
}

export interface SfwFilterState {
  name: string;
  rules: FilterRules | null;
  hits: number[];
  l2Hits: number[];
  stats: number[];
  conntrack: ConnTableState;
  expectations: AlgExpectation[];
}

export class SfwFilter {
  readonly hash: number;
  rules: FilterRules | null = null;
  l2: L2RuleSet | null = null;
  private compiledL3: L3RuleSet | null = null;
  /**
   * Rules programmed but not compiled yet: the L3 table is compiled on first use (a packet, a
   * shell view), so a host whose VMs see no traffic never compiles its 10k-rule tables, and a
   * host given several publishes in a row compiles once. `base`: the table to patch (resolved
   * against older sets, `changed` names every set changed since), or none to compile whole.
   */
  private pending: { sets: AddressSets; base?: L3RuleSet; changed?: Set<string> } | null = null;
  ct = new ConnTable(64);
  /** Hits per L3 line and per L2 line. */
  hits = new Float64Array(0);
  l2Hits = new Float64Array(0);
  stats = new Float64Array(STAT_COUNT);
  /** Set by the kernel while the DFW heap is exhausted: no new state can be allocated. */
  heapFull = false;
  /** ALG expectations and the portmapper calls awaiting their reply. */
  readonly alg = new AlgGateway();
  /** Rule compilations since creation (address-set updates must not add to this). */
  compileCount = 0;
  /** L3 tables built since creation: at most one per first use after new rules, however many came. */
  tableBuilds = 0;

  constructor(
    readonly name: string,
    private readonly log: PktLog,
    readonly timeouts: Float64Array,
  ) {
    this.hash = filterHash(name);
  }

  /**
   * Installs new rules; unchanged rules are kept with their counters. `changedSets`, when known,
   * names the address sets that changed since the last program or set update: the new table may
   * then start from the current one (bringing those sets up to date) instead of from nothing.
   */
  program(rules: FilterRules | null, sets: AddressSets, changedSets?: ReadonlySet<string>): void {
    if (rules && this.rules && sameRules(rules, this.rules)) {
      this.rules = rules;
      if (changedSets?.size) this.setsChanged(sets, changedSets);
      return;
    }
    this.rules = rules;
    if (rules) setCountsOf(rules.l3);
    const base = changedSets ? (this.pending ? this.pending.base : this.compiledL3 ?? undefined) : undefined;
    const changed = base ? new Set([...(this.pending?.changed ?? []), ...changedSets!]) : undefined;
    this.compiledL3 = null;
    this.pending = rules ? { sets, base, changed } : null;
    this.l2 = rules && rules.l2.length ? new L2RuleSet(rules.l2, sets) : null;
    this.hits = new Float64Array(rules ? rules.l3.length : 0);
    this.l2Hits = new Float64Array(rules ? rules.l2.length : 0);
    this.compileCount++;
  }

  /** The compiled L3 table (compiled now if rules came since it was last used). */
  get l3(): L3RuleSet | null {
    const p = this.pending;
    if (p && this.rules) {
      this.pending = null;
      this.tableBuilds++;
      this.compiledL3 = new L3RuleSet(this.rules.l3, p.sets, p.base);
      if (p.base && p.changed?.size) this.compiledL3.updateSets(p.sets, p.changed);
    }
    return this.compiledL3;
  }

  referencedSets(): Set<string> {
    // Read from the lines while the table waits to be compiled: counting must not compile it.
    const out = this.pending && this.rules ? new Set(setsNamedBy(this.rules.l3)) : this.l3 ? this.l3.referencedSets() : new Set<string>();
    if (this.l2) for (const s of this.l2.referencedSets()) out.add(s);
    return out;
  }

  /** Address sets changed on the host: re-resolve addresses without recompiling rules. */
  setsChanged(sets: AddressSets, changed: ReadonlySet<string>): void {
    if (this.pending) {
      this.pending.sets = sets;
      for (const s of changed) this.pending.changed?.add(s);
    } else this.compiledL3?.updateSets(sets, changed);
    if (this.l2 && [...this.l2.referencedSets()].some((s) => changed.has(s))) this.l2.updateSets(sets);
  }

  isDefaultLine(line: number): boolean {
    return this.l3 !== null && line === this.l3.defaultLine;
  }

  process(h: PacketHeader, frame: Uint8Array | null, dirBit: number, now: number, r: SlotResult): void {
    this.decide(h, frame, dirBit, now, r);
    const dropped = r.action !== Act_Pass;
    const inbound = dirBit === DIR_IN;
    this.stats[dropped ? (inbound ? STAT_DROP_IN : STAT_DROP_OUT) : inbound ? STAT_PASS_IN : STAT_PASS_OUT]++;
    this.stats[STAT_REASON0 + r.reason]++;
  }

  sweep(now: number): void {
    if (this.ct.count === 0) return;
    this.ct.sweep(now, (e) => this.endSession(e, this.ct.expiry[e], this.ct.proto[e] === PROTO_TCP ? tcpTermReason(this.ct, e) : 'TIMEOUT'));
    this.alg.sweep(now, this.ct);
  }

  private decide(h: PacketHeader, frame: Uint8Array | null, dirBit: number, now: number, r: SlotResult): void {
    switch (h.status) {
      case ParseStatus_Short:
        return r.set(Act_Drop, Table_None, Reason_Short);
      case ParseStatus_BadOffset:
        return r.set(Act_Drop, Table_None, Reason_BadOffset);
      case ParseStatus_Fragment:
        return r.set(Act_Drop, Table_None, Reason_Fragment);
      case ParseStatus_BadVersion:
        return r.set(Act_Drop, Table_None, Reason_Normalize, -1, Detail_BadIpVersion);
    }
    if (!this.rules) return r.set(Act_Pass, Table_None, Reason_NoRules, -1, Detail_NotProgrammed);

    if (this.l2) {
      const i = this.l2.classify(dirBit, h.ethertype, macNumber(h.srcMacHi, h.srcMacLo), macNumber(h.dstMacHi, h.dstMacLo));
      if (i >= 0) {
        this.l2Hits[i]++;
        const line = this.l2.lines[i];
        if (line.logged) this.logL2(line.id, line.action, line.tag, h, dirBit, now);
        if (line.action !== 'allow') return r.set(Act_Drop, Table_L2Rule, Reason_Match, line.id, line.action === 'reject' ? Detail_L2Reject : Detail_None);
        r.l2RuleId = line.id;
      }
    }
    if (h.status !== ParseStatus_Ipv4) {
      const detail = h.ethertype === 0x86dd ? Detail_Ipv6NotModelled : Detail_None;
      if (r.l2RuleId >= 0) return r.set(Act_Pass, Table_L2Rule, Reason_Match, r.l2RuleId, detail);
      return r.set(Act_Pass, Table_None, Reason_NotIp, -1, detail);
    }
    this.decideL3(h, frame, dirBit, now, r);
  }

  private decideL3(h: PacketHeader, frame: Uint8Array | null, dirBit: number, now: number, r: SlotResult): void {
    const ct = this.ct;
    const proto = h.proto;
    if (proto === PROTO_TCP && tcpInvalidFlags(h.tcpFlags)) return r.set(Act_Drop, Table_None, Reason_Normalize, -1, Detail_InvalidFlags);

    if (proto === PROTO_ICMP && h.innerValid && isIcmpError(h.icmpType)) {
      const e = this.lookup(h.innerSrc, h.innerDst, h.innerSport, h.innerDport, h.innerProto, now);
      if (e >= 0) {
        if (h.innerProto === PROTO_ICMP) icmpErrorSeen(ct, e, now, this.timeouts);
        this.count(e, ct.lastReply ? 0 : 1, h.ipLen); // the error travels against the quoted packet
        return r.set(Act_Pass, Table_State, Reason_Match, ct.ruleId[e], Detail_IcmpRelated);
      }
    }

    let sport = h.srcPort;
    let dport = h.dstPort;
    let tracked = true;
    if (proto === PROTO_ICMP) {
      if (icmpReplyType(h.icmpType) >= 0) {
        sport = h.icmpId;
        dport = ICMP_PORT_FAMILY_FLAG | h.icmpType;
      } else {
        const q = icmpQueryOfReply(h.icmpType);
        if (q >= 0) {
          sport = ICMP_PORT_FAMILY_FLAG | q;
          dport = h.icmpId;
        } else tracked = false;
      }
    }

    if (tracked) {
      const e = this.lookup(h.srcIp, h.dstIp, sport, dport, proto, now);
      if (e >= 0) {
        const reply = ct.lastReply;
        let res = Update_Valid;
        if (proto === PROTO_TCP) res = tcpUpdate(ct, e, reply, h, now, this.timeouts);
        else if (proto === PROTO_ICMP) icmpUpdate(ct, e, reply, now, this.timeouts);
        else udpUpdate(ct, e, reply, now, this.timeouts);
        if (res === Update_Invalid) return r.set(Act_Drop, Table_State, Reason_StateMismatch, ct.ruleId[e], lastTcpDetail);
        if (res === Update_Reopen) {
          this.endSession(e, now, tcpTermReason(ct, e));
          ct.remove(e);
        } else {
          this.count(e, reply ? 1 : 0, h.ipLen);
          if (frame !== null && h.payloadLen > 0 && (ct.flags[e] & ConnFlag_Alg) !== 0) this.watchAlg(e, h, frame, now);
          return r.set(Act_Pass, Table_State, Reason_Match, ct.ruleId[e]);
        }
      }
    }

    if (this.alg.expectations.length > 0 && ((proto === PROTO_TCP && isInitialSyn(h.tcpFlags)) || proto === PROTO_UDP)) {
      const x = this.alg.take(proto, h.srcIp, h.dstIp, h.dstPort, now, ct);
      if (x) {
        const e = this.createState(h, sport, dport, dirBit, now, x.ruleId, x.ruleLine, ConnFlag_Related | (x.logged ? ConnFlag_Logged : 0));
        if (e < 0) return r.set(Act_Drop, Table_State, Reason_StateLimit, x.ruleId, Detail_TableFull);
        return r.set(Act_Pass, Table_State, Reason_Match, x.ruleId, ALG_DETAIL[x.alg]);
      }
    }

    this.decideByRules(h, frame, sport, dport, tracked, dirBit, now, r);
  }

  private decideByRules(h: PacketHeader, frame: Uint8Array | null, sport: number, dport: number, tracked: boolean, dirBit: number, now: number, r: SlotResult): void {
    const l3 = this.l3!;
    const proto = h.proto;
    let after = -1;
    for (;;) {
      const lineIdx = l3.classify(dirBit, proto, h.srcIp, h.dstIp, h.srcPort, h.dstPort, h.icmpType, h.icmpCode, after);
      if (lineIdx < 0) return r.set(Act_Pass, Table_None, Reason_NoMatch);
      const line = l3.lines[lineIdx];
      const table = lineIdx === l3.defaultLine ? Table_Default : Table_Rule;
      if (line.action !== 'allow') {
        this.hits[lineIdx]++;
        const act = line.action === 'reject' ? Act_Reject : Act_Drop;
        this.logMatch(line, h, dirBit, now, act === Act_Reject ? 'REJECT' : 'DROP');
        return r.set(act, table, Reason_Match, line.id);
      }
      if (line.stateless) {
        this.hits[lineIdx]++;
        this.logMatch(line, h, dirBit, now, 'PASS');
        return r.set(Act_Pass, table, Reason_Match, line.id, Detail_Stateless);
      }
      let detail = Detail_None;
      if (proto === PROTO_TCP && !isInitialSyn(h.tcpFlags)) {
        if (line.tcpStrict) {
          this.hits[lineIdx]++;
          return r.set(Act_Drop, table, Reason_StateMismatch, line.id, Detail_StrictNotSyn);
        }
        if (line.protocol !== 'any') {
          after = lineIdx; // flags S/SA: this rule only matches the opening SYN
          continue;
        }
        detail = Detail_NonSynByAnyService;
      }
      this.hits[lineIdx]++;
      this.logMatch(line, h, dirBit, now, 'PASS');
      // Seed 002: TCP state is set only for a SYN, even when a service-ANY rule passes other flags.
      const createsState = tracked && detail !== Detail_NonSynByAnyService && (proto !== PROTO_ICMP || icmpReplyType(h.icmpType) >= 0);
      if (createsState) {
        const flags = (line.logged ? ConnFlag_Logged : 0) | (line.tcpStrict ? ConnFlag_Strict : 0) | (line.alg ? ConnFlag_Alg : 0);
        const e = this.createState(h, sport, dport, dirBit, now, line.id, lineIdx, flags);
        if (e === HEAP_FULL) return r.set(Act_Drop, table, Reason_Memory, line.id, Detail_HeapExhausted);
        if (e < 0) return r.set(Act_Drop, table, Reason_StateLimit, line.id, Detail_TableFull);
        // A UDP ALG session's first datagram is already the call (a portmapper GETPORT).
        if (line.alg && frame !== null && h.payloadLen > 0) this.watchAlg(e, h, frame, now);
      }
      return r.set(Act_Pass, table, Reason_Match, line.id, detail);
    }
  }

  private createState(h: PacketHeader, sport: number, dport: number, dirBit: number, now: number, ruleId: number, ruleLine: number, flags: number): number {
    if (this.heapFull) return HEAP_FULL;
    const ct = this.ct;
    const e = ct.insert(h.srcIp, h.dstIp, sport, dport, h.proto);
    if (e < 0) return -1;
    ct.flags[e] = flags;
    ct.ruleId[e] = ruleId;
    ct.ruleLine[e] = ruleLine;
    ct.dir[e] = dirBit;
    ct.created[e] = now;
    if (h.proto === PROTO_TCP) tcpNew(ct, e, h, now, this.timeouts);
    else if (h.proto === PROTO_ICMP) icmpNew(ct, e, now, this.timeouts);
    else udpNew(ct, e, now, this.timeouts);
    this.count(e, 0, h.ipLen);
    this.stats[STAT_SESSIONS_CREATED]++;
    return e;
  }

  /** Table lookup with lazy expiry: an expired hit ends the session and counts as a miss. */
  private lookup(src: number, dst: number, sport: number, dport: number, proto: number, now: number): number {
    const ct = this.ct;
    const e = ct.find(src, dst, sport, dport, proto);
    if (e < 0) return -1;
    if (ct.expiry[e] <= now) {
      const reply = ct.lastReply;
      this.endSession(e, ct.expiry[e], proto === PROTO_TCP ? tcpTermReason(ct, e) : 'TIMEOUT');
      ct.remove(e);
      ct.lastReply = reply;
      return -1;
    }
    return e;
  }

  private count(e: number, peer: number, bytes: number): void {
    this.ct.pkts[e * 2 + peer]++;
    this.ct.bytes[e * 2 + peer] += bytes;
  }

  /** A payload on an ALG control session: an announced connection becomes an expectation tied to this session. */
  private watchAlg(e: number, h: PacketHeader, frame: Uint8Array, now: number): void {
    const ct = this.ct;
    const alg = this.algOf(e);
    if (!alg) return;
    const found = this.alg.inspect(alg, h.proto, frame, h.payloadOff, h.payloadLen, h.srcIp, h.dstIp);
    if (!found) return;
    this.alg.expect({
      alg,
      ...found,
      expires: now + ALG_EXPECT_MS,
      ruleId: ct.ruleId[e],
      ruleLine: ct.ruleLine[e],
      logged: (ct.flags[e] & ConnFlag_Logged) !== 0,
      control: controlKeyOf(ct, e),
    });
  }

  /** The ALG of the rule that created a session (found by id when the table was reprogrammed since). */
  private algOf(e: number): AlgName | undefined {
    const lines = this.rules?.l3;
    if (!lines) return undefined;
    const id = this.ct.ruleId[e];
    const line = lines[this.ct.ruleLine[e]];
    return (line?.id === id ? line : lines.find((l) => l.id === id && l.alg))?.alg;
  }

  /** Writes the TERM record of a logged session (the caller removes the entry). */
  endSession(e: number, time: number, reason: 'RST' | 'FIN' | 'TIMEOUT'): void {
    const ct = this.ct;
    this.stats[STAT_SESSIONS_ENDED]++;
    if ((ct.flags[e] & ConnFlag_Logged) === 0) return;
    const origIn = ct.dir[e] === DIR_IN;
    const line = this.rules?.l3[ct.ruleLine[e]];
    this.log.add(
      formatTerm({
        time,
        filterHash: this.hash,
        ruleset: this.rules?.ruleset ?? '-',
        ruleId: ct.ruleId[e],
        dirIn: origIn,
        proto: ct.proto[e],
        termReason: ct.proto[e] === PROTO_TCP ? reason : 'TIMEOUT',
        src: ct.src[e],
        sport: ct.proto[e] === PROTO_ICMP ? 0 : ct.sport(e),
        dst: ct.dst[e],
        dport: ct.proto[e] === PROTO_ICMP ? 0 : ct.dport(e),
        inPkts: origIn ? ct.pkts[e * 2] : ct.pkts[e * 2 + 1],
        outPkts: origIn ? ct.pkts[e * 2 + 1] : ct.pkts[e * 2],
        inBytes: origIn ? ct.bytes[e * 2] : ct.bytes[e * 2 + 1],
        outBytes: origIn ? ct.bytes[e * 2 + 1] : ct.bytes[e * 2],
        tag: line?.id === ct.ruleId[e] ? line.tag : undefined,
      }),
    );
  }

  private logMatch(line: L3RuleLine, h: PacketHeader, dirBit: number, now: number, action: string): void {
    if (!line.logged) return;
    this.log.add(
      formatMatch({
        time: now,
        filterHash: this.hash,
        reason: 'match',
        action,
        ruleset: this.rules!.ruleset,
        ruleId: line.id,
        dirIn: dirBit === DIR_IN,
        length: h.ipLen,
        proto: h.proto,
        src: h.srcIp,
        sport: h.srcPort,
        dst: h.dstIp,
        dport: h.dstPort,
        tcpFlags: h.tcpFlags,
        tag: line.tag,
      }),
    );
  }

  /** A logged L2 rule writes its match too (ruleset `<cluster>_L2`, as getrules names it); non-IP frames show their ethertype. */
  private logL2(ruleId: number, action: string, tag: string | undefined, h: PacketHeader, dirBit: number, now: number): void {
    const act = action === 'allow' ? 'PASS' : 'DROP';
    const ruleset = `${this.rules!.ruleset}_L2`;
    if (h.status === ParseStatus.Ipv4) {
      this.log.add(formatMatch({ time: now, filterHash: this.hash, reason: 'match', action: act, ruleset, ruleId, dirIn: dirBit === DIR_IN, length: h.ipLen, proto: h.proto, src: h.srcIp, sport: h.srcPort, dst: h.dstIp, dport: h.dstPort, tcpFlags: h.tcpFlags, tag }));
      return;
    }
    this.log.add(formatL2Match({ time: now, filterHash: this.hash, action: act, ruleset, ruleId, dirIn: dirBit === DIR_IN, length: h.frameLen, ethertype: h.ethertype, srcMacHi: h.srcMacHi, srcMacLo: h.srcMacLo, dstMacHi: h.dstMacHi, dstMacLo: h.dstMacLo, tag }));
  }

  snapshot(): SfwFilterState {
    return {
      name: this.name,
      rules: this.rules,
      hits: Array.from(this.hits),
      l2Hits: Array.from(this.l2Hits),
      stats: Array.from(this.stats),
      conntrack: this.ct.snapshot(),
      expectations: this.alg.snapshot(),
    };
  }

  restore(s: SfwFilterState, sets: AddressSets): void {
    this.program(s.rules, sets);
    this.hits = Float64Array.from(s.hits);
    this.l2Hits = Float64Array.from(s.l2Hits);
    this.stats = statsOfLayout(s.stats);
    this.ct = ConnTable.restore(s.conntrack);
    this.alg.restore(s.expectations ?? []);
  }
}

const namedSets = new WeakMap<readonly L3RuleLine[], string[]>();
const setCounts = new WeakMap<readonly L3RuleLine[], Map<string, number>>();

/**
 * The address sets a list's lines name, as its compiled table would reference them (IPv6 lines
 * compile to nothing), sorted. Kept per list as a count per set: a list made from an earlier one
 * whose counts are known (a publish after an edit) is counted by the lines that changed, not by
 * its 10k lines (read once per host per publish, in an isolate where a walk of them runs cold).
 */
function setsNamedBy(lines: readonly L3RuleLine[]): string[] {
  let names = namedSets.get(lines);
  if (!names) {
    const counts = setCountsOf(lines);
    names = [];
    for (const [name, n] of counts) if (n > 0) names.push(name);
    namedSets.set(lines, names.sort());
  }
  return names;
}

/**
 * Counted when programmed, while the list it was made from is surely alive (it is only held
 * weakly): a full sync counts its 10k lines then, with the rest of the sync's work, and each
 * publish after it counts the lines that changed. Counted at the first resource reading
 * instead, a host's first edit after boot walked the whole list in a cold isolate.
 */
function setCountsOf(lines: readonly L3RuleLine[]): Map<string, number> {
  let counts = setCounts.get(lines);
  if (counts) return counts;
  const change = listChange(lines);
  const before = change && setCounts.get(change.base);
  if (change && before) {
    counts = new Map(before);
    countSets(counts, change.base, change.head, change.base.length - change.tail, -1);
    countSets(counts, lines, change.head, lines.length - change.tail, 1);
  } else {
    counts = new Map();
    countSets(counts, lines, 0, lines.length, 1);
  }
  setCounts.set(lines, counts);
  return counts;
}

/** Adds `by` to each set named by lines [from, to). Indexed loops: `for…of` makes an iterator per array until the function is optimised. */
function countSets(counts: Map<string, number>, lines: readonly L3RuleLine[], from: number, to: number, by: number): void {
  for (let i = from; i < to; i++) {
    const l = lines[i]!;
    const src = l.src.sets;
    const dst = l.dst.sets;
    if ((src.length === 0 && dst.length === 0) || l.packetType === 'ipv6') continue;
    for (let j = 0; j < src.length; j++) counts.set(src[j]!, (counts.get(src[j]!) ?? 0) + by);
    for (let j = 0; j < dst.length; j++) counts.set(dst[j]!, (counts.get(dst[j]!) ?? 0) + by);
  }
}

/**
 * Same lines. The decoder hands back unchanged lists and lines as the objects it decoded before,
 * so identity settles almost every comparison; lines built in memory compare by value.
 */
function sameRules(a: FilterRules, b: FilterRules): boolean {
  return a.ruleset === b.ruleset && sameLines(a.l3, b.l3) && sameLines(a.l2, b.l2);
}

function sameLines<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  // A list the decoder made from `b` shares its first and last lines: only the ones between can differ.
  const change = listChange(a);
  const [from, to] = change?.base === b ? [change.head, a.length - change.tail] : [0, a.length];
  for (let i = from; i < to; i++) if (a[i] !== b[i] && JSON.stringify(a[i]) !== JSON.stringify(b[i])) return false;
  return true;
}
