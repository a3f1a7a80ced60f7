/**
 * The network tools a learner types in a guest console: `ping`, `nc` and `curl`. Each one
 * runs real exchanges through the VM's vNIC (so the distributed firewall decides) and prints
 * what the real tool prints (iputils ping, OpenBSD netcat, curl 7.58 as on Ubuntu 18.04).
 * Arguments are checked before anything is sent: a bad line changes nothing in the lab.
 *
 * A connection the firewall drops is reported as timed out. With a timeout the learner set
 * (`curl -m 5`, `nc -w 3`), that wait is lab time: the lab clock moves on by it before the tool
 * answers, as a bulk transfer's does, so the clock in the header shows the 5 s curl waited in
 * realtime and simulation alike. Without one, the tool answers at once (the kernel's own connect
 * timeout, over two minutes, would only stall the lesson).
 */

type NetTool =
  | { tool: 'ping'; host: string; count: number; interrupted: boolean }
  | { tool: 'nc'; host: string; ports: number[]; udp: boolean; scan: boolean; verbose: boolean; wait?: number }
  | { tool: 'curl'; host: string; port: number; path: string; head: boolean; verbose: boolean; silent: boolean; showError: boolean; timeout?: number };

/** One exchange as the guest saw it; `answered` false when nothing came back. */
interface NetAnswer {
  answered: boolean;
  refused?: boolean;
  reply?: string;
  ttl?: number;
  /** TCP: the server's side of the handshake reached the client, so the connection opened even if nothing answered the request. */
  connected?: boolean;
  /** Observations along the path, which stand in for the round-trip time. */
  hops: number;
}

export interface NetIO {
  /** A host name (VM name, with or without its domain) or dotted address to an IPv4 address; undefined when unknown. */
  resolve(name: string): Promise<string | undefined>;
  exchange(x: { proto: 'tcp' | 'udp' | 'icmp'; dst: string; port?: number; request?: string }): Promise<NetAnswer>;
  /** Lets lab time pass while the tool waits out a timeout the learner gave it. */
  elapse(seconds: number): Promise<void>;
}

export type Parsed = { ok: true; cmd: NetTool } | { ok: false; text: string };

/** Ping's default when no -c is given: it runs until Ctrl-C, which this console presses after four. */
const PING_DEFAULT = 4;
const MAX_COUNT = 20;
const MAX_PORTS = 32;

const SERVICES: Record<string, string> = {
  'tcp/22': 'ssh', 'tcp/80': 'http', 'tcp/443': 'https', 'tcp/3306': 'mysql', 'tcp/5671': 'amqps', 'tcp/8080': 'http-alt',
  'udp/53': 'domain', 'udp/67': 'bootps', 'udp/68': 'bootpc', 'udp/123': 'ntp', 'udp/161': 'snmp', 'udp/514': 'syslog',
};

const NC_USAGE = [
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]',
  '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]',
  '\t  [-q seconds] [-s source] [-T keyword] [-V rtable] [-W recvlimit] [-w timeout]',
  '\t  [-X proxy_protocol] [-x proxy_address[:port]] \t  [destination] [port]',
].join('\n');

const PING_USAGE = [
  'Usage: ping [-aAbBdDfhLnOqrRUvV64] [-c count] [-i interval] [-I interface]',
  '            [-m mark] [-M pmtudisc_option] [-l preload] [-p pattern] [-Q tos]',
  '            [-s packetsize] [-S sndbuf] [-t ttl] [-T timestamp_option]',
  '            [-w deadline] [-W timeout] [hop1 ...] destination',
].join('\n');

const CURL_HELP = "curl: try 'curl --help' or 'curl --manual' for more information";

/** The console line's first word names one of the tools: parse it, or null when it is not one of them. */
export function parseNetTool(line: string): Parsed | null {
  const words = line.trim().split(/\s+/).map(unquote);
  switch (words[0]) {
    case 'ping':
      return parsePing(words.slice(1));
    case 'nc':
    case 'netcat':
      return parseNc(words.slice(1));
    case 'curl':
      return parseCurl(words.slice(1));
    default:
      return null;
  }
}

