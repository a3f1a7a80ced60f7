/**
 * pf's two-peer TCP tracker (as OVS userspace conntrack ports it), written for the typed-array
 * table. Each peer keeps seqlo (highest sequence sent), seqhi (highest sequence the other side
 * will accept), max_win and a window-scale byte; states climb CLOSED → SYN_SENT → ESTABLISHED →
 * CLOSING → FIN_WAIT_2 → TIME_WAIT. The timer after each valid packet is chosen from both peers'
 * states, which lands exactly on NSX's timer names.
 */
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../../protocol/frame';
import { Detail } from '../codes';
import type { PacketHeader } from '../parse';
import { Timer } from '../timers';
import type { ConnTable } from './table';

// Imported enum members as module-local constants: transpiled file by file (tsx, Vite), each use of
// an imported binding is re-read through the module record, a measured ~30% of the established-flow path.
const Detail_InvalidFlags = Detail.InvalidFlags;
const Detail_None = Detail.None;
const Detail_SeqOutsideWindow = Detail.SeqOutsideWindow;
const Detail_StrictDataBeforeHandshake = Detail.StrictDataBeforeHandshake;
const Detail_StrictNotSyn = Detail.StrictNotSyn;
const Timer_TcpClosed = Timer.TcpClosed;
const Timer_TcpClosing = Timer.TcpClosing;
const Timer_TcpEstablished = Timer.TcpEstablished;
const Timer_TcpFinWait = Timer.TcpFinWait;
const Timer_TcpFirst = Timer.TcpFirst;
const Timer_TcpOpening = Timer.TcpOpening;

export const enum TcpState {
  Closed = 0,
  SynSent = 2,
  Established = 4,
  Closing = 7,
  FinWait2 = 9,
  TimeWait = 10,
}

export const TCP_STATE_NAMES: Record<number, string> = {
  0: 'CLOSED',
  2: 'SYN_SENT',
  4: 'ESTABLISHED',
  7: 'CLOSING',
  9: 'FIN_WAIT_2',
  10: 'TIME_WAIT',
};

export const enum Update {
  Valid = 0,
  /** Passed loosely (shotgun SYNs, pickup, late FIN/ACKs) without refreshing the timer. */
  Loose = 1,
  Invalid = 2,
  /** A fresh SYN on a fully closed session: drop the old entry and treat the packet as new. */
  Reopen = 3,
}

/** Entry flags shared by the trackers and the filter. */
export const enum ConnFlag {
  Logged = 1,
  Strict = 2,
  /** The session was allowed by a rule with an ALG service: its payloads are read for announcements. */
  Alg = 4,
  /** Admitted by an ALG expectation rather than a rule. */
  Related = 8,
  RstSeen = 32,
  FinSeen = 64,
}

const WS_KNOWN = 0x80;
const WS_UNKNOWN = 0x40;
const WS_MASK = 0x0f;
const MAX_WSCALE = 14;
/** One window plus a fragment's worth of slack, as pf allows for ack skew. */
const MAX_ACK_WINDOW = 0xffff + 1500;

/** Why the last tcpUpdate() answered Invalid. */
export let lastTcpDetail: Detail = Detail_None;

const seqGeq = (a: number, b: number): boolean => ((a - b) | 0) >= 0;
const seqGt = (a: number, b: number): boolean => ((a - b) | 0) > 0;

export function tcpInvalidFlags(flags: number): boolean {
  if (flags & TCP_SYN) {
    if (flags & (TCP_RST | TCP_FIN)) return true;
  } else if (!(flags & (TCP_ACK | TCP_RST))) {
    return true;
  }
  if (!(flags & TCP_ACK) && flags & (TCP_FIN | TCP_PSH | TCP_URG)) return true;
  return false;
}

