/**
 * Storage figures in Chromium: save and load of a large lab (10k firewall rules, 500 VMs)
 * through the built app's own IndexedDB store. Drives headless Debian Chromium against
 * `vite preview` of `dist/` (run `npx vite build` first), which this bench starts and stops.
 * The store marks every save and load with performance.measure('dfw-lab:save' | 'dfw-lab:load'),
 * an import's read in its worker with 'dfw-lab:import-read', and a boot's phases with marks (boot-marks.ts);
 * the figures are read from those marks, so nothing test-only ships in the app.
 */
import { spawn } from 'node:child_process';
import { type Browser, type Page, chromium } from 'playwright-core';
import { BENCH_CHROMIUM } from './bench-browser';
import { LARGE_LAB, largeLab } from './large-lab';
import { benchSaveAfterReads } from './reads-save';
import { DB_NAME } from '../../src/persistence/db';

const PORT = Number(process.env.DFW_BENCH_PORT ?? 4183);
const ROUNDS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function startPreview(): Promise<() => void> {
  // DFW_BENCH_DIST: serve a build made elsewhere (`npx vite build --outDir DIR`), leaving dist/ alone.
  const outDir = process.env.DFW_BENCH_DIST ? ['--outDir', process.env.DFW_BENCH_DIST] : [];
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', ...outDir], { stdio: 'pipe', detached: true });
  await new Promise<void>((resolve, reject) => {
    // The address it serves, not just the port: "Port N is already in use" (another engineer's server) names it too.
    const onData = (b: Buffer) => b.toString().includes(`http://127.0.0.1:${PORT}`) && resolve();
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.on('exit', (code) => reject(new Error(`vite preview exited (${code}); run \`npx vite build\` first`)));
  });
  return () => {
    try {
      process.kill(-server.pid!);
    } catch (err) {
      // The server's process group is gone already (it exited, or was stopped): nothing to stop.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
}

interface EditSave {
  /** Every main-thread task during the save, from Chromium's trace (the page's other work included). */
  mainMs: number;
  /** The same tasks' thread (CPU) time. */
  mainCpuMs: number;
  /** The store's own main-thread slices (performance.now() around each, in the measure's detail). */
  storeMs: number;
  /** Long tasks (> 50 ms) the page's observer saw during the save. */
  longTasks: number;
  wallMs: number;
  parts: number;
  bytes: number;
}

/**
 * One edit at a time through the page's /api/ (a REST write is saved before it is answered),
 * traced: the main thread's time is the sum of its top-level tasks inside the save's
 * 'dfw-lab:save-changes' measure, read from Chromium's trace.
 */
async function autosaveAfterEdits(browser: Browser, page: Page, print: (line: string) => void): Promise<EditSave[]> {
  await page.evaluate(() => (location.hash = '/'));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  // Let the saves of the boot itself finish first.
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved', null, { timeout: 120_000 });
  // What those cost: the boot's publish reached every host (their rule lines are new state) and
  // gave each section a generation number, so the first save after opening the lab writes most of it.
  // In simulation mode nothing is saved after opening until a change: one untimed edit makes that
  // first save (the boot's publish reached the hosts: most of the lab is new state), so the timed
  // edits below each save only what they changed.
  if (!(await page.evaluate(() => performance.getEntriesByName('dfw-lab:save-changes').some((e) => e.startTime > performance.getEntriesByName('dfw-lab:load').at(-1)!.startTime)))) {
    const before = await page.evaluate(() => performance.getEntriesByName('dfw-lab:save-changes').length);
    const first = await page.evaluate(async () => (await fetch('/api/4.0/firewall/globalroot-0/config/layer3sections', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<section name="bench first edit"/>' })).status);
    if (first !== 201) throw new Error(`the bench's first edit was answered ${first}`);
    await page.waitForFunction((n) => performance.getEntriesByName('dfw-lab:save-changes').length > n, before, { timeout: 120_000 });
  }
  const bootSaves = await page.evaluate(() => {
    const opened = performance.getEntriesByName('dfw-lab:load').at(-1)!.startTime;
    return (performance.getEntriesByName('dfw-lab:save-changes') as PerformanceMeasure[])
      .filter((e) => e.startTime > opened)
      .map((e) => ({ wallMs: e.duration, ...(e.detail as { written: { parts: number; bytes: number }; mainMs: number }) }));
  });
  print(`  first save after opening it (the boot's publish reached the hosts; not in the figures above or below): ${bootSaves.map((e) => `${e.wallMs.toFixed(0)} ms wall, ${e.mainMs.toFixed(1)} ms in the store's own slices, ${e.written.parts} parts/${(e.written.bytes / 1024 / 1024).toFixed(1)} M chars`).join('; ') || 'none seen'}`);
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask' });
  });
  const out: EditSave[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const before = await page.evaluate(() => performance.getEntriesByName('dfw-lab:save-changes').length);
    await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', 'devtools.timeline'] });
    const answer = await page.evaluate(async (n) => {
      const r = await fetch('/api/4.0/firewall/globalroot-0/config/layer3sections', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: `<section name="bench edit ${n}"/>` });
      return { status: r.status, text: await r.text() };
    }, i);
    if (answer.status !== 201) throw new Error(`the bench's edit was answered ${answer.status}: ${answer.text}`);
    await page.waitForFunction((n) => performance.getEntriesByName('dfw-lab:save-changes').length > n, before);
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    const entry = await page.evaluate((n) => {
      const e = performance.getEntriesByName('dfw-lab:save-changes')[n] as PerformanceMeasure;
      const long = (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks;
      const detail = e.detail as { written: { parts: number; bytes: number }; mainMs: number };
      return { duration: e.duration, written: detail.written, storeMs: detail.mainMs, longTasks: long.filter((t) => t.start < e.startTime + e.duration && t.start + t.duration > e.startTime).length };
    }, before);
    out.push({ mainMs: mainThreadMs(trace.traceEvents, 'dfw-lab:save-changes'), mainCpuMs: mainThreadCpuMs(trace.traceEvents, 'dfw-lab:save-changes'), storeMs: entry.storeMs, longTasks: entry.longTasks, wallMs: entry.duration, parts: entry.written.parts, bytes: entry.written.bytes });
  }
  return out;
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, where Chromium records it: what the thread itself ran, not time it waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
}

/**
 * CPU milliseconds of the thread that recorded the (last) measure `name` in top-level tasks
 * during it (each task's thread time, in proportion to its part inside the measure): on a busy
 * machine wall-clock slices also count the time the thread waited for a core.
 */
function mainThreadCpuMs(events: TraceEvent[], name: string): number {
  const begin = events.filter((e) => e.name === name && e.ph === 'b').at(-1);
  const end = events.filter((e) => e.name === name && e.ph === 'e').at(-1);
  if (!begin || !end) throw new Error(`no ${name} measure in the trace`);
  // Top-level tasks do not nest on one thread; a task without thread time counts its wall time.
  let total = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !e.cat.includes('toplevel') || e.pid !== begin.pid || e.tid !== begin.tid || !e.dur) continue;
    const inside = Math.min(e.ts + e.dur, end.ts) - Math.max(e.ts, begin.ts);
    if (inside > 0) total += (e.tdur ?? e.dur) * (inside / e.dur);
  }
  return total / 1000;
}

/**
 * CPU milliseconds of the recording thread's top-level tasks inside each measure `name` in the
 * trace, in order: `where` picks the page's thread (the one that recorded `pageMark`, a measure only
 * the page makes) or every other thread (the import worker's own save of what it read).
 */
function measuresCpuMs(events: TraceEvent[], name: string, where: 'page' | 'workers' = 'page', pageMark = name): number[] {
  const mark = events.find((e) => e.name === pageMark && e.ph === 'b');
  const onPage = (e: TraceEvent) => mark !== undefined && e.pid === mark.pid && e.tid === mark.tid;
  const mine = (e: TraceEvent) => (where === 'page' ? onPage(e) : !onPage(e));
  const begins = events.filter((e) => e.name === name && e.ph === 'b' && mine(e));
  const ends = events.filter((e) => e.name === name && e.ph === 'e' && mine(e));
  return begins.map((b) => {
    const end = ends.find((e) => e.pid === b.pid && e.tid === b.tid && e.ts >= b.ts)!;
    let total = 0;
    for (const e of events) {
      if (e.ph !== 'X' || !e.cat.includes('toplevel') || e.pid !== b.pid || e.tid !== b.tid || !e.dur) continue;
      const inside = Math.min(e.ts + e.dur, end.ts) - Math.max(e.ts, b.ts);
      if (inside > 0) total += (e.tdur ?? e.dur) * (inside / e.dur);
    }
    return total / 1000;
  });
}

/**
 * Each page load (dfw-lab:load, in order) to the end of the last unit's read of its own parts in
 * its worker (dfw-lab:unit-read, before the next load): every stored byte read, in wall ms; and
 * the CPU ms the units' threads spent in those reads. Loads without unit reads count the page's own.
 */
function loadsWithUnitReads(events: TraceEvent[]): { wallMs: number; unitCpuMs: number; unitReads: number }[] {
  const first = events.find((e) => e.name === 'dfw-lab:load' && e.ph === 'b');
  if (!first) return [];
  const onPage = (e: TraceEvent) => e.pid === first.pid && e.tid === first.tid;
  const begins = events.filter((e) => e.name === 'dfw-lab:load' && e.ph === 'b' && onPage(e)).sort((a, b) => a.ts - b.ts);
  const ends = events.filter((e) => e.name === 'dfw-lab:load' && e.ph === 'e' && onPage(e));
  const readBegins = events.filter((e) => e.name === 'dfw-lab:unit-read' && e.ph === 'b' && !onPage(e));
  const readEnds = events.filter((e) => e.name === 'dfw-lab:unit-read' && e.ph === 'e' && !onPage(e));
  return begins.map((b, i) => {
    const until = begins[i + 1]?.ts ?? Infinity;
    const pageEnd = ends.find((e) => e.ts >= b.ts)!.ts;
    const reads = readBegins.filter((r) => r.ts >= b.ts && r.ts < until).map((r) => ({ r, end: readEnds.find((e) => e.pid === r.pid && e.tid === r.tid && e.ts >= r.ts)! }));
    let cpu = 0;
    for (const { r, end } of reads) {
      for (const e of events) {
        if (e.ph !== 'X' || !e.cat.includes('toplevel') || e.pid !== r.pid || e.tid !== r.tid || !e.dur) continue;
        const inside = Math.min(e.ts + e.dur, end.ts) - Math.max(e.ts, r.ts);
        if (inside > 0) cpu += (e.tdur ?? e.dur) * (inside / e.dur);
      }
    }
    const last = Math.max(pageEnd, ...reads.map(({ end }) => end.ts));
    return { wallMs: (last - b.ts) / 1000, unitCpuMs: cpu / 1000, unitReads: reads.length };
  });
}

/** Milliseconds the thread that recorded the (last) measure `name` spent in top-level tasks during it. */
function mainThreadMs(events: TraceEvent[], name: string): number {
  const begin = events.filter((e) => e.name === name && e.ph === 'b').at(-1);
  const end = events.filter((e) => e.name === name && e.ph === 'e').at(-1);
  if (!begin || !end) throw new Error(`no ${name} measure in the trace`);
  const tasks = events
    .filter((e) => e.ph === 'X' && e.cat.includes('toplevel') && e.pid === begin.pid && e.tid === begin.tid && e.dur !== undefined)
    .map((e) => [Math.max(e.ts, begin.ts), Math.min(e.ts + e.dur!, end.ts)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  // Union of the intervals: nested top-level events must not count twice.
  let total = 0;
  let until = -Infinity;
  for (const [a, b] of tasks) {
    if (b <= until) continue;
    total += b - Math.max(a, until);
    until = b;
  }
  return total / 1000;
}

export async function benchStorage(print: (line: string) => void): Promise<void> {
  await benchSaveAfterReads(print);
  const doc = largeLab();
  const text = JSON.stringify(doc);
  const stop = await startPreview();
  const browser = await chromium.launch(BENCH_CHROMIUM);
  try {
    // Simulation mode: the clock stands still, so no autosave runs but the one an edit causes.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [{ origin: `http://127.0.0.1:${PORT}`, localStorage: [{ name: 'dfw-lab.clock-mode', value: 'simulation' }] }] } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${PORT}/#/labs`);
    await page.getByTestId('save-status').waitFor();
    await page.getByRole('table', { name: 'Saved labs' }).getByText('Classroom datacenter', { exact: true }).waitFor();
    // All saves first, then all loads: opening a lab boots it in workers, which would compete for the CPU.
    const names = Array.from({ length: ROUNDS }, (_, i) => (i === 0 ? doc.name : `${doc.name} (${i + 1})`));
    // Traced (top-level tasks and user timing only): the page's CPU time inside each save and load, which a busy machine's wall time hides.
    const lightTrace = ['toplevel', 'blink.user_timing'];
    await browser.startTracing(page, { categories: lightTrace });
    for (const [i, name] of names.entries()) {
      await page.getByLabel('Import a lab (.json)').setInputFiles({ name: 'bench.json', mimeType: 'application/json', buffer: Buffer.from(text) }, { timeout: 120_000 }); // 4 MB through the protocol: slow on a busy machine
      if (i > 0) await page.getByRole('dialog', { name: 'A lab with this name exists' }).getByRole('button', { name: 'Keep both' }).click();
      await page.getByTestId('labs-message').getByText(`Imported “${name}”.`).waitFor({ timeout: 60_000 });
    }
    // The saves print at once: opening five 10k-rule labs one after another is what fails on a busy machine.
    const saves = await page.evaluate((min) => (performance.getEntriesByName('dfw-lab:save') as PerformanceMeasure[]).filter((e) => (e.detail as { bytes: number }).bytes >= min).map((e) => e.duration), text.length * 0.9);
    const saveTrace = JSON.parse((await browser.stopTracing()).toString()).traceEvents as TraceEvent[];
    // The page marks each save from its request to the import worker's commit; the worker marks its own write.
    const savesCpu = measuresCpuMs(saveTrace, 'dfw-lab:save', 'page', 'dfw-lab:import-read');
    const workerSavesCpu = measuresCpuMs(saveTrace, 'dfw-lab:save', 'workers', 'dfw-lab:import-read');
    print(`lab of ${LARGE_LAB.rules} rules and ${LARGE_LAB.vms} VMs (${(text.length / 1024 / 1024).toFixed(1)} MB of JSON), IndexedDB in Chromium, median of ${ROUNDS}:`);
    const reads = await page.evaluate(() => performance.getEntriesByName('dfw-lab:import-read').map((e) => e.duration));
    // What one imported copy of the lab stores: its records and their text (lists' groups packed).
    const kept = await page.evaluate(async (dbName) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => Object.assign(indexedDB.open(dbName), { onsuccess(this: IDBOpenDBRequest) { resolve(this.result); }, onerror(this: IDBOpenDBRequest) { reject(this.error); } }));
      const parts = await new Promise<{ lab: string; json: string }[]>((resolve, reject) => Object.assign(db.transaction('parts').objectStore('parts').getAll(), { onsuccess(this: IDBRequest) { resolve(this.result as { lab: string; json: string }[]); }, onerror(this: IDBRequest) { reject(this.error); } }));
      db.close();
      const byLab = new Map<string, { records: number; chars: number }>();
      for (const p of parts) byLab.set(p.lab, { records: (byLab.get(p.lab)?.records ?? 0) + 1, chars: (byLab.get(p.lab)?.chars ?? 0) + p.json.length });
      return [...byLab.values()].sort((a, b) => b.chars - a.chars)[0];
    }, DB_NAME);
    print(`  stored: ${kept.records} records, ${(kept.chars / 1024 / 1024).toFixed(2)} M chars (its JSON: ${(text.length / 1024 / 1024).toFixed(2)} M)`);
    print(`  save of the whole lab (import: its worker writes the parts it split, one transaction; the page's request to the worker's commit, every part): ${median(saves).toFixed(1)} ms (target < 50)  [${saves.map((x) => x.toFixed(0)).join(', ')}]`);
    print(`    its CPU time on the page (trace): median ${median(savesCpu).toFixed(1)} ms  [${savesCpu.map((x) => x.toFixed(0)).join(', ')}]`);
    if (workerSavesCpu.length) print(`    its CPU time in the import worker, which writes the parts (trace; IndexedDB's own work in the browser process not included): median ${median(workerSavesCpu).toFixed(1)} ms  [${workerSavesCpu.map((x) => x.toFixed(0)).join(', ')}]`);
    if (reads.length) print(`    before it, the import's read in its own worker (parse, validate, split; off the page): ${median(reads).toFixed(0)} ms  [${reads.map((x) => x.toFixed(0)).join(', ')}]`);
    await browser.startTracing(page, { categories: lightTrace });
    for (const name of names) {
      const loads = await page.evaluate(() => performance.getEntriesByName('dfw-lab:load').length);
      await page.getByRole('button', { name: `Open ${name}`, exact: true }).click();
      await page.waitForFunction((n) => performance.getEntriesByName('dfw-lab:load').length > n, loads, { timeout: 180_000 }); // closing the last lab saves it first
      await page.waitForFunction(() => location.hash === '#/', null, { timeout: 120_000 }); // the Labs screen leaves once the lab is open
      await page.evaluate(() => (location.hash = '/labs'));
    }
    const loadTrace = JSON.parse((await browser.stopTracing()).toString()).traceEvents as TraceEvent[];
    const loadsCpu = measuresCpuMs(loadTrace, 'dfw-lab:load');
    const wholeLoads = loadsWithUnitReads(loadTrace);
    // Only the large lab's saves and loads: the classroom lab is saved on the first visit too.
    // (No named functions inside evaluate: tsx would wrap them in a helper the page lacks.)
    const [bigSaves, bigLoads] = await page.evaluate((min) =>
      ['dfw-lab:save', 'dfw-lab:load'].map((name) =>
        (performance.getEntriesByName(name) as PerformanceMeasure[]).filter((e) => (e.detail as { bytes: number }).bytes >= min).map((e) => e.duration),
      ), text.length * 0.9);
    if (bigSaves.length < ROUNDS || bigLoads.length < ROUNDS) throw new Error(`expected ${ROUNDS} saves and loads of the large lab, saw ${bigSaves.length} and ${bigLoads.length}`);
    const edits = await autosaveAfterEdits(browser, page, print);
    // From each large lab's read to its units loaded: the components joined and checked in their workers, in parallel.
    const booted = await page.evaluate((n) => {
      const reads = performance.getEntriesByName('dfw:lab-read').slice(-n);
      const loaded = performance.getEntriesByName('dfw:units-loaded');
      return reads.map((r) => (loaded.find((l) => l.startTime > r.startTime)?.startTime ?? NaN) - r.startTime);
    }, ROUNDS);
    // The learner's wait: from the page's read of each large lab to its units loaded.
    const opened = await page.evaluate((min) => {
      const loads = (performance.getEntriesByName('dfw-lab:load') as PerformanceMeasure[]).filter((e) => (e.detail as { bytes: number }).bytes >= min);
      const loaded = performance.getEntriesByName('dfw:units-loaded');
      return loads.map((l) => (loaded.find((u) => u.startTime > l.startTime)?.startTime ?? NaN) - l.startTime);
    }, text.length * 0.9);
    print(`  load, the page's share (read and check the head, the events and each component's own part; the units read the rest): ${median(bigLoads).toFixed(1)} ms (target < 50)  [${bigLoads.map((x) => x.toFixed(0)).join(', ')}]`);
    print(`    its CPU time on the page (trace): median ${median(loadsCpu).toFixed(1)} ms  [${loadsCpu.map((x) => x.toFixed(0)).join(', ')}]`);
    if (wholeLoads.length) {
      print(`  load of every stored byte, the page's read to the last unit's read of its parts in its worker (trace): ${median(wholeLoads.map((l) => l.wallMs)).toFixed(1)} ms (target < 50)  [${wholeLoads.map((l) => l.wallMs.toFixed(0)).join(', ')}]`);
      print(`    the units' reads, CPU in their workers together (trace): median ${median(wholeLoads.map((l) => l.unitCpuMs)).toFixed(1)} ms  [${wholeLoads.map((l) => `${l.unitCpuMs.toFixed(0)} in ${l.unitReads}`).join(', ')}]`);
    }
    print(`    then the units join and check their own components in their workers and build them (read → units loaded): ${median(booted).toFixed(0)} ms  [${booted.map((x) => x.toFixed(0)).join(', ')}]`);
    print(`  opening the lab, what the learner waits for (the page's read begins → every unit loaded): ${median(opened).toFixed(0)} ms  [${opened.map((x) => x.toFixed(0)).join(', ')}]`);
    print(`  autosave after one edit (a section added through /api/), main-thread time: ${median(edits.map((e) => e.storeMs)).toFixed(2)} ms in the store's own slices (target < 5)  [${edits.map((e) => e.storeMs.toFixed(1)).join(', ')}]`);
    print(`    every main-thread task from its snapshot to its commit (trace; the page's own work on the edit included): ${median(edits.map((e) => e.mainMs)).toFixed(1)} ms wall, ${median(edits.map((e) => e.mainCpuMs)).toFixed(1)} ms CPU  [${edits.map((e) => `${e.mainMs.toFixed(0)}/${e.mainCpuMs.toFixed(0)}`).join(', ')}]; long tasks (> 50 ms) during it: ${edits.map((e) => e.longTasks).join(', ')}`);
    print(`    its save took ${median(edits.map((e) => e.wallMs)).toFixed(1)} ms from snapshot to commit (the units serialise the components the edit reached, in their workers); wrote ${edits.map((e) => `${e.parts} parts/${(e.bytes / 1024).toFixed(0)} kB`).join(', ')}`);
  } finally {
    await browser.close();
    stop();
  }
}