function unquote(w: string): string {
  return /^(['"]).*\1$/.test(w) && w.length >= 2 ? w.slice(1, -1) : w;
}

const isWhole = (s: string | undefined): s is string => s !== undefined && /^\d+$/.test(s);

function parsePing(args: string[]): Parsed {
  let count: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const withValue = /^-([ciWws])(.*)$/.exec(a);
    if (withValue) {
      const value = withValue[2] || args[++i];
      if (!isWhole(value) && !(withValue[1] === 'i' && /^\d*\.?\d+$/.test(value ?? ''))) {
        return { ok: false, text: value === undefined ? `ping: option requires an argument -- '${withValue[1]}'\n${PING_USAGE}` : `ping: invalid argument: '${value}'` };
      }
      if (withValue[1] === 'c') {
        count = Number(value);
        if (count < 1) return { ok: false, text: `ping: invalid argument: '${value}': out of range: 1 <= value <= 9223372036854775807` };
        if (count > MAX_COUNT) return { ok: false, text: `ping: this lab's console sends at most ${MAX_COUNT} echo requests (-c ${MAX_COUNT})` };
      }
      continue;
    }
    if (/^-[nqv4]+$/.test(a)) continue;
    if (a.startsWith('-') && a !== '-') return { ok: false, text: `ping: invalid option -- '${a.slice(1, 2)}'\n${PING_USAGE}` };
    rest.push(a);
  }
  if (rest.length !== 1) return { ok: false, text: rest.length === 0 ? PING_USAGE : `ping: ${rest[1]}: only one destination, please` };
  return { ok: true, cmd: { tool: 'ping', host: rest[0], count: count ?? PING_DEFAULT, interrupted: count === undefined } };
}

function parseNc(args: string[]): Parsed {
  let udp = false;
  let scan = false;
  let verbose = false;
  let wait: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      rest.push(a);
      continue;
    }
    // Flags cluster as in getopt: -zv, -zvw3, -zvw 3, -zvu.
    for (let j = 1; j < a.length; j++) {
      const f = a[j];
      if (f === 'z') scan = true;
      else if (f === 'v') verbose = true;
      else if (f === 'u') udp = true;
      else if (f === 'n' || f === '4') continue;
      else if (f === 'w') {
        const value = a.slice(j + 1) || args[++i];
        if (value === undefined) return { ok: false, text: `nc: option requires an argument -- w\n${NC_USAGE}` };
        if (!isWhole(value)) return { ok: false, text: `nc: timeout is invalid: ${value}` };
        wait = Number(value);
        break;
      } else if (f === 'l') return { ok: false, text: 'nc: listening (-l) needs a terminal that stays open; this lab’s console runs one command at a time' };
      else return { ok: false, text: `nc: invalid option -- '${f}'\n${NC_USAGE}` };
    }
  }
  if (rest.length === 0) return { ok: false, text: NC_USAGE };
  if (rest.length === 1) return { ok: false, text: 'nc: missing port number' };
  if (rest.length > 2) return { ok: false, text: `nc: only one port or range, not ${rest.slice(1).join(' ')}` };
  const range = /^(\d+)(?:-(\d+))?$/.exec(rest[1]);
  if (!range) return { ok: false, text: `nc: port number invalid: ${rest[1]}` };
  const lo = Number(range[1]);
  const hi = range[2] === undefined ? lo : Number(range[2]);
  for (const p of [lo, hi]) if (p < 1 || p > 65535) return { ok: false, text: `nc: port number invalid: ${p}` };
  if (hi < lo) return { ok: false, text: `nc: port range not valid: ${rest[1]}` };
  if (hi - lo + 1 > MAX_PORTS) return { ok: false, text: `nc: this lab's console scans at most ${MAX_PORTS} ports at a time` };
  return { ok: true, cmd: { tool: 'nc', host: rest[0], ports: Array.from({ length: hi - lo + 1 }, (_, k) => lo + k), udp, scan, verbose, wait } };
}