export function isInitialSyn(flags: number): boolean {
  return (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
}

function setTimer(t: ConnTable, e: number, timer: Timer, now: number, timeouts: Float64Array): void {
  t.timer[e] = timer;
  t.expiry[e] = now + timeouts[timer];
}

/** Fills a new entry from its first packet. `pickup` = not a SYN (liberal: window scale unknown). */
export function tcpNew(t: ConnTable, e: number, h: PacketHeader, now: number, timeouts: Float64Array): void {
  const s = e * 2;
  const d = s + 1;
  const flags = h.tcpFlags;
  const seq = h.seq | 0;
  t.seqlo[s] = seq;
  t.seqhi[s] = (seq + h.payloadLen + 1) | 0;
  if (flags & TCP_SYN) {
    t.seqhi[s] = (t.seqhi[s] + 1) | 0;
    t.wscale[s] = h.wscale >= 0 ? WS_KNOWN | Math.min(h.wscale, MAX_WSCALE) : 0;
  } else {
    t.wscale[s] = WS_UNKNOWN;
    t.wscale[d] = WS_UNKNOWN;
  }
  let win = Math.max(h.win, 1);
  const sws = t.wscale[s] & WS_MASK;
  if (t.wscale[s] & WS_KNOWN && sws) win = (win + (1 << sws) - 1) >> sws;
  t.maxWin[s] = win;
  if (flags & TCP_FIN) t.seqhi[s] = (t.seqhi[s] + 1) | 0;
  t.seqhi[d] = 1;
  t.maxWin[d] = 1;
  t.state[s] = TcpState.SynSent;
  t.state[d] = TcpState.Closed;
  setTimer(t, e, Timer_TcpFirst, now, timeouts);
}

export function tcpUpdate(t: ConnTable, e: number, reply: boolean, h: PacketHeader, now: number, timeouts: Float64Array): Update {
  const flags = h.tcpFlags;
  if ((flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK)) === TCP_ACK) {
    const s = reply ? e * 2 + 1 : e * 2;
    if (t.state[s] === TcpState.Established && t.state[s ^ 1] === TcpState.Established && establishedAck(t, e, s, s ^ 1, h, now, timeouts)) {
      lastTcpDetail = Detail_None;
      return Update.Valid;
    }
  }
  return tcpUpdateGeneral(t, e, reply, h, now, timeouts);
}

/**
 * The common case, an ACK (no SYN, FIN or RST) between two established peers, with the same
 * arithmetic as tcpUpdateGeneral() takes for it. True when it was in window and has been
 * applied; false leaves everything untouched for the general path (which then decides
 * between loose and invalid).
 */
function establishedAck(t: ConnTable, e: number, si: number, di: number, h: PacketHeader, now: number, timeouts: Float64Array): boolean {
  const sw = t.wscale[si];
  const dw = t.wscale[di];
  let sws = 0;
  let dws = 0;
  if (sw & WS_KNOWN && dw & WS_KNOWN) {
    sws = sw & WS_MASK;
    dws = dw & WS_MASK;
  } else if (sw & WS_UNKNOWN && dw & WS_UNKNOWN) {
    sws = MAX_WSCALE;
    dws = MAX_WSCALE;
  }
  const seqloS = t.seqlo[si];
  const seqloD = t.seqlo[di];
  const ack = h.ack | 0;
  let seq = h.seq | 0;
  let end = (seq + h.payloadLen) | 0;
  if (seq === end) {
    seq = seqloS;
    end = seq;
  }
  const ackSkew = (seqloD - ack) | 0;
  if (!(seqGeq(t.seqhi[si], end) && seqGeq(seq, (seqloS - (t.maxWin[di] << dws)) | 0) && ackSkew >= -MAX_ACK_WINDOW && ackSkew <= MAX_ACK_WINDOW * (1 << sws))) return false;
  slideWindows(t, si, di, h.win, sws, ack, end);
  setTimer(t, e, Timer_TcpEstablished, now, timeouts);
  return true;
}

