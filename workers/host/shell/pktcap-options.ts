/**
 * `pktcap-uw`'s command line as ESXi 6.x takes it (nsx-reference §2.4, the vSphere Networking
 * guide's "Capture Points of the pktcap-uw Utility"): one adapter option (`--switchport`,
 * `--uplink`, `--vmk`, `--dvfilter`) or a standalone point (`--capture Drop`), `--dir`,
 * `--capture`, `-c`, `-o`, `-s` and flow filters. Everything is checked before a session starts;
 * unknown or malformed options are refused with getopt's wording, as the real tool does.
 */
import { isIpv4 } from '../../protocol/addresses';

const CAPTURE_POINTS = ['PortInput', 'PortOutput', 'VnicTx', 'VnicRx', 'UplinkRcv', 'UplinkSnd', 'PreDVFilter', 'PostDVFilter', 'Drop'] as const;
export type CapturePoint = (typeof CAPTURE_POINTS)[number];

type CaptureTarget =
  | { kind: 'switchport'; port: number }
  | { kind: 'uplink'; name: string }
  | { kind: 'vmk'; name: string }
  | { kind: 'dvfilter'; name: string }
  | { kind: 'none' };

interface CaptureFilters {
  srcIp?: string;
  dstIp?: string;
  ip?: string;
  proto?: number;
  srcPort?: number;
  dstPort?: number;
  tcpPort?: number;
  mac?: string;
  srcMac?: string;
  dstMac?: string;
  ethtype?: number;
}

export interface CaptureSpec {
  target: CaptureTarget;
  /** 0 = into the switch (from a VM or from the wire), 1 = out of it, 2 = both. */
  dir: 0 | 1 | 2;
  /** The point asked for; absent = the adapter's default for each direction. */
  capture?: CapturePoint;
  count?: number;
  outfile?: string;
  snaplen: number;
  filters: CaptureFilters;
  background: boolean;
}

type PktcapParse = { ok: true; spec: CaptureSpec } | { ok: true; text: string } | { ok: false; error: string };

const PKTCAP_USAGE = [
  'Packet Capture and Trace command usage:',
  '  pktcap-uw [--switchport <PortID> | --uplink <vmnic> | --vmk <vmk> | --dvfilter <filter name>]',
  '            [--capture <point>] [--dir 0|1|2] [-c|--count N] [-o|--outfile FILE] [-s|--snaplen N]',
  '            [--srcip|--dstip|--ip IP] [--proto 0xNN] [--srcport|--dstport|--tcpport N]',
  '            [--mac|--srcmac|--dstmac MAC] [--ethtype 0xNNNN] [&]',
  '  pktcap-uw -A     list the capture points',
  '  --dir 0 captures traffic into the switch (from the VM or the wire), 1 out of it, 2 both.',
  '  Without -c, the capture runs until Ctrl-C.',
].join('\n');

/** `-A`: the points this lab's host has, in the tool's list format (the lab's own descriptions). */
const AVAILABLE_POINTS = [
  'Supported capture points:',
  '        1: PortInput -- the port receives packets from a vNIC or uplink (before its IOChain)',
  '        2: PortOutput -- the port hands packets to a vNIC or uplink (after its IOChain)',
  '        3: VnicTx -- the vNIC backend sends packets from the VM to the switch',
  '        4: VnicRx -- the vNIC backend receives packets for the VM',
  '        5: UplinkRcv -- packets received from the physical adapter',
  '        6: UplinkSnd -- packets sent to the physical adapter',
  '        7: PreDVFilter -- before a DVFilter (slot) sees a packet',
  '        8: PostDVFilter -- after a DVFilter passed a packet',
  '        9: Drop -- packets dropped on this host, wherever it happened',
].join('\n');

const VALUE_OPTIONS = new Set([
  '--switchport', '--uplink', '--vmk', '--dvfilter', '--capture', '--dir', '--stage', '-c', '--count', '-o', '--outfile', '-s', '--snaplen',
  '--srcip', '--dstip', '--ip', '--proto', '--srcport', '--dstport', '--tcpport', '--mac', '--srcmac', '--dstmac', '--ethtype', '--vlan', '--vxlan',
]);

const fail = (error: string): PktcapParse => ({ ok: false, error });
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** A number as pktcap-uw reads one: decimal or 0x hex. */
function num(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return parseInt(text.slice(2), 16);
  return undefined;
}