function parseCurl(args: string[]): Parsed {
  let head = false;
  let verbose = false;
  let silent = false;
  let showError = false;
  let timeout: number | undefined;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-I' || a === '--head') head = true;
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-s' || a === '--silent') silent = true;
    else if (a === '-S' || a === '--show-error') showError = true;
    else if (a === '-sS' || a === '-Ss') silent = showError = true;
    else if (a === '-k' || a === '--insecure' || a === '-L' || a === '--location') continue;
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') {
      const value = args[++i];
      if (value === undefined) return { ok: false, text: `curl: option ${a}: requires parameter\n${CURL_HELP}` };
      if (!/^\d+(\.\d+)?$/.test(value)) return { ok: false, text: `curl: option ${a}: expected a proper numerical parameter\n${CURL_HELP}` };
      timeout = Number(value);
    } else if (a.startsWith('-')) return { ok: false, text: `curl: option ${a}: is unknown\n${CURL_HELP}` };
    else urls.push(a);
  }
  if (urls.length === 0) return { ok: false, text: `curl: no URL specified!\n${CURL_HELP}` };
  if (urls.length > 1) return { ok: false, text: `curl: this lab's console fetches one URL at a time, not ${urls.length}` };
  const url = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:?#\s]+)(?::(\d*))?([/?][^\s#]*)?(?:#\S*)?$/i.exec(urls[0]);
  if (!url || !url[2]) return { ok: false, text: 'curl: (3) URL using bad/illegal format or missing URL' };
  const scheme = (url[1] ?? 'http').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, text: `curl: (1) Protocol "${scheme}" not supported or disabled in libcurl` };
  const port = url[3] ? Number(url[3]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return { ok: false, text: 'curl: (3) Port number out of range' };
  const path = url[4] ? (url[4].startsWith('?') ? `/${url[4]}` : url[4]) : '/';
  return { ok: true, cmd: { tool: 'curl', host: url[2], port, path, head, verbose, silent, showError, timeout } };
}

export async function runNetTool(cmd: NetTool, io: NetIO): Promise<string> {
  const ip = await io.resolve(cmd.host);
  switch (cmd.tool) {
    case 'ping':
      return ip === undefined ? `ping: ${cmd.host}: Name or service not known` : ping(cmd, ip, io);
    case 'nc':
      return ip === undefined ? `nc: getaddrinfo for host "${cmd.host}" port ${cmd.ports[0]}: Name or service not known` : nc(cmd, ip, io);
    case 'curl':
      return ip === undefined ? (cmd.silent && !cmd.showError ? '' : `curl: (6) Could not resolve host: ${cmd.host}`) : curl(cmd, ip, io);
  }
}

/** A round-trip time that grows with the path: a few tens of microseconds per observation, as a local datacenter has. */
function rtt(a: NetAnswer): number {
  return 0.15 + a.hops * 0.045;
}

const ms = (n: number) => n.toFixed(3);

async function ping(cmd: Extract<NetTool, { tool: 'ping' }>, ip: string, io: NetIO): Promise<string> {
  const named = cmd.host !== ip;
  const who = named ? `${cmd.host} (${ip})` : ip;
  const lines = [`PING ${cmd.host} (${ip}) 56(84) bytes of data.`];
  const times: number[] = [];
  for (let seq = 1; seq <= cmd.count; seq++) {
    const a = await io.exchange({ proto: 'icmp', dst: ip });
    if (!a.answered || a.refused) continue;
    const t = rtt(a);
    times.push(t);
    lines.push(`64 bytes from ${who}: icmp_seq=${seq} ttl=${a.ttl ?? 64} time=${t.toFixed(t < 1 ? 3 : 2)} ms`);
  }
  if (cmd.interrupted) lines.push('^C');
  const loss = Math.round(((cmd.count - times.length) / cmd.count) * 100);
  lines.push('', `--- ${cmd.host} ping statistics ---`, `${cmd.count} packets transmitted, ${times.length} received, ${loss}% packet loss, time ${(cmd.count - 1) * 1000 + (times.length ? 2 : 0)}ms`);
  if (times.length) {
    const avg = times.reduce((x, y) => x + y, 0) / times.length;
    const mdev = Math.sqrt(times.reduce((x, y) => x + (y - avg) ** 2, 0) / times.length);
    lines.push(`rtt min/avg/max/mdev = ${ms(Math.min(...times))}/${ms(avg)}/${ms(Math.max(...times))}/${ms(mdev)} ms`);
  }
  return lines.join('\n');
}

