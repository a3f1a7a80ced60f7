/**
 * Lesson figures (issue 12), in headless Chromium on the built app (needs dist/: npx vite build):
 * - from opening a lesson step (Next on step 1 of "Locking yourself out of vCenter") to its
 *   goals checked, read from the page's `lesson:open-to-goals` measure;
 * - from a learner's action (rule 1001 to Block and Publish, in the Firewall screen) to the
 *   goal it meets being ticked: from the lab's last change before the check that ticked it,
 *   `lesson:change-to-tick` (the wait for the lab to go quiet included).
 * `--phases` splits both between the player's marks (check started, dry run began, checks
 * answered, goals shown; the undo after) and says how many lab waves the checks took.
 * - from navigating to a lesson link (a first visit: no lab saved yet) to step 1 shown with Next
 *   enabled: the page, the lab's boot in its workers and step 1's scripted actions (step 2's
 *   pre-check runs after, while the learner reads).
 * DFW_BENCH_RUNS sets the number of runs (3); DFW_BENCH_DIST the built app served (dist).
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from 'playwright-core';
import { BENCH_CHROMIUM } from './bench-browser';
import { waitForServer } from './preview-server';
import { descendantsCpuMs } from './process-cpu';

const PORT = Number(process.env.DFW_BENCH_PORT ?? 4178);
const RUNS = Number(process.env.DFW_BENCH_RUNS ?? 3);
/** The built app to serve: another build's folder compares two builds in the same minutes. */
const DIST = process.env.DFW_BENCH_DIST ?? 'dist';
/** Issue 17 item 5 (and issue 12's step-to-goals figure). */
const OPEN_TARGET_MS = 150;
const TICK_TARGET_MS = 100;
/** A lesson link opened (a first visit) to step 1 read and Next enabled. */
const READY_TARGET_MS = 1000;

const lastMeasure = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.duration ?? null, name);

/** The player's marks around one goal check, in order (see PlayerHost.mark); the undo ends after the goals show. */
const CHECK_MARKS = ['check-start', 'dry-start', 'dry-checked'] as const;
/** What each phase is, named by the mark it ends on. */
const PHASE_NAMES: Record<(typeof CHECK_MARKS)[number] | 'end' | 'undo', string> = {
  'check-start': 'until the check starts (screens refresh, a check in flight)',
  'dry-start': 'waiting for the lab (operations queued ahead, what is due)',
  'dry-checked': 'the checks\' requests (lab waves)',
  end: 'results to the dock',
  undo: 'undoing the dry run (after the goals show: not in the figure)',
};
type Phases = Partial<Record<keyof typeof PHASE_NAMES, number>> & { waves: number };

/** Splits the last `measure` into the phases between the marks of the check that ended it. */
async function phasesOf(page: Page, measure: string): Promise<Phases | null> {
  return page.evaluate(
    ([m, names]) => {
      const span = performance.getEntriesByName(m).at(-1);
      if (!span) return null;
      const end = span.startTime + span.duration;
      // (No named functions in here: the bench's transpiler would wrap them in a helper the page lacks.)
      const dryStart = performance.getEntriesByName('lesson:dry-start').filter((e) => e.startTime <= end).at(-1);
      if (!dryStart) return null;
      const out: Record<string, number> = { waves: 0 };
      let from = span.startTime;
      for (const n of names) {
        const e = n === 'check-start'
          ? performance.getEntriesByName(`lesson:${n}`).filter((x) => x.startTime >= span.startTime && x.startTime <= dryStart.startTime).at(-1)
          : performance.getEntriesByName(`lesson:${n}`).find((x) => x.startTime >= dryStart.startTime);
        if (!e || e.startTime < from) continue;
        out[n] = e.startTime - from;
        from = e.startTime;
        if (n === 'dry-checked') out.waves = ((e as PerformanceMark).detail as { waves?: number } | null)?.waves ?? 0;
      }
      out.end = end - from;
      const undone = performance.getEntriesByName('lesson:dry-end').find((x) => x.startTime >= from);
      if (undone) out.undo = undone.startTime - from;
      return out as Record<string, number> & { waves: number };
    },
    [measure, CHECK_MARKS as readonly string[]] as const,
  );
}

/** Whether the service worker's first install (its registration to "ready offline") overlapped each figure's check. */
interface SwOverlap {
  open: boolean;
  tick: boolean;
  registeredAt: number | null;
}

/** The install competes with the lab's workers for the CPU: `--phases` says when it ran against the two checks. */
async function swOverlap(page: Page): Promise<SwOverlap> {
  // (No named functions in here: the bench's transpiler would wrap them in a helper the page lacks.)
  return page.evaluate(() => {
    const from = performance.getEntriesByName('dfw:sw-register').at(-1)?.startTime ?? null;
    const to = performance.getEntriesByName('dfw:sw-offline-ready').at(-1)?.startTime ?? Infinity;
    const [open, tick] = ['lesson:open-to-goals', 'lesson:change-to-tick'].map((m) => {
      const span = performance.getEntriesByName(m).at(-1);
      return from !== null && span !== undefined && from < span.startTime + span.duration && to > span.startTime;
    });
    return { open, tick, registeredAt: from };
  });
}

/** The browser's CPU (every process: page, workers, GPU, network), the preview server's left out. */
type CpuNow = () => number | null;