function tcpUpdateGeneral(t: ConnTable, e: number, reply: boolean, h: PacketHeader, now: number, timeouts: Float64Array): Update {
  const si = reply ? e * 2 + 1 : e * 2;
  const di = reply ? e * 2 : e * 2 + 1;
  const flags = h.tcpFlags;
  const strict = (t.flags[e] & ConnFlag.Strict) !== 0;
  lastTcpDetail = Detail_None;

  if (tcpInvalidFlags(flags)) {
    lastTcpDetail = Detail_InvalidFlags;
    return Update.Invalid;
  }
  if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && t.state[di] >= TcpState.FinWait2 && t.state[si] >= TcpState.FinWait2) {
    return Update.Reopen;
  }
  if (strict) {
    // TCP strict: the answering side must open with SYN|ACK, and nobody sends data before it has.
    if (t.state[si] < TcpState.SynSent && !(flags & TCP_SYN)) {
      lastTcpDetail = Detail_StrictNotSyn;
      return Update.Invalid;
    }
    if (h.payloadLen > 0 && t.state[di] < TcpState.SynSent) {
      lastTcpDetail = Detail_StrictDataBeforeHandshake;
      return Update.Invalid;
    }
  }

  let sws = 0;
  let dws = 0;
  const sw = t.wscale[si];
  const dw = t.wscale[di];
  if (sw & WS_KNOWN && dw & WS_KNOWN && !(flags & TCP_SYN)) {
    sws = sw & WS_MASK;
    dws = dw & WS_MASK;
  } else if (sw & WS_UNKNOWN && dw & WS_UNKNOWN && !(flags & TCP_SYN)) {
    sws = MAX_WSCALE;
    dws = MAX_WSCALE;
  }

  let win = h.win;
  let seq = h.seq | 0;
  const origSeq = seq;
  let ack = h.ack | 0;
  let end: number;
  let checkAckSkew = true;

  if (t.state[si] < TcpState.SynSent) {
    // First packet from this side.
    end = (seq + h.payloadLen) | 0;
    if (flags & TCP_SYN) {
      end = (end + 1) | 0;
      if (t.wscale[di] & WS_KNOWN) {
        t.wscale[si] = h.wscale >= 0 ? WS_KNOWN | Math.min(h.wscale, MAX_WSCALE) : 0;
        if (t.wscale[si] & WS_KNOWN) {
          sws = t.wscale[si] & WS_MASK;
          win = (win + (1 << sws) - 1) >> sws;
          dws = t.wscale[di] & WS_MASK;
        } else {
          // The other side offered scaling, this one did not: neither uses it.
          t.maxWin[di] = t.maxWin[di] << (t.wscale[di] & WS_MASK);
          t.wscale[di] = 0;
        }
      }
    }
    if (flags & TCP_FIN) end = (end + 1) | 0;
    t.seqlo[si] = seq;
    t.state[si] = TcpState.SynSent;
    const reach = (end + Math.max(1, t.maxWin[di] << dws)) | 0;
    if (t.seqhi[si] === 1 || seqGeq(reach, t.seqhi[si])) {
      t.seqhi[si] = reach;
      checkAckSkew = false;
    }
    if (win > t.maxWin[si]) t.maxWin[si] = win;
  } else {
    end = (seq + h.payloadLen) | 0;
    if (flags & TCP_SYN) end = (end + 1) | 0;
    if (flags & TCP_FIN) end = (end + 1) | 0;
  }

  if ((flags & TCP_ACK) === 0) ack = t.seqlo[di];
  else if (ack === 0 && (flags & (TCP_ACK | TCP_RST)) === (TCP_ACK | TCP_RST)) ack = t.seqlo[di];

  if (seq === end) {
    // No data: relax sequence checks.
    seq = t.seqlo[si];
    end = seq;
  }

  const ackSkew = checkAckSkew ? (t.seqlo[di] - ack) | 0 : 0;
  const backLimit = (t.seqlo[si] - (t.maxWin[di] << dws)) | 0;
  const inWindow =
    seqGeq(t.seqhi[si], end) &&
    seqGeq(seq, backLimit) &&
    ackSkew >= -MAX_ACK_WINDOW &&
    ackSkew <= MAX_ACK_WINDOW * (1 << sws) &&
    ((flags & TCP_RST) === 0 || origSeq === t.seqlo[si] || origSeq === ((t.seqlo[si] + 1) | 0) || ((origSeq + 1) | 0) === t.seqlo[si]);

  if (inWindow) {
    slideWindows(t, si, di, win, sws, ack, end);
    if (flags & TCP_SYN && t.state[si] < TcpState.SynSent) t.state[si] = TcpState.SynSent;
    if (flags & TCP_FIN && t.state[si] < TcpState.Closing) t.state[si] = TcpState.Closing;
    if (flags & TCP_ACK) {
      if (t.state[di] === TcpState.SynSent) t.state[di] = TcpState.Established;
      else if (t.state[di] === TcpState.Closing) t.state[di] = TcpState.FinWait2;
    }
    markEnd(t, e, si, di, flags);
    const ss = t.state[si];
    const ds = t.state[di];
    if (ss >= TcpState.FinWait2 && ds >= TcpState.FinWait2) setTimer(t, e, Timer_TcpClosed, now, timeouts);
    else if (ss >= TcpState.Closing && ds >= TcpState.Closing) setTimer(t, e, Timer_TcpFinWait, now, timeouts);
    else if (ss < TcpState.Established || ds < TcpState.Established) setTimer(t, e, Timer_TcpOpening, now, timeouts);
    else if (ss >= TcpState.Closing || ds >= TcpState.Closing) setTimer(t, e, Timer_TcpClosing, now, timeouts);
    else setTimer(t, e, Timer_TcpEstablished, now, timeouts);
    return Update.Valid;
  }

  if (
    (t.state[di] < TcpState.SynSent || t.state[di] >= TcpState.FinWait2 || t.state[si] >= TcpState.FinWait2) &&
    seqGeq((t.seqhi[si] + MAX_ACK_WINDOW) | 0, end) &&
    seqGeq(seq, (t.seqlo[si] - MAX_ACK_WINDOW) | 0)
  ) {
    // Shotgun SYNs before the peer answered, a picked-up stream, or stragglers after close:
    // let them through but keep the timer where it was.
    slideWindows(t, si, di, win, sws, ack, end);
    if (flags & TCP_FIN && t.state[si] < TcpState.Closing) t.state[si] = TcpState.Closing;
    markEnd(t, e, si, di, flags);
    return Update.Loose;
  }
  lastTcpDetail = Detail_SeqOutsideWindow;
  return Update.Invalid;
}

