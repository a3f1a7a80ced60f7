/**
 * One filter's L2 (Ethernet section) rules: ethertype and MAC matches, first match, linear.
 * L2 tables are a handful of lines, so a scan over pre-resolved MAC sets is the right tool.
 */
import type { AddressSets, L2RuleLine, MacMatch } from '../../../protocol/ruleset';
import { dirMaskOf } from './l3-ruleset';

interface MacSide {
  any: boolean;
  negate: boolean;
  /** MACs as 48-bit numbers (hi16 * 2^32 + lo32). */
  macs: Set<number>;
}

export function macNumber(hi: number, lo: number): number {
  return (hi & 0xffff) * 0x100000000 + (lo >>> 0);
}

function macTextToNumber(mac: string): number {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '');
  return hex.length === 12 ? parseInt(hex, 16) : -1;
}

function resolve(m: MacMatch, sets: AddressSets): MacSide {
  if (m.sets.length === 0 && m.macs.length === 0) return { any: true, negate: false, macs: new Set() };
  const macs = new Set<number>();
  for (const name of m.sets) for (const x of sets[name] ?? []) {
    const n = macTextToNumber(x);
    if (n >= 0) macs.add(n);
  }
  for (const x of m.macs) {
    const n = macTextToNumber(x);
    if (n >= 0) macs.add(n);
  }
  return { any: false, negate: m.negate, macs };
}

export class L2RuleSet {
  private dirMask: Uint8Array;
  private ethertype: Int32Array;
  private src: MacSide[] = [];
  private dst: MacSide[] = [];

  constructor(
    readonly lines: readonly L2RuleLine[],
    sets: AddressSets,
  ) {
    this.dirMask = Uint8Array.from(lines.map((l) => dirMaskOf(l.direction)));
    this.ethertype = Int32Array.from(lines.map((l) => (l.ethertype === 'any' ? -1 : l.ethertype)));
    this.updateSets(sets);
  }

  get count(): number {
    return this.lines.length;
  }

  referencedSets(): Set<string> {
    const out = new Set<string>();
    for (const l of this.lines) for (const s of [...l.src.sets, ...l.dst.sets]) out.add(s);
    return out;
  }

  updateSets(sets: AddressSets): void {
    this.src = this.lines.map((l) => resolve(l.src, sets));
    this.dst = this.lines.map((l) => resolve(l.dst, sets));
  }

  classify(dirBit: number, ethertype: number, srcMac: number, dstMac: number): number {
    for (let i = 0; i < this.lines.length; i++) {
      if ((this.dirMask[i] & dirBit) === 0) continue;
      const et = this.ethertype[i];
      if (et >= 0 && et !== ethertype) continue;
      const s = this.src[i];
      if (!s.any && s.macs.has(srcMac) === s.negate) continue;
      const d = this.dst[i];
      if (!d.any && d.macs.has(dstMac) === d.negate) continue;
      return i;
    }
    return -1;
  }
}
