/**
 * Address literals as operators type them (`10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.20`,
 * IPv6 alike) turned into the addresses and CIDRs the kernel format carries.
 */
import ipaddr from 'ipaddr.js';

function toBigInt(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return addr.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function fromBigInt(n: bigint, v6: boolean): string {
  const bytes: number[] = [];
  for (let i = 0; i < (v6 ? 16 : 4); i++) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/** Smallest list of CIDRs covering lo..hi inclusive. */
function rangeToCidrs(lo: bigint, hi: bigint, v6: boolean): string[] {
  const bits = v6 ? 128 : 32;
  const out: string[] = [];
  while (lo <= hi) {
    let size = 0;
    while (size < bits && (lo & ((1n << BigInt(size + 1)) - 1n)) === 0n && lo + (1n << BigInt(size + 1)) - 1n <= hi) size++;
    out.push(size === 0 ? fromBigInt(lo, v6) : `${fromBigInt(lo, v6)}/${bits - size}`);
    lo += 1n << BigInt(size);
  }
  return out;
}

/** Parsing is costly next to a look-up, and the same literals recur across thousands of rules. */
const memo = new Map<string, string[]>();
const MEMO_LIMIT = 20_000;

/** Addresses/CIDRs for one literal; an unparsable literal yields nothing. The result is shared: do not mutate it. */
export function literalToCidrs(text: string): string[] {
  let hit = memo.get(text);
  if (!hit) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, (hit = parseLiteral(text)));
  }
  return hit;
}

function parseLiteral(text: string): string[] {
  const v = text.trim();
  try {
    if (v.includes('/')) {
      const [addr, len] = ipaddr.parseCIDR(v);
      return [`${addr.toString()}/${len}`];
    }
    if (v.includes('-')) {
      const [a, b] = v.split('-').map((p) => ipaddr.parse(p.trim()));
      if (!a || !b || a.kind() !== b.kind()) return [];
      const lo = toBigInt(a);
      const hi = toBigInt(b);
      return lo <= hi ? rangeToCidrs(lo, hi, a.kind() === 'ipv6') : [];
    }
    return [ipaddr.parse(v).toString()];
  } catch {
    return [];
  }
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;
export function isValidMac(text: string): boolean {
  return MAC.test(text.trim());
}
