/**
 * The publish figures where the product runs: headless Debian Chromium on the built app
 * (`vite preview` of dist/: run `npx vite build` first; DFW_BENCH_DIST serves another build).
 * The control-plane bench's 64-host 10k-rule lab is imported through the Labs screen and
 * opened (its hosts in MAX_HOST_UNITS Web Workers, plus NSX Manager's, the bus's and the fabric's), then each one-rule edit goes through the page's own `/api/`
 * (service worker → page → NSX Manager → bus → vsfwd → kernel) and is timed until the
 * firewall status API reports every host published at a newer generation, polled from the page.
 * The clock is in simulation mode (it stands still, as in the storage bench and the end-to-end
 * tests): no heartbeat or flow record competes with the edit. The browser's CPU is read from
 * /proc over all its processes (page, workers, service worker, network), the preview server's
 * left out; a wall time on a shared machine waits for the cores, the CPU does not.
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from 'playwright-core';
import { BENCH_CHROMIUM } from './bench-browser';
import { MAX_HOST_UNITS } from '../../workers/lab/component';
import { controlPlaneLab, HOSTS, RULES } from './controlplane-lab';
import { waitForServer } from './preview-server';
import { descendantsCpuByThread, descendantsCpuMs, descendantsRssBytes } from './process-cpu';

const PORT = Number(process.env.DFW_BENCH_PORT ?? 4186);
/** The lab's units: its hosts share MAX_HOST_UNITS, beside NSX Manager's (with vCenter), the bus's and the fabric's. */
const WORKERS = Math.min(HOSTS, MAX_HOST_UNITS) + 3;
const DIST = process.env.DFW_BENCH_DIST ?? 'dist';
const EDITS = 6;
/** How often the page asks the status API while it waits (the figures' resolution). */
const POLL_MS = 25;
/** The same while the lab opens (a slower poll: the boot has work enough). */
const SYNC_POLL_MS = 200;
const STATUS = '/api/4.0/firewall/globalroot-0/status';
const SECTION = '/api/4.0/firewall/globalroot-0/config/layer3sections/2000';
const LAB_NAME = 'control-plane bench (Chromium)';

interface Edit {
  /** From the PUT's start (page clock) to the first status answer with every host published at a newer generation. */
  reportedMs: number;
  /** The browser's CPU (all processes) from just before the PUT to then, and by thread name. */
  reportedCpu: Cpu;
  /** From the PUT's start to its answer (the REST bridge keeps the edit in the page's journal first; the save follows, unawaited). */
  answeredMs: number;
  /** The browser's CPU from every host published to the answer, and by thread name. */
  answerCpu: Cpu;
  /** 200, or 202 where the edit outlasted the 120 s the page's API waits (it still applies). */
  status: number;
}

interface Cpu {
  ms: number | null;
  threads: Map<string, number> | null;
}

/**
 * Polls the status API from the page until every host is published; resolves with the page's clock then. (No named functions in here: the bench's
 * transpiler would wrap them in a helper the page lacks.)
 */
const waitPublished = (page: Page, poll: number, timeoutMs: number) =>
  page.evaluate(
    async ({ status, hosts, above, poll, timeoutMs }) => {
      const until = performance.now() + timeoutMs;
      let seen = 0;
      let generation = 0;
      while (performance.now() < until) {
        const r = await fetch(status);
        if (r.status === 200) {
          const hostsXml = (await r.text()).match(/<hostStatus>[\s\S]*?<\/hostStatus>/g) ?? [];
          const gens = hostsXml.filter((h) => h.includes('<status>published</status>')).map((h) => Number(/<generationNumber>(\d+)</.exec(h)?.[1] ?? 0));
          seen = gens.filter((g) => g > above).length;
          generation = gens.length ? Math.min(...gens) : 0;
          if (seen >= hosts) return { at: performance.now(), generation, seen };
        }
        await new Promise((res) => setTimeout(res, poll));
      }
      return { at: null, generation, seen };
    },
    { status: STATUS, hosts: HOSTS, above: 0, poll, timeoutMs },
  );

/** The bench's PUT in flight, kept on the page between two evaluates (no app state). */
type BenchWindow = { __benchPut?: Promise<{ status: number; text: string; at: number }> };

