/**
 * Where a cold load of the app spends its time: the app's `dfw:*` performance marks (src/lib/
 * boot-marks.ts), each worker's own mark and fetches, IndexedDB measures, the main thread's
 * long tasks and the page's resource timings, all in milliseconds since navigation start.
 */
import type { Page, Worker } from 'playwright-core';

/** One cold load: phase name → ms since navigation start, and per-unit worker figures. */
export interface Timeline {
  phases: Record<string, number>;
  units: Record<string, { spawn?: number; evaluated?: number; loaded?: number; fetched?: number; kb?: number }>;
  longTaskMs: number;
}

export interface Watch {
  workers: Worker[];
}

/** Call before navigation: records the page's workers and its main-thread long tasks. */
export async function watchPage(page: Page): Promise<Watch> {
  const watch: Watch = { workers: [] };
  page.on('worker', (w) => watch.workers.push(w));
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (globalThis as unknown as { __longTasks: number[] }).__longTasks = tasks;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
  });
  return watch;
}

interface Sample {
  origin: number;
  name: string;
  marks: { name: string; t: number }[];
  measures: { name: string; end: number }[];
  resources: { name: string; end: number; bytes: number }[];
  nav?: number;
  longTasks?: number[];
}

/** Runs in the page and in each worker: their own view of the performance timeline. */
function sample(): Sample {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return {
    origin: performance.timeOrigin,
    name: (globalThis as { name?: string }).name ?? '',
    marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
    measures: performance.getEntriesByType('measure').map((m) => ({ name: m.name, end: m.startTime + m.duration })),
    resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({ name: r.name, end: r.responseEnd, bytes: r.encodedBodySize })),
    nav: nav?.responseEnd,
    longTasks: (globalThis as unknown as { __longTasks?: number[] }).__longTasks,
  };
}

const unitOf = (mark: string, prefix: string) => (mark.startsWith(prefix) ? mark.slice(prefix.length) : undefined);

/** `interactiveAt` and `polledAt` are epoch ms: when the page became interactive, when Playwright noticed. */
export async function readTimeline(page: Page, watch: Watch, interactiveAt: number, polledAt: number): Promise<Timeline> {
  const main = await page.evaluate(sample);
  const at = (origin: number, t: number) => Math.round(origin + t - main.origin);
  const timeline: Timeline = { phases: {}, units: {}, longTaskMs: Math.round((main.longTasks ?? []).reduce((a, b) => a + b, 0)) };
  const unit = (id: string) => (timeline.units[id] ??= {});
  if (main.nav !== undefined) timeline.phases['document received'] = Math.round(main.nav);
  const entry = main.resources.find((r) => /\/assets\/index-[^/]*\.js$/.test(r.name));
  if (entry) timeline.phases['entry script fetched'] = Math.round(entry.end);
  for (const m of main.marks) {
    if (!m.name.startsWith('dfw:')) continue;
    const name = m.name.slice(4);
    const spawned = unitOf(name, 'unit-spawn:');
    const loaded = unitOf(name, 'unit-loaded:');
    if (spawned) unit(spawned).spawn = Math.round(m.t);
    else if (loaded) unit(loaded).loaded = Math.round(m.t);
    else timeline.phases[name] = Math.round(m.t);
  }
  const seen = new Map<string, number>();
  for (const m of main.measures) {
    const n = (seen.get(m.name) ?? 0) + 1;
    seen.set(m.name, n);
    timeline.phases[`${m.name} #${n} done`] = Math.round(m.end);
  }
  for (const w of watch.workers) {
    const s = await w.evaluate(sample).catch(() => null); // a worker may be gone already
    if (!s) continue;
    const u = unit(s.name.replace(/^dfw-/, ''));
    const evaluated = s.marks.find((m) => m.name === 'dfw:worker-evaluated');
    if (evaluated) u.evaluated = at(s.origin, evaluated.t);
    if (s.resources.length) u.fetched = at(s.origin, Math.max(...s.resources.map((r) => r.end)));
    u.kb = Math.round(s.resources.reduce((a, r) => a + r.bytes, 0) / 1024);
  }
  timeline.phases['interactive'] = Math.round(interactiveAt - main.origin);
  timeline.phases['noticed by Playwright polling'] = Math.round(polledAt - main.origin);
  return timeline;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Medians over the runs, in time order; a phase missing from some runs says in how many it was seen. */
export function printPhases(print: (line: string) => void, timelines: Timeline[]): void {
  const names = [...new Set(timelines.flatMap((t) => Object.keys(t.phases)))];
  const rows = names.map((name) => {
    const xs = timelines.map((t) => t.phases[name]).filter((x) => x !== undefined);
    return { name, ms: median(xs), seen: xs.length };
  });
  rows.sort((a, b) => a.ms - b.ms);
  print(`phases, median ms since navigation start over ${timelines.length} cold loads:`);
  for (const r of rows) print(`  ${String(r.ms).padStart(6)}  ${r.name}${r.seen < timelines.length ? ` (in ${r.seen} of ${timelines.length})` : ''}`);
  print(`  main-thread long tasks: median ${median(timelines.map((t) => t.longTaskMs))} ms in total`);
  const ids = [...new Set(timelines.flatMap((t) => Object.keys(t.units)))].sort();
  print('  execution units (worker): spawned → module fetched → evaluated → components loaded, KB the worker fetched itself');
  for (const id of ids) {
    const figure = (key: 'spawn' | 'fetched' | 'evaluated' | 'loaded' | 'kb') => {
      const xs = timelines.map((t) => t.units[id]?.[key]).filter((x) => x !== undefined);
      return xs.length ? String(median(xs)) : '–';
    };
    print(`    ${id.padEnd(9)} ${figure('spawn').padStart(5)} → ${figure('fetched').padStart(5)} → ${figure('evaluated').padStart(5)} → ${figure('loaded').padStart(5)}   ${figure('kb')} KB`);
  }
}
