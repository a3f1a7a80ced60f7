/**
 * ClassBench filter and trace formats.
 * Filter line: `@src/len<TAB>dst/len<TAB>lo : hi<TAB>lo : hi<TAB>proto/mask<TAB>flags/mask` (order = priority).
 * Trace line: `src dst sport dport proto [...]` as decimal numbers.
 * The flags field is ignored: the DFW's SYN handling happens after classification.
 */
import type { EntrySpec } from '../../../workers/host/kernel/classifier/rule-table';

export interface Header {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: number;
}

function ipv4(text: string): number {
  const p = text.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) throw new Error(`bad address ${text}`);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) | 0;
}

export function parseClassBenchRules(text: string): EntrySpec[] {
  const out: EntrySpec[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('@')) continue;
    const f = line.slice(1).split(/\t+|\s{2,}/).map((x) => x.trim()).filter(Boolean);
    // Tolerate single-space separated files: re-split on spaces around ':'.
    const fields = f.length >= 5 ? f : line.slice(1).replace(/\s*:\s*/g, ':').split(/\s+/);
    const [src, dst] = [fields[0], fields[1]].map((x) => x.split('/'));
    const sp = fields[2].split(':').map((x) => Number(x.trim()));
    const dp = fields[3].split(':').map((x) => Number(x.trim()));
    const [protoText, maskText] = fields[4].split('/');
    const proto = parseInt(maskText, 16) === 0 ? -1 : parseInt(protoText, 16);
    out.push({
      line: out.length,
      dirMask: 3,
      proto,
      sport: [sp[0], sp[1]],
      dport: [dp[0], dp[1]],
      icmpType: -1,
      icmpCode: -1,
      src: { prefix: [ipv4(src[0]), Number(src[1])] },
      dst: { prefix: [ipv4(dst[0]), Number(dst[1])] },
    });
  }
  return out;
}

export function parseClassBenchTrace(text: string): Header[] {
  const out: Header[] = [];
  for (const raw of text.split('\n')) {
    const f = raw.trim().split(/\s+/);
    if (f.length < 5) continue;
    const n = f.slice(0, 5).map(Number);
    if (n.some((x) => !Number.isFinite(x))) continue;
    out.push({ src: n[0] | 0, dst: n[1] | 0, sport: n[2], dport: n[3], proto: n[4] });
  }
  return out;
}

function ipText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Writes prefix-only rules back out in ClassBench filter format (for fixtures and round trips). */
export function formatClassBenchRules(rules: readonly EntrySpec[]): string {
  return rules
    .map((r) => {
      const side = (s: EntrySpec['src']) => ('prefix' in s ? `${ipText(s.prefix[0])}/${s.prefix[1]}` : '0.0.0.0/0');
      const proto = r.proto < 0 ? '0x00/0x00' : `0x${r.proto.toString(16).padStart(2, '0')}/0xFF`;
      return `@${side(r.src)}\t${side(r.dst)}\t${r.sport[0]} : ${r.sport[1]}\t${r.dport[0]} : ${r.dport[1]}\t${proto}\t0x0000/0x0000\t`;
    })
    .join('\n');
}