async function oneEdit(page: Page, run: number, cpuNow: () => Cpu): Promise<Edit> {
  // The section's ETag (If-Match) and one of its rules with a new destination port, as the Node figure edits it.
  const current = await page.evaluate(async ({ section, status, run }) => {
    // As the PUT, it may wait for a save of the whole lab that a busy machine makes slow (the service worker's default is 30 s).
    const r = await fetch(section, { headers: { Prefer: 'wait=120' } });
    const body = await r.text();
    const rule = /<rule [\s\S]*?<\/rule>/.exec(body)![0].replace(/<destinationPort>\d+/, `<destinationPort>${3000 + run}`);
    const gens = ((await (await fetch(status)).text()).match(/<hostStatus>[\s\S]*?<\/hostStatus>/g) ?? []).map((h) => Number(/<generationNumber>(\d+)</.exec(h)?.[1] ?? 0));
    return { etag: r.headers.get('ETag')!, rule, generation: Math.max(0, ...gens) };
  }, { section: SECTION, status: STATUS, run });
  const before = cpuNow();
  const t0 = await page.evaluate(({ section, etag, rule }) => {
    (window as BenchWindow).__benchPut = fetch(`${section}/rules/5000`, { method: 'PUT', headers: { 'Content-Type': 'application/xml', 'If-Match': etag, Prefer: 'wait=120' }, body: rule })
      .then(async (r) => ({ status: r.status, text: await r.text(), at: performance.now() }));
    return performance.now();
  }, { section: SECTION, etag: current.etag, rule: current.rule });
  // Polled from here, so the CPU can be read the moment every host reports.
  let reportedAt = 0;
  while (!reportedAt) {
    const seen = await page.evaluate(async ({ status, above }) => {
      const hostsXml = (await (await fetch(status)).text()).match(/<hostStatus>[\s\S]*?<\/hostStatus>/g) ?? [];
      return { at: performance.now(), done: hostsXml.filter((h) => h.includes('<status>published</status>') && Number(/<generationNumber>(\d+)</.exec(h)?.[1] ?? 0) > above).length };
    }, { status: STATUS, above: current.generation });
    if (seen.done >= HOSTS) reportedAt = seen.at;
    else if (seen.at - t0 > 600_000) throw new Error(`edit ${run}: ${seen.done}/${HOSTS} hosts reported a newer generation than ${current.generation} after 10 minutes`);
    else await new Promise((res) => setTimeout(res, POLL_MS));
  }
  const reported = cpuNow();
  const answer = await page.evaluate(() => (window as BenchWindow).__benchPut!);
  const answered = cpuNow();
  if (answer.status !== 200 && answer.status !== 202) throw new Error(`the bench's edit ${run} was answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return { reportedMs: reportedAt - t0, reportedCpu: minus(reported, before), answeredMs: answer.at - t0, answerCpu: minus(answered, reported), status: answer.status };
}

function minus(a: Cpu, b: Cpu): Cpu {
  const threads = a.threads && b.threads ? new Map([...a.threads].map(([name, ms]) => [name, ms - (b.threads!.get(name) ?? 0)])) : null;
  return { ms: a.ms === null || b.ms === null ? null : a.ms - b.ms, threads };
}

/** The three thread names that took most of `cpu`, with their share. */
function topThreads(cpu: Cpu): string {
  if (!cpu.threads) return '';
  const top = [...cpu.threads].filter(([, ms]) => ms > 0).sort((x, y) => y[1] - x[1]).slice(0, 3);
  return `: ${top.map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ')}`;
}

const seconds = (ms: number | null) => (ms === null ? '?' : (ms / 1000).toFixed(1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Prints the Chromium publish figures (the product's), or why there are none. */
export async function benchPublishInChromium(print: (line: string) => void): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', DIST], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${PORT}/`;
  const skip = server.pid ? [server.pid] : [];
  const cpuNow = (): Cpu => ({ ms: descendantsCpuMs(process.pid, skip), threads: descendantsCpuByThread(process.pid, skip) });
  try {
    await waitForServer(url);
    const browser = await chromium.launch(BENCH_CHROMIUM);
    try {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [{ origin: url.slice(0, -1), localStorage: [{ name: 'dfw-lab.clock-mode', value: 'simulation' }] }] } });
      const page = await context.newPage();
      await page.goto(`${url}#/labs`);
      await page.getByRole('table', { name: 'Saved labs' }).getByText('Classroom datacenter', { exact: true }).waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 120_000 }); // /api/ answers through it
      const text = JSON.stringify(controlPlaneLab(LAB_NAME));
      await page.getByLabel('Import a lab (.json)').setInputFiles({ name: 'controlplane.json', mimeType: 'application/json', buffer: Buffer.from(text) }, { timeout: 180_000 });
      await page.getByTestId('labs-message').getByText(`Imported “${LAB_NAME}”.`).waitFor({ timeout: 180_000 });

      // Open it: the workers boot the lab and every vsfwd syncs the 10k rules.
      const cpuOpen = cpuNow();
      const opened = performance.now();
      await page.getByRole('button', { name: `Open ${LAB_NAME}`, exact: true }).click();
      await page.waitForFunction(() => location.hash === '#/', null, { timeout: 300_000 });
      const synced = await waitPublished(page, SYNC_POLL_MS, 600_000);
      const syncMs = performance.now() - opened;
      const syncCpu = cpuNow();
      // The app's own boot marks: the lab's read from IndexedDB, and every unit loaded in its worker (before the hosts sync).
      const loadedMs = await page.evaluate(() => {
        const read = performance.getEntriesByName('dfw:lab-read').at(-1);
        const loaded = performance.getEntriesByName('dfw:units-loaded').at(-1);
        return read && loaded && loaded.startTime > read.startTime ? loaded.startTime - read.startTime : null;
      });
      if (synced.at === null) {
        print(`in Chromium: the ${HOSTS}-host lab did not sync within 10 minutes of Open (${synced.seen}/${HOSTS} hosts published; the browser's processes hold ${((descendantsRssBytes(process.pid, skip) ?? 0) / 2 ** 20).toFixed(0)} MiB resident): no Chromium figure`);
        return;
      }
      print(`in Chromium (the product's figure: built app, ${WORKERS} Web Workers, edits through the page's /api/, clock in simulation mode): Open of the imported ${HOSTS}-host ${RULES}-rule lab to every host published (status API, polled every ${SYNC_POLL_MS} ms): ${syncMs.toFixed(0)} ms (target < 15000; its units loaded ${loadedMs === null ? '?' : loadedMs.toFixed(0)} ms after the lab's read), ${seconds(minus(syncCpu, cpuOpen).ms)} s of the browser's CPU (all its processes${topThreads(minus(syncCpu, cpuOpen))}); ${((descendantsRssBytes(process.pid, skip) ?? 0) / 2 ** 20).toFixed(0)} MiB resident (summed over its processes)`);

      const edits: Edit[] = [];
      for (let run = 0; run < EDITS; run++) edits.push(await oneEdit(page, run, cpuNow));
      const line = (e: Edit) => `${e.reportedMs.toFixed(0)} ms / ${seconds(e.reportedCpu.ms)} s CPU`;
      const answered = (e: Edit) => `${e.status === 200 ? 'answered' : `answered ${e.status}`} at ${e.answeredMs.toFixed(0)} ms, ${seconds(e.answerCpu.ms)} s more CPU`;
      const [first, ...later] = edits;
      print(`  first one-rule edit after Open, PUT through /api/ to every host published at the new generation (status API, polled every ${POLL_MS} ms from the bench): ${line(first!)} (target < 1000)${topThreads(first!.reportedCpu)}`);
      print(`  one-rule edit to ${HOSTS} hosts, the same: median ${median(later.map((e) => e.reportedMs)).toFixed(0)} ms over ${later.length} edits after the first (target < 200), the browser's CPU median ${seconds(median(later.filter((e) => e.reportedCpu.ms !== null).map((e) => e.reportedCpu.ms!)))} s; each in turn ${later.map(line).join(', ')}; the last${topThreads(later.at(-1)!.reportedCpu)}`);
      print(`  the PUT's answer (the REST bridge keeps the edit in the page's journal, then answers; the autosave follows in the background, its CPU in whichever edit it overlaps): first edit ${answered(first!)}${topThreads(first!.answerCpu)}; the others ${later.map(answered).join('; ')}`);
    } finally {
      await browser.close();
    }
  } finally {
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      // the server has already gone
    }
  }
}
