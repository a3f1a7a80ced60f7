/**
 * Per-host threshold samples over lab time, for the Charts screen. NSX Manager keeps each host's
 * last half hour of reports (`thresholdHistory()`, saved with the lab); this history merges
 * them by sample time and keeps what it saw while the app is open.
 */
import type { ThresholdView } from '../../../workers/protocol/host-reports';

export type Metric = 'cpu' | 'memory' | 'cps';
export const METRICS: { id: Metric; title: string; unit: string }[] = [
  { id: 'cpu', title: 'CPU', unit: '%' },
  { id: 'memory', title: 'Memory', unit: '%' },
  { id: 'cps', title: 'Connections per second', unit: '/s' },
];

interface Point {
  at: number;
  value: number;
  threshold: number;
  consecutive: number;
  alarm: boolean;
}

/** host id → metric → points sorted by time. */
type Series = Record<string, Record<Metric, Point[]>>;

const KIND_OF: Record<string, Metric> = { cpu: 'cpu', memory: 'memory', 'connections per second': 'cps', cps: 'cps' };

/** One report in the chart's terms. */
interface Report {
  host: string;
  at: number;
  samples: { metric: Metric; value: number; threshold: number; consecutive: number }[];
  alarms: Metric[];
}

export function fromView(host: string, v: ThresholdView): Report {
  return {
    host, at: v.at,
    samples: v.samples.flatMap((s) => (KIND_OF[s.kind] ? [{ metric: KIND_OF[s.kind]!, value: s.value, threshold: s.threshold, consecutive: s.consecutive }] : [])),
    alarms: v.alarms.flatMap((a) => (KIND_OF[a] ? [KIND_OF[a]!] : [])),
  };
}

export class ThresholdHistory {
  readonly series: Series = {};

  add(r: Report): boolean {
    const byMetric = (this.series[r.host] ??= { cpu: [], memory: [], cps: [] });
    let added = false;
    for (const s of r.samples) {
      const points = byMetric[s.metric];
      if (points.some((p) => p.at === r.at)) continue;
      const point = { at: r.at, value: s.value, threshold: s.threshold, consecutive: s.consecutive, alarm: r.alarms.includes(s.metric) };
      const i = points.findIndex((p) => p.at > r.at);
      if (i === -1) points.push(point);
      else points.splice(i, 0, point);
      added = true;
    }
    return added;
  }

  /** Per host, the time of its newest sample held, so the next read asks only for newer reports. */
  latestAt(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [host, byMetric] of Object.entries(this.series)) out[host] = Math.max(...Object.values(byMetric).map((points) => points.at(-1)?.at ?? -Infinity));
    return out;
  }

  hosts(): string[] {
    return Object.keys(this.series).sort();
  }

  /** Every alarm, newest first. */
  alarms(): { host: string; metric: Metric; at: number; value: number; threshold: number }[] {
    const out = Object.entries(this.series).flatMap(([host, m]) =>
      METRICS.flatMap(({ id }) => m[id].filter((p) => p.alarm).map((p) => ({ host, metric: id, at: p.at, value: p.value, threshold: p.threshold }))),
    );
    return out.sort((a, b) => b.at - a.at || a.host.localeCompare(b.host));
  }
}

/**
 * uPlot's columns for one metric: x (seconds), then per host its values, then the threshold
 * (a step line), then per host its alarm markers (a value only where an alarm was raised).
 */
export function chartColumns(h: ThresholdHistory, metric: Metric, hosts: string[]): { x: number[]; values: (number | null)[][]; threshold: (number | null)[]; alarms: (number | null)[][] } {
  const times = [...new Set(hosts.flatMap((host) => h.series[host]?.[metric].map((p) => p.at) ?? []))].sort((a, b) => a - b);
  const at = (host: string, t: number) => h.series[host]?.[metric].find((p) => p.at === t);
  return {
    x: times.map((t) => t / 1000),
    values: hosts.map((host) => times.map((t) => at(host, t)?.value ?? null)),
    threshold: times.map((t) => hosts.map((host) => at(host, t)?.threshold).find((v) => v !== undefined) ?? null),
    alarms: hosts.map((host) => times.map((t) => (at(host, t)?.alarm ? at(host, t)!.value : null))),
  };
}

/** Seconds either side of a lone sample on the time axis. */
export const LONE_SAMPLE_SPAN = 30;

/**
 * The time axis's range (seconds) from the chart's own x column: first to last sample, or a minute
 * around a lone sample. uPlot widens a lone sample by "one day" in its own units, which for an axis in
 * seconds is 86,400,000 s, so its min/max are used only when there is no sample at all.
 */
export function timeRange(x: ArrayLike<number | null | undefined>, min: number | null, max: number | null): [number, number] {
  let first: number | null = null;
  let last: number | null = null;
  for (let i = 0; i < x.length; i++) {
    const t = x[i];
    if (t === null || t === undefined || !Number.isFinite(t)) continue;
    first ??= t;
    last = t;
  }
  if (first === null || last === null) return min !== null && max !== null && min < max ? [min, max] : [(min ?? 0) - LONE_SAMPLE_SPAN, (min ?? 0) + LONE_SAMPLE_SPAN];
  return first === last ? [first - LONE_SAMPLE_SPAN, last + LONE_SAMPLE_SPAN] : [first, last];
}

/** The y-axis top: the data with headroom, and the current threshold when it is not far above the data. */
export function yMax(values: (number | null)[][], threshold: (number | null)[]): { max: number; thresholdShown: boolean } {
  const dataMax = Math.max(0, ...values.flat().filter((v): v is number => v !== null));
  const t = threshold.findLast((v) => v !== null) ?? null;
  const base = Math.max(dataMax * 1.25, 1);
  if (t === null) return { max: base, thresholdShown: false };
  if (t <= base * 4) return { max: Math.max(base, t * 1.1), thresholdShown: true };
  return { max: base, thresholdShown: false };
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * A y-axis label that fits the axis: large counts shortened the way people read them (150K/s, not
 * 150000/s, which the axis cut to "0000/s"), small ones with at most two decimals (12.5 %).
 */
export function axisLabel(value: number, unit: string): string {
  const shown = Math.abs(value) >= 10_000 ? compact.format(value) : String(+value.toFixed(2));
  return `${shown}${unit}`;
}

const stores = new WeakMap<object, ThresholdHistory>();

/** One history per open lab (a new lab starts empty). */
export function historyFor(lab: object): ThresholdHistory {
  let h = stores.get(lab);
  if (!h) stores.set(lab, (h = new ThresholdHistory()));
  return h;
}
