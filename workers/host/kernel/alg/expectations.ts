/**
 * The ALG expectations of one vmware-sfw filter: a connection announced on an ALG control
 * session (FTP PASV/EPSV/PORT/EPRT, a portmapper GETPORT reply, an endpoint-mapper reply, a TNS
 * redirect) that the filter lets open although no rule allows it. An expectation holds only for
 * the parties and port announced, is used once, and lives only while its control session lives.
 */
import { PROTO_TCP, PROTO_UDP } from '../../../protocol/frame';
import type { AlgName } from '../../../protocol/ruleset';
import type { ConnTable } from '../conntrack/table';
import { ConnFlag, TcpState } from '../conntrack/tcp-tracker';
import { scanFtpPayload } from './ftp';
import { scanEptMapResponse } from './msrpc';
import { parseGetportCall, parseGetportReply } from '../../../protocol/sunrpc';
import { scanTnsRedirect } from './tns';

/** How long an announced connection may take to show up (and the most any expectation lives). */
export const ALG_EXPECT_MS = 120_000;
/** Portmapper calls remembered per filter until their reply (by xid). */
const MAX_PENDING_CALLS = 64;
/** Expectations per filter: a flood of announcements cannot grow the table without bound. */
const MAX_EXPECTATIONS = 256;

/** The conntrack key of a control session, as its first packet had it. */
interface ControlKey {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: number;
}

export interface AlgExpectation {
  alg: AlgName;
  /** IP protocol of the announced connection (6 or 17). */
  proto: number;
  /** Who will open it, to which address and port. */
  src: number;
  dst: number;
  dport: number;
  expires: number;
  ruleId: number;
  ruleLine: number;
  logged: boolean;
  /** Absent in labs saved before expectations were tied to their control session. */
  control?: ControlKey;
}

/** What a payload on an ALG session announces, given who sent it. */
interface Announcement {
  proto: number;
  /** The side that will open the announced connection. */
  src: number;
  dst: number;
  dport: number;
}

/** A pending portmapper call: which transport the caller asked for. */
interface PendingCall {
  xid: number;
  protocol: number;
}

export function controlKeyOf(ct: ConnTable, e: number): ControlKey {
  return { src: ct.src[e], dst: ct.dst[e], sport: ct.sport(e), dport: ct.dport(e), proto: ct.proto[e] };
}

/** A control session is alive while its entry exists, has not timed out and neither side has closed or reset it. */
function controlAlive(ct: ConnTable, k: ControlKey, now: number): boolean {
  const e = ct.find(k.src, k.dst, k.sport, k.dport, k.proto);
  if (e < 0 || ct.expiry[e] <= now) return false;
  if (k.proto !== PROTO_TCP) return true;
  if ((ct.flags[e] & ConnFlag.RstSeen) !== 0) return false;
  return ct.state[e * 2] <= TcpState.Established && ct.state[e * 2 + 1] <= TcpState.Established;
}

export class AlgGateway {
  expectations: AlgExpectation[] = [];
  private calls: PendingCall[] = [];

  /**
   * Reads one payload of an ALG session (`sender` → `receiver`) and returns what it announces.
   * Portmapper calls are remembered so their reply knows the transport asked for.
   */
  inspect(alg: AlgName, proto: number, bytes: Uint8Array, off: number, len: number, sender: number, receiver: number): Announcement | null {
    const found = this.announced(alg, proto, bytes, off, len, sender, receiver);
    // Only between the control connection's parties: an address other than the announcer's own
    // (an FTP bounce, a redirect to a third host) opens nothing, as Linux's FTP helper does by default.
    return found && found.dst === sender ? found : null;
  }

  private announced(alg: AlgName, proto: number, bytes: Uint8Array, off: number, len: number, sender: number, receiver: number): Announcement | null {
    switch (alg) {
      case 'ftp': {
        const found = scanFtpPayload(bytes, off, len, sender);
        // The peer of whoever announced the endpoint opens the data connection.
        return found && { proto: PROTO_TCP, src: receiver, dst: found.ip, dport: found.port };
      }
      case 'sun_rpc_tcp':
      case 'sun_rpc_udp': {
        const tcp = proto === PROTO_TCP;
        const call = parseGetportCall(bytes, off, len, tcp);
        if (call) {
          if (call.protocol === PROTO_TCP || call.protocol === PROTO_UDP) {
            this.calls = [...this.calls.filter((c) => c.xid !== call.xid), { xid: call.xid, protocol: call.protocol }].slice(-MAX_PENDING_CALLS);
          }
          return null;
        }
        const reply = parseGetportReply(bytes, off, len, tcp);
        const asked = reply && this.calls.find((c) => c.xid === reply.xid);
        if (!reply || !asked) return null;
        this.calls = this.calls.filter((c) => c !== asked);
        return { proto: asked.protocol, src: receiver, dst: sender, dport: reply.port };
      }
      case 'ms_rpc_tcp':
      case 'ms_rpc_udp': {
        const found = scanEptMapResponse(bytes, off, len, sender);
        return found && { proto: PROTO_TCP, src: receiver, dst: found.ip, dport: found.port };
      }
      case 'oracle_tns': {
        const found = scanTnsRedirect(bytes, off, len);
        return found && { proto: PROTO_TCP, src: receiver, dst: found.ip, dport: found.port };
      }
    }
  }

  expect(x: AlgExpectation): void {
    this.expectations = this.expectations.filter((o) => !(o.proto === x.proto && o.src === x.src && o.dst === x.dst && o.dport === x.dport));
    this.expectations.push(x);
    if (this.expectations.length > MAX_EXPECTATIONS) this.expectations.shift();
  }

  /** The expectation a connection's first packet fulfils (removed: each is used once), or undefined. */
  take(proto: number, src: number, dst: number, dport: number, now: number, ct: ConnTable): AlgExpectation | undefined {
    const i = this.expectations.findIndex((x) => x.proto === proto && x.src === src && x.dst === dst && x.dport === dport);
    if (i < 0) return undefined;
    const x = this.expectations[i];
    if (x.expires <= now || (x.control && !controlAlive(ct, x.control, now))) {
      this.expectations.splice(i, 1);
      return undefined;
    }
    this.expectations.splice(i, 1);
    return x;
  }

  /** Drops expectations that timed out or whose control session is gone. */
  sweep(now: number, ct: ConnTable): void {
    if (this.expectations.length === 0) return;
    this.expectations = this.expectations.filter((x) => x.expires > now && (!x.control || controlAlive(ct, x.control, now)));
  }

  snapshot(): AlgExpectation[] {
    return this.expectations.map((x) => ({ ...x, control: x.control && { ...x.control } }));
  }

  restore(saved: readonly Partial<AlgExpectation>[]): void {
    // Labs saved before other ALGs existed hold FTP expectations without alg / proto.
    this.expectations = saved.map((x) => ({ alg: 'ftp', proto: PROTO_TCP, ...x }) as AlgExpectation);
    this.calls = [];
  }
}
