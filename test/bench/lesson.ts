/**
 * Lesson figures (issue 12), in headless Chromium on the built app (needs dist/: npx vite build):
 * - from opening a lesson step (Next on step 1 of "Locking yourself out of vCenter") to its
 *   goals checked, read from the page's `lesson:open-to-goals` measure;
 * - from a learner's action (rule 1001 to Block and Publish, in the Firewall screen) to the
 *   goal it meets being ticked: from the lab's last change before the check that ticked it,
 *   `lesson:change-to-tick` (the wait for the lab to go quiet included).
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from 'playwright-core';
import { waitForServer } from './preview-server';

const PORT = Number(process.env.DFW_BENCH_PORT ?? 4178);
const RUNS = 3;
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Issue 17 item 5 (and issue 12's step-to-goals figure). */
const OPEN_TARGET_MS = 150;
const TICK_TARGET_MS = 100;

const lastMeasure = (page: Page, name: string) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)?.duration ?? null, name);

async function oneRun(page: Page, url: string): Promise<{ open: number; tick: number }> {
  const dock = page.getByRole('complementary', { name: 'Lesson' });
  await page.goto(`${url}#/scenario/lockout-vcenter`);
  // Step 1 is a read step: no goals, Next goes on.
  await dock.getByText('Nothing to do here: read, then press Next.').waitFor({ timeout: 120_000 });
  await page.evaluate(() => performance.clearMeasures());
  await dock.getByRole('button', { name: 'Next' }).click();
  await dock.getByText('Step 2 of 6').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('lesson:open-to-goals').length > 0, null, { timeout: 60_000 });
  const open = (await lastMeasure(page, 'lesson:open-to-goals'))!;

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
  return { open, tick };
}

export async function benchLesson(print: (line: string) => void): Promise<void> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${PORT}/`;
  try {
    await waitForServer(url);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
    const opens: number[] = [];
    const ticks: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        // A fresh context each run: a new lesson in a new lab.
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        const r = await oneRun(page, url);
        opens.push(r.open);
        ticks.push(r.tick);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const best = (xs: number[]) => Math.min(...xs);
    print(`lesson step opened to its goals checked (lockout-vcenter step 2): median ${median(opens).toFixed(0)} ms, best ${best(opens).toFixed(0)} ms over ${RUNS} runs (target < ${OPEN_TARGET_MS} ms)`);
    print(`learner's action (block rule 1001, Publish) to its goal ticked: median ${median(ticks).toFixed(0)} ms, best ${best(ticks).toFixed(0)} ms from the lab's last change (target < ${TICK_TARGET_MS} ms)`);
  } finally {
    try {
      if (server.pid) process.kill(-server.pid);
    } catch {
      // the server has already gone
    }
  }
}