export function parsePktcap(args: string[]): PktcapParse {
  const words = [...args];
  const background = words.at(-1) === '&';
  if (background) words.pop();
  const seen = new Map<string, string>();
  let listPoints = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-A' || w === '--availpoints') {
      listPoints = true;
      continue;
    }
    if (w === '-h' || w === '--help') return { ok: true, text: PKTCAP_USAGE };
    if (w === '-P' || w === '--ng') return fail('pktcap-uw: pcapng output (-P) is not available in this lab; omit -P to write a libpcap file');
    if (!w.startsWith('-')) return fail(`pktcap-uw: invalid argument '${w}'\n${PKTCAP_USAGE}`);
    if (!VALUE_OPTIONS.has(w)) return fail(`pktcap-uw: unrecognized option '${w}'\n${PKTCAP_USAGE}`);
    const value = words[i + 1];
    if (value === undefined || (value.startsWith('-') && value !== '-')) return fail(`pktcap-uw: option '${w}' requires an argument\n${PKTCAP_USAGE}`);
    seen.set(canonical(w), value);
    i++;
  }
  if (listPoints) return { ok: true, text: AVAILABLE_POINTS };
  return buildSpec(seen, background);
}

function canonical(opt: string): string {
  return ({ '-c': '--count', '-o': '--outfile', '-s': '--snaplen' } as Record<string, string>)[opt] ?? opt;
}

