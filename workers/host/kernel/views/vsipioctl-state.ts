/**
 * `vsipioctl getfilters`, `getflows`, `getfilterstat`, `getmeminfo`, `gettimeout`.
 * getfilters follows the 6.2.3+ block layout; the others have no verbatim public sample,
 * so they print a clearly labelled lab layout (lines scripts grep for — `v4 pass`, `v4 drop`,
 * flow lines starting with a digit — keep those shapes).
 */
import { intToIp } from '../../../protocol/addresses';
import { PROTO_ICMP, PROTO_TCP, PROTO_UDP } from '../../../protocol/frame';
import { REASON_NAMES } from '../codes';
import type { VnicChain } from '../iochain';
import type { HeapUse, ResourceUse } from '../../vsfwd/resource-model';
import { TCP_STATE_NAMES } from '../conntrack/tcp-tracker';
import { STAT_DROP_IN, STAT_DROP_OUT, STAT_PASS_IN, STAT_PASS_OUT, STAT_REASON0, STAT_SESSIONS_CREATED, STAT_SESSIONS_ENDED, type SfwFilter } from '../sfw/filter';
import { TIMER_NAMES } from '../timers';
import { vcUuidText } from './summarize-dvfilter';

function noFilter(name: string): string {
  return `Filter ${name} not found\n`;
}

const label = (s: string) => s.padEnd(25);

export function getfilters(chains: readonly VnicChain[]): string {
  const out: string[] = [];
  for (const c of chains) {
    if (!c.sfw) continue;
    out.push(
      `${label('Filter Name')}: ${c.names[2]}`,
      `${label('VM UUID')}: ${vcUuidText(c.attachment.vcUuid)}`,
      `${label('VNIC Index')}: ${c.attachment.vnicIndex}`,
      `${label('Service Profile')}: --NOT SET--`,
      `${label('Filter Hash')}: ${c.sfw.hash}`,
      '',
    );
  }
  return out.join('\n') + (out.length ? '' : '\n');
}

const PROTO_TEXT: Record<number, string> = { [PROTO_TCP]: 'TCP', [PROTO_UDP]: 'UDP', [PROTO_ICMP]: 'ICMP' };

export function getflows(f: SfwFilter | null, name: string, now: number): string {
  if (!f) return noFilter(name);
  const ct = f.ct;
  const out = [
    `# getflows -f ${name} (lab layout: one line per live connection)`,
    '# n dir proto src -> dst state(orig:reply) rule expires pkts(orig/reply) bytes(orig/reply)',
  ];
  let n = 0;
  for (const e of ct.entries()) {
    n++;
    const proto = ct.proto[e];
    const ports = proto === PROTO_TCP || proto === PROTO_UDP;
    const src = `${intToIp(ct.src[e] >>> 0)}${ports ? `:${ct.sport(e)}` : ''}`;
    const dst = `${intToIp(ct.dst[e] >>> 0)}${ports ? `:${ct.dport(e)}` : ''}`;
    const state = proto === PROTO_TCP ? `${TCP_STATE_NAMES[ct.state[e * 2]]}:${TCP_STATE_NAMES[ct.state[e * 2 + 1]]}` : ct.state[e * 2 + 1] > 0 ? 'MULTIPLE' : ct.state[e * 2] > 1 ? 'SINGLE' : 'FIRST';
    const left = Math.max(0, Math.ceil((ct.expiry[e] - now) / 1000));
    out.push(
      `${n} ${ct.dir[e] === 1 ? 'IN' : 'OUT'} ${PROTO_TEXT[proto] ?? `PROTO ${proto}`} ${src} -> ${dst} ${state} rule ${ct.ruleId[e]} ${TIMER_NAMES[ct.timer[e]]} ${left}s ${ct.pkts[e * 2]}/${ct.pkts[e * 2 + 1]} ${ct.bytes[e * 2]}/${ct.bytes[e * 2 + 1]}`,
    );
  }
  out.push(`# ${n} flows`);
  // Expected connections an ALG opened from a control session (lab layout).
  const expected = f.alg.expectations.filter((x) => x.expires > now);
  if (expected.length) out.push('# ALG expectations: announced on a control session, each admits one connection while that session lives');
  for (const x of expected) {
    const ctl = x.control ? ` control ${intToIp(x.control.src >>> 0)}:${x.control.sport} -> ${intToIp(x.control.dst >>> 0)}:${x.control.dport}` : '';
    out.push(`EXPECT ${x.alg} ${PROTO_TEXT[x.proto] ?? `PROTO ${x.proto}`} ${intToIp(x.src >>> 0)}:* -> ${intToIp(x.dst >>> 0)}:${x.dport} rule ${x.ruleId}${ctl} expires ${Math.max(0, Math.ceil((x.expires - now) / 1000))}s`);
  }
  return out.join('\n') + '\n';
}

export function getfilterstat(f: SfwFilter | null, name: string): string {
  if (!f) return noFilter(name);
  const s = f.stats;
  const out = [
    `# getfilterstat -f ${name} (lab layout)`,
    `v4 pass IN ${s[STAT_PASS_IN]} OUT ${s[STAT_PASS_OUT]}`,
    `v4 drop IN ${s[STAT_DROP_IN]} OUT ${s[STAT_DROP_OUT]}`,
    `sessions live ${f.ct.count} created ${s[STAT_SESSIONS_CREATED]} ended ${s[STAT_SESSIONS_ENDED]}`,
    '# packets by reason',
  ];
  REASON_NAMES.forEach((r, i) => {
    const v = s[STAT_REASON0 + i];
    if (v > 0 || r === 'match' || r === 'state-mismatch' || r === 'bad-offset' || r === 'fragment' || r === 'short') out.push(`${r} ${v}`);
  });
  return out.join('\n') + '\n';
}

export function gettimeout(f: SfwFilter | null, name: string, timeouts: Float64Array): string {
  if (!f) return noFilter(name);
  const out = [`# gettimeout -f ${name} (lab layout, seconds)`];
  TIMER_NAMES.forEach((t, i) => out.push(`${t} ${timeouts[i] / 1000}`));
  return out.join('\n') + '\n';
}

/** Heap names as NSX-V 6.2.3+ reports them; sizes are the lab's resource model (estimates, lab layout). */
export function getmeminfo(use: ResourceUse | null, tables: HeapUse[]): string {
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  if (!use) return ['# getmeminfo (lab layout: the kernel tables; the total max size is known after vsfwd samples, every 10 s)', 'heap               used(MB)', ...tables.map((h) => `${h.name.padEnd(18)} ${mb(h.bytes)}`)].join('\n') + '\n';
  const out = ['# getmeminfo (lab layout: sizes from the lab resource model, estimates)', 'heap               used(MB)'];
  for (const h of use.heaps) out.push(`${h.name.padEnd(18)} ${mb(h.bytes)}`);
  out.push(`total used         ${mb(use.usedBytes)} of ${mb(use.totalMaxBytes)} total max size (${use.memoryPercent}%; ${use.usedBytes} of ${use.totalMaxBytes} bytes)`);
  if (use.exhausted) out.push('HEAP EXHAUSTED: no new state can be allocated; vmware-sfw is failClosed, so new connections are dropped (reason memory)');
  return out.join('\n') + '\n';
}
