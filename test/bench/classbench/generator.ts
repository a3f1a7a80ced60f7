/**
 * A seeded generator of firewall-shaped rule sets (not ClassBench's, which may not be
 * vendored): zones of /16 and /24 networks, server /32s, well-known service ports, ephemeral
 * source ranges, a few protocol wildcards; and headers drawn from inside random rules so a
 * lookup's first match sits on average half-way down the table.
 */
import type { EntrySpec } from '../../../workers/host/kernel/classifier/rule-table';
import type { Header } from './format';

export class Rng {
  constructor(private s: number) {}
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

const SERVICES = [22, 25, 53, 80, 123, 389, 443, 445, 636, 1433, 1521, 3306, 3389, 5432, 5671, 6379, 8080, 8443, 9200, 27017];
const RANGES: [number, number][] = [
  [1024, 65535],
  [8000, 8999],
  [30000, 32767],
  [49152, 65535],
  [5000, 5100],
];

function prefix(rng: Rng, zones: number[], len: number): [number, number] {
  const base = rng.pick(zones);
  const host = (base | (rng.int(1 << 16) & 0xffff)) | 0;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) | 0;
  return [host & mask, len];
}

export function generateRules(n: number, seed = 1): EntrySpec[] {
  const rng = new Rng(seed);
  // 64 /16 "zones" (sites, VPCs, DMZs) in 10/8, 172.16/12 and 192.168/16-like space.
  const zones = Array.from({ length: 64 }, (_, i) => (((10 + (i % 3) * 81) << 24) | ((i * 37) & 255) << 16) | 0);
  const out: EntrySpec[] = [];
  for (let i = 0; i < n; i++) {
    const sKind = rng.next();
    const dKind = rng.next();
    const sLen = sKind < 0.3 ? 0 : sKind < 0.55 ? 16 : sKind < 0.8 ? 24 : 32;
    const dLen = dKind < 0.12 ? 0 : dKind < 0.25 ? 16 : dKind < 0.45 ? 24 : 32;
    const p = rng.next();
    const proto = p < 0.68 ? 6 : p < 0.88 ? 17 : p < 0.94 ? 1 : -1;
    const ports = proto === 6 || proto === 17;
    const d = rng.next();
    const dport: [number, number] = !ports || d < 0.12 ? [0, 65535] : d < 0.85 ? ((x) => [x, x])(rng.pick(SERVICES)) : rng.pick(RANGES);
    const sport: [number, number] = ports && rng.next() < 0.08 ? rng.pick(RANGES) : [0, 65535];
    out.push({
      line: i,
      dirMask: rng.next() < 0.8 ? 3 : rng.next() < 0.5 ? 1 : 2,
      proto,
      sport,
      dport,
      icmpType: -1,
      icmpCode: -1,
      src: { prefix: prefix(rng, zones, sLen) },
      dst: { prefix: prefix(rng, zones, dLen) },
    });
  }
  return out;
}

/** Headers each drawn from inside a random rule (uniform over the table). */
export function headersInside(rules: readonly EntrySpec[], count: number, seed = 2): Header[] {
  const rng = new Rng(seed);
  const inside = (spec: EntrySpec['src']): number => {
    if (!('prefix' in spec)) return rng.int(2 ** 32) | 0;
    const [net, len] = spec.prefix;
    const hostBits = len === 32 ? 0 : (rng.int(2 ** 32) >>> len) | 0;
    return (net | hostBits) | 0;
  };
  const out: Header[] = [];
  for (let i = 0; i < count; i++) {
    const r = rules[rng.int(rules.length)];
    const proto = r.proto >= 0 ? r.proto : rng.pick([6, 17]);
    out.push({
      src: inside(r.src),
      dst: inside(r.dst),
      sport: r.sport[0] + rng.int(r.sport[1] - r.sport[0] + 1),
      dport: r.dport[0] + rng.int(r.dport[1] - r.dport[0] + 1),
      proto,
    });
  }
  return out;
}

/**
 * A ClassBench-style trace (after `header_gen` in ClassBench's trace tools, as TupleMerge's
 * bench uses it): pick a random rule, take a random corner of it (each field's low or high end),
 * and repeat that header a Pareto-distributed number of times (a = 1, b = 0.1: mostly once, now
 * and then a burst). Corners are the hard headers: wildcards put them at 0.0.0.0 and 255.255.255.255.
 */
export function cornerTrace(rules: readonly EntrySpec[], count: number, seed = 3): Header[] {
  if (rules.length === 0) throw new Error('cannot make a trace from an empty rule set');
  const rng = new Rng(seed);
  const end = (spec: EntrySpec['src']): number => {
    const [net, len] = 'prefix' in spec ? spec.prefix : [0, 0];
    const lo = len === 0 ? 0 : net & ((0xffffffff << (32 - len)) | 0);
    const hi = len === 0 ? -1 : lo | (len === 32 ? 0 : 0xffffffff >>> len);
    return (rng.next() < 0.5 ? lo : hi) | 0;
  };
  const out: Header[] = [];
  while (out.length < count) {
    const r = rules[rng.int(rules.length)];
    const h: Header = {
      src: end(r.src),
      dst: end(r.dst),
      sport: r.sport[rng.next() < 0.5 ? 0 : 1],
      dport: r.dport[rng.next() < 0.5 ? 0 : 1],
      proto: r.proto >= 0 ? r.proto : rng.next() < 0.5 ? 0 : 255,
    };
    const copies = Math.ceil(0.1 / (1 - rng.next()));
    for (let c = 0; c < copies && out.length < count; c++) out.push(h);
  }
  return out;
}