function slideWindows(t: ConnTable, si: number, di: number, win: number, sws: number, ack: number, end: number): void {
  if (t.maxWin[si] < win) t.maxWin[si] = win;
  if (seqGt(end, t.seqlo[si])) t.seqlo[si] = end;
  const scaled = win * (1 << sws);
  if (seqGeq((ack + scaled) | 0, t.seqhi[di])) t.seqhi[di] = (ack + Math.max(scaled, 1)) | 0;
}

function markEnd(t: ConnTable, e: number, si: number, di: number, flags: number): void {
  if (flags & TCP_RST) {
    t.state[si] = TcpState.TimeWait;
    t.state[di] = TcpState.TimeWait;
    t.flags[e] |= ConnFlag.RstSeen;
  }
  if (flags & TCP_FIN) t.flags[e] |= ConnFlag.FinSeen;
}

/** TERM reason for dfwpktlogs when the session ends. */
export function tcpTermReason(t: ConnTable, e: number): 'RST' | 'FIN' | 'TIMEOUT' {
  if (t.flags[e] & ConnFlag.RstSeen) return 'RST';
  if (t.state[e * 2] >= TcpState.FinWait2 && t.state[e * 2 + 1] >= TcpState.FinWait2) return 'FIN';
  return 'TIMEOUT';
}
