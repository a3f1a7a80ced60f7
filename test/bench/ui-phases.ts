/**
 * Where a cold load of the app spends its time: the app's `dfw:*` performance marks (src/lib/
 * boot-marks.ts), each worker's own mark, the IndexedDB measures, the main thread's long tasks
 * and the entry script's fetch, all in milliseconds since navigation start.
 */
import type { Page, Worker } from 'playwright-core';

interface UnitTimes {
  spawned?: number;
  started?: number;
  evaluated?: number;
  loaded?: number;
}

/** One cold load: phase → ms since navigation start, and the same for each execution unit's worker. */
export interface Timeline {
  phases: Record<string, number>;
  units: Record<string, UnitTimes>;
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
  entryFetched?: number;
  documentReceived?: number;
  longTasks?: number[];
}

/** Runs in the page and in each worker: its own view of the performance timeline. */
function sample(): Sample {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  // The entry and the chunk of every module it imports statically (vite.config.ts): the last of them to arrive.
  const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((r) => /\/assets\/(index|first-screen)-[^/]*\.js$/.test(r.name)).sort((a, b) => b.responseEnd - a.responseEnd)[0];
  return {
    origin: performance.timeOrigin,
    name: (globalThis as { name?: string }).name ?? '',
    marks: performance.getEntriesByType('mark').map((m) => ({ name: m.name, t: m.startTime })),
    measures: performance.getEntriesByType('measure').map((m) => ({ name: m.name, end: m.startTime + m.duration })),
    entryFetched: entry?.responseEnd,
    documentReceived: nav?.responseEnd,
    longTasks: (globalThis as unknown as { __longTasks?: number[] }).__longTasks,
  };
}

/** `interactiveAt` and `polledAt` are epoch ms: when the page became interactive, when Playwright noticed. */
export async function readTimeline(page: Page, watch: Watch, interactiveAt: number, polledAt: number): Promise<Timeline> {
  const main = await page.evaluate(sample);
  const since = (epochMs: number) => Math.round(epochMs - main.origin);
  const timeline: Timeline = { phases: {}, units: {}, longTaskMs: Math.round((main.longTasks ?? []).reduce((a, b) => a + b, 0)) };
  const unit = (id: string) => (timeline.units[id] ??= {});
  if (main.documentReceived !== undefined) timeline.phases['document received'] = Math.round(main.documentReceived);
  if (main.entryFetched !== undefined) timeline.phases['entry script fetched'] = Math.round(main.entryFetched);
  for (const m of main.marks) {
    const [, phase, unitId] = /^dfw:([^:]+)(?::(.+))?$/.exec(m.name) ?? [];
    if (phase === 'unit-spawn') unit(unitId).spawned = Math.round(m.t);
    else if (phase === 'unit-loaded') unit(unitId).loaded = Math.round(m.t);
    else if (phase) timeline.phases[phase] = Math.round(m.t);
  }
  const count = new Map<string, number>();
  for (const m of main.measures) {
    count.set(m.name, (count.get(m.name) ?? 0) + 1);
    timeline.phases[`${m.name} #${count.get(m.name)} done`] = Math.round(m.end);
  }
  for (const w of watch.workers) {
    const s = await w.evaluate(sample).catch(() => null); // a worker may be gone already
    const evaluated = s?.marks.find((m) => m.name === 'dfw:worker-evaluated');
    if (!s) continue;
    const u = unit(s.name.replace(/^dfw-/, ''));
    u.started = since(s.origin);
    if (evaluated) u.evaluated = since(s.origin + evaluated.t);
  }
  timeline.phases['interactive'] = since(interactiveAt);
  timeline.phases['noticed by Playwright polling'] = since(polledAt);
  return timeline;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Medians over the runs, in time order; a phase missing from some runs says in how many it was seen. */
export function printPhases(print: (line: string) => void, timelines: Timeline[], what: string): void {
  const names = [...new Set(timelines.flatMap((t) => Object.keys(t.phases)))];
  const rows = names.map((name) => {
    const xs = timelines.map((t) => t.phases[name]).filter((x) => x !== undefined);
    return { name, ms: median(xs), seen: xs.length };
  });
  rows.sort((a, b) => a.ms - b.ms);
  print(`phases, median ms since navigation start over ${timelines.length} ${what}:`);
  for (const r of rows) print(`  ${String(r.ms).padStart(6)}  ${r.name}${r.seen < timelines.length ? ` (in ${r.seen} of ${timelines.length})` : ''}`);
  print(`  main-thread long tasks: median ${median(timelines.map((t) => t.longTaskMs))} ms in total`);
  print('  execution units (one worker each): spawned → worker started → script evaluated → components loaded');
  for (const id of [...new Set(timelines.flatMap((t) => Object.keys(t.units)))].sort()) {
    const figure = (key: keyof UnitTimes) => {
      const xs = timelines.map((t) => t.units[id]?.[key]).filter((x) => x !== undefined);
      return (xs.length ? String(median(xs)) : '–').padStart(5);
    };
    print(`    ${id.padEnd(9)} ${figure('spawned')} → ${figure('started')} → ${figure('evaluated')} → ${figure('loaded')}`);
  }
}