function buildSpec(o: Map<string, string>, background: boolean): PktcapParse {
  const adapters = ['--switchport', '--uplink', '--vmk', '--dvfilter'].filter((a) => o.has(a));
  if (adapters.length > 1) return fail(`pktcap-uw: only one of --switchport, --uplink, --vmk and --dvfilter may be given (got ${adapters.join(', ')})`);
  let target: CaptureTarget = { kind: 'none' };
  const adapter = adapters[0];
  if (adapter === '--switchport') {
    const port = num(o.get(adapter)!);
    if (port === undefined || port > 0xffffffff) return fail(`pktcap-uw: invalid switch port id '${o.get(adapter)}': use a PortNum from 'net-stats -l'`);
    target = { kind: 'switchport', port };
  } else if (adapter === '--uplink') {
    const name = o.get(adapter)!;
    if (!/^vmnic\d+$/.test(name)) return fail(`pktcap-uw: invalid uplink name '${name}': expected vmnicN`);
    target = { kind: 'uplink', name };
  } else if (adapter === '--vmk') {
    const name = o.get(adapter)!;
    if (!/^vmk\d+$/.test(name)) return fail(`pktcap-uw: invalid vmknic name '${name}': expected vmkN`);
    target = { kind: 'vmk', name };
  } else if (adapter === '--dvfilter') {
    target = { kind: 'dvfilter', name: o.get(adapter)! };
  }

  let capture: CapturePoint | undefined;
  if (o.has('--capture')) {
    const p = o.get('--capture')!;
    capture = CAPTURE_POINTS.find((c) => c.toLowerCase() === p.toLowerCase());
    if (!capture) return fail(`pktcap-uw: invalid capture point '${p}'; 'pktcap-uw -A' lists them`);
    const dvPoint = capture === 'PreDVFilter' || capture === 'PostDVFilter';
    if (dvPoint && target.kind !== 'dvfilter' && target.kind !== 'switchport') return fail(`pktcap-uw: capture point ${capture} needs --dvfilter <filter name> (from summarize-dvfilter) or --switchport <PortID>`);
    if (!dvPoint && target.kind === 'dvfilter') return fail(`pktcap-uw: --dvfilter needs the capture point PreDVFilter or PostDVFilter, not ${capture}`);
    if ((capture === 'UplinkRcv' || capture === 'UplinkSnd') && target.kind !== 'uplink') return fail(`pktcap-uw: capture point ${capture} needs --uplink vmnicN`);
    if ((capture === 'VnicTx' || capture === 'VnicRx') && target.kind !== 'switchport') return fail(`pktcap-uw: capture point ${capture} needs --switchport <PortID>`);
  } else if (target.kind === 'dvfilter') {
    return fail('pktcap-uw: --dvfilter needs --capture PreDVFilter or --capture PostDVFilter');
  } else if (target.kind === 'none') {
    return fail(`pktcap-uw: nothing to capture: give --switchport, --uplink, --vmk, --dvfilter or --capture Drop\n${PKTCAP_USAGE}`);
  }
  if (target.kind === 'none' && capture !== 'Drop') return fail(`pktcap-uw: capture point ${capture} needs an adapter option (--switchport, --uplink or --vmk)`);

  let dir: 0 | 1 | 2 = 0;
  if (o.has('--dir')) {
    const d = o.get('--dir')!;
    if (d !== '0' && d !== '1' && d !== '2') return fail(`pktcap-uw: invalid direction '${d}': --dir takes 0 (input), 1 (output) or 2 (both)`);
    dir = Number(d) as 0 | 1 | 2;
  } else if (capture === 'Drop') dir = 2;
  if (o.has('--stage') && !['0', '1'].includes(o.get('--stage')!)) return fail(`pktcap-uw: invalid stage '${o.get('--stage')}': --stage takes 0 (pre) or 1 (post)`);

  let count: number | undefined;
  if (o.has('--count')) {
    const c = num(o.get('--count')!);
    if (c === undefined || c < 1 || c > 1_000_000) return fail(`pktcap-uw: invalid packet count '${o.get('--count')}': -c takes a number from 1 to 1000000`);
    count = c;
  }
  let snaplen = 65535;
  if (o.has('--snaplen')) {
    const s = num(o.get('--snaplen')!);
    if (s === undefined || s < 14 || s > 65535) return fail(`pktcap-uw: invalid snap length '${o.get('--snaplen')}': -s takes 14 to 65535 bytes`);
    snaplen = s;
  }
  let outfile: string | undefined;
  if (o.has('--outfile')) {
    outfile = o.get('--outfile')!;
    if (outfile === '-') return fail("pktcap-uw: '-o -' streams pcap bytes to a pipe (tcpdump-uw), which this lab's shell cannot: write a file with -o FILE and read it with 'tcpdump-uw -r FILE'");
  }
  if (background && !outfile) return fail("pktcap-uw: a capture in the background (&) needs -o FILE: its packets go to the file, read it with 'tcpdump-uw -r FILE'");

  const filters: CaptureFilters = {};
  for (const [opt, key] of [['--srcip', 'srcIp'], ['--dstip', 'dstIp'], ['--ip', 'ip']] as const) {
    if (!o.has(opt)) continue;
    const ip = o.get(opt)!;
    if (!isIpv4(ip)) return fail(`pktcap-uw: invalid IP address '${ip}' for ${opt}`);
    filters[key] = ip;
  }
  for (const [opt, key] of [['--srcport', 'srcPort'], ['--dstport', 'dstPort'], ['--tcpport', 'tcpPort']] as const) {
    if (!o.has(opt)) continue;
    const p = num(o.get(opt)!);
    if (p === undefined || p > 65535) return fail(`pktcap-uw: invalid port '${o.get(opt)}' for ${opt}: 0 to 65535`);
    filters[key] = p;
  }
  if (o.has('--proto')) {
    const p = num(o.get('--proto')!);
    if (p === undefined || p > 255) return fail(`pktcap-uw: invalid IP protocol '${o.get('--proto')}': --proto takes 0x00 to 0xff (0x06 TCP, 0x11 UDP, 0x01 ICMP)`);
    filters.proto = p;
  }
  for (const [opt, key] of [['--mac', 'mac'], ['--srcmac', 'srcMac'], ['--dstmac', 'dstMac']] as const) {
    if (!o.has(opt)) continue;
    const m = o.get(opt)!;
    if (!MAC.test(m)) return fail(`pktcap-uw: invalid MAC address '${m}' for ${opt}: expected xx:xx:xx:xx:xx:xx`);
    filters[key] = m.toLowerCase();
  }
  if (o.has('--ethtype')) {
    const e = num(o.get('--ethtype')!);
    if (e === undefined || e > 0xffff) return fail(`pktcap-uw: invalid ether type '${o.get('--ethtype')}': --ethtype takes 0x0000 to 0xffff`);
    filters.ethtype = e;
  }
  if (o.has('--vlan') || o.has('--vxlan')) return fail('pktcap-uw: --vlan and --vxlan filters are not modelled in this lab (its port groups carry no VLAN tags); filter with --ip or --mac');
  return { ok: true, spec: { target, dir, capture, count, outfile, snaplen, filters, background } };
}