async function nc(cmd: Extract<NetTool, { tool: 'nc' }>, ip: string, io: NetIO): Promise<string> {
  const proto = cmd.udp ? 'udp' : 'tcp';
  const lines: string[] = [];
  for (const port of cmd.ports) {
    // -z only connects; without it the console has no input to send, so the connection just opens and closes.
    const a = await io.exchange({ proto, dst: ip, port });
    const service = SERVICES[`${proto}/${port}`] ?? '*';
    const reached = cmd.udp ? !a.refused : a.answered && !a.refused;
    if (reached) {
      if (cmd.verbose) lines.push(`Connection to ${cmd.host} ${port} port [${proto}/${service}] succeeded!`);
      if (!cmd.scan && a.reply && cmd.udp) lines.push(a.reply);
      continue;
    }
    // A dropped connect waits out -w on the lab clock (a reset or a refusal ends it at once).
    if (!a.answered && !a.refused && !cmd.udp && cmd.wait !== undefined) await io.elapse(cmd.wait);
    // netcat reports a failed connect only with -v; without it the exit status alone says so.
    if (!cmd.verbose) continue;
    if (a.refused) lines.push(`nc: connect to ${ip} port ${port} (${proto}) failed: Connection refused`);
    else if (cmd.wait !== undefined) lines.push(`nc: connect to ${ip} port ${port} (${proto}) timed out: Operation now in progress`);
    else lines.push(`nc: connect to ${ip} port ${port} (${proto}) failed: Connection timed out`);
  }
  return lines.join('\n');
}

function httpRequest(cmd: Extract<NetTool, { tool: 'curl' }>): string {
  const host = cmd.port === 80 || cmd.port === 443 ? cmd.host : `${cmd.host}:${cmd.port}`;
  return `${cmd.head ? 'HEAD' : 'GET'} ${cmd.path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: curl/7.58.0\r\nAccept: */*\r\n\r\n`;
}

async function curl(cmd: Extract<NetTool, { tool: 'curl' }>, ip: string, io: NetIO): Promise<string> {
  const request = httpRequest(cmd);
  const a = await io.exchange({ proto: 'tcp', dst: ip, port: cmd.port, request });
  const quiet = cmd.silent && !cmd.showError;
  const trying = cmd.verbose ? [`*   Trying ${ip}...`, '* TCP_NODELAY set'] : [];
  const fail = (text: string) => [...trying, ...(cmd.verbose ? [`* ${text.replace(/^curl: \(\d+\) /, '')}`, '* Closing connection 0'] : []), ...(quiet ? [] : [text])].join('\n');
  if (a.refused) return fail(`curl: (7) Failed to connect to ${cmd.host} port ${cmd.port}: Connection refused`);
  if (!a.answered) {
    // Connected, but the request never got an answer (dropped on the way, e.g. by a partner's signature): curl waited for data, not for the connection.
    if (cmd.timeout === undefined) return fail(a.connected ? 'curl: (56) Recv failure: Connection timed out' : `curl: (7) Failed to connect to ${cmd.host} port ${cmd.port}: Connection timed out`);
    await io.elapse(cmd.timeout);
    const ms = Math.round(cmd.timeout * 1000) + 1;
    return fail(a.connected ? `curl: (28) Operation timed out after ${ms} milliseconds with 0 bytes received` : `curl: (28) Connection timed out after ${ms} milliseconds`);
  }
  const reply = a.reply ?? '';
  const split = reply.indexOf('\r\n\r\n');
  if (!/^HTTP\/1\.[01] \d{3}/.test(reply) || split < 0) {
    // A service that is not a web server: curl refuses an answer with no status line.
    return fail('curl: (1) Received HTTP/0.9 when not allowed');
  }
  const head = reply.slice(0, split).split('\r\n');
  const body = reply.slice(split + 4);
  if (cmd.verbose) {
    return [
      ...trying,
      `* Connected to ${cmd.host} (${ip}) port ${cmd.port} (#0)`,
      ...request.trimEnd().split('\r\n').map((l) => `> ${l}`),
      '> ',
      ...head.map((l) => `< ${l}`),
      '< ',
      ...(cmd.head ? [] : [body.trimEnd()]),
      `* Closing connection 0`,
    ].join('\n');
  }
  return cmd.head ? head.join('\n') : body.trimEnd();
}