async function oneRun(page: Page, url: string, cpuNow: CpuNow): Promise<{ ready: number; readyCpu: number | null; open: number; tick: number; openPhases: Phases | null; tickPhases: Phases | null; sw: SwOverlap }> {
  const dock = page.getByRole('complementary', { name: 'Lesson' });
  const cpuBefore = cpuNow();
  const started = performance.now();
  await page.goto(`${url}#/scenario/lockout-vcenter`);
  // Step 1 is a read step: no goals, Next goes on.
  await dock.getByText('Nothing to do here: read, then press Next.').waitFor({ timeout: 120_000 });
  // Step 1's own check ends once Next is enabled (the player is idle): only then is the next measure step 2's.
  const next = dock.getByRole('button', { name: 'Next' });
  await page.waitForFunction(() => [...document.querySelectorAll('aside[aria-label="Lesson"] button')].some((b) => b.textContent?.trim() === 'Next' && !(b as HTMLButtonElement).disabled), null, { timeout: 120_000 });
  // The lab's boot, step 1's actions and (ScenarioPlayer.warmUp) the pre-check of step 2, as the bench sees them.
  const ready = performance.now() - started;
  const cpuAfter = cpuNow();
  const readyCpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
  await page.evaluate(() => performance.clearMeasures());
  await next.click();
  await dock.getByText('Step 2 of 6').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('lesson:open-to-goals').length > 0, null, { timeout: 60_000 });
  const open = (await lastMeasure(page, 'lesson:open-to-goals'))!;
  const openPhases = await phasesOf(page, 'lesson:open-to-goals');

  // The learner's action, through the screens: rule 1001 to Block, then Publish.
  await page.goto(`${url}#/nsx/firewall`);
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  const row = fw.locator('tr[data-rule="1001"]');
  await row.getByRole('button', { name: /^Edit rule/ }).click({ timeout: 60_000 });
  const dialog = page.getByRole('dialog', { name: 'Edit rule 1001' });
  await dialog.getByLabel('Action').selectOption('deny');
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await dock.getByText('Step complete.').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => performance.getEntriesByName('lesson:change-to-tick').length > 0, null, { timeout: 10_000 });
  const tick = (await lastMeasure(page, 'lesson:change-to-tick'))!;
  return { ready, readyCpu, open, tick, openPhases, tickPhases: await phasesOf(page, 'lesson:change-to-tick'), sw: await swOverlap(page) };
}

/** Median of each phase over the runs, in the marks' order. */
function printPhases(print: (line: string) => void, title: string, runs: (Phases | null)[]): void {
  const got = runs.filter((r): r is Phases => r !== null);
  if (!got.length) return print(`  ${title}: no marks recorded`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  print(`  ${title}, median per phase over ${got.length} runs (${median(got.map((r) => r.waves))} lab waves in the dry run):`);
  for (const name of [...CHECK_MARKS, 'end', 'undo'] as const) {
    const xs = got.map((r) => r[name]).filter((x) => x !== undefined);
    if (xs.length) print(`    ${median(xs).toFixed(1).padStart(7)} ms  ${PHASE_NAMES[name]}`);
  }
}

/** `--phases` also prints where each figure's time goes, between the player's marks. */
export async function benchLesson(print: (line: string) => void, argv: string[] = []): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${PORT}/`;
  try {
    await waitForServer(url);
    const browser = await chromium.launch(BENCH_CHROMIUM);
    const readies: number[] = [];
    const readyCpus: number[] = [];
    const cpuNow: CpuNow = () => descendantsCpuMs(process.pid, server.pid ? [server.pid] : []);
    const opens: number[] = [];
    const ticks: number[] = [];
    const openPhases: (Phases | null)[] = [];
    const tickPhases: (Phases | null)[] = [];
    const sw: SwOverlap[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        // A fresh context each run: a new lesson in a new lab.
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        const r = await oneRun(page, url, cpuNow);
        readies.push(r.ready);
        if (r.readyCpu !== null) readyCpus.push(r.readyCpu);
        opens.push(r.open);
        ticks.push(r.tick);
        openPhases.push(r.openPhases);
        tickPhases.push(r.tickPhases);
        sw.push(r.sw);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const best = (xs: number[]) => Math.min(...xs);
    print(`lesson step opened to its goals checked (lockout-vcenter step 2): median ${median(opens).toFixed(0)} ms, best ${best(opens).toFixed(0)} ms over ${RUNS} runs (target < ${OPEN_TARGET_MS} ms)`);
    print(`learner's action (block rule 1001, Publish) to its goal ticked: median ${median(ticks).toFixed(0)} ms, best ${best(ticks).toFixed(0)} ms from the lab's last change (target < ${TICK_TARGET_MS} ms)`);
    print(`lesson link opened (first visit) to step 1's Next enabled (page load, lab boot, step 1's actions): median ${(median(readies) / 1000).toFixed(2)} s over ${RUNS} runs (${readies.map((r) => (r / 1000).toFixed(2)).join(', ')}) (target < ${READY_TARGET_MS / 1000} s)${readyCpus.length ? `; the browser's CPU meanwhile (all its processes): median ${(median(readyCpus) / 1000).toFixed(2)} s` : ''}`);
    if (argv.includes('--phases')) {
      printPhases(print, 'step opened to goals checked', openPhases);
      printPhases(print, 'action to goal ticked, from the lab\'s last change', tickPhases);
      const registered = sw.map((x) => (x.registeredAt === null ? 'not yet' : `${(x.registeredAt / 1000).toFixed(1)} s`)).join(', ');
      print(`  service worker's first install (registration to ready offline) during the step's check in ${sw.filter((x) => x.open).length} of ${sw.length} runs, during the tick's in ${sw.filter((x) => x.tick).length}; registered at ${registered} after navigation`);
    }
  } finally {
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      // the server has already gone
    }
  }
}
