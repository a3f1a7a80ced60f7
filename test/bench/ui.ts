/**
 * UI figures: time from navigation to an interactive classroom lab in headless Chromium (the
 * inventory shows a VM's Tools IP and the probe button is enabled), and the gzipped size of
 * the JavaScript the first screen loads. Needs a build in dist/ (npx vite build).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const PORT = 4179;
const RUNS = 5;
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`vite preview did not start on ${url}`);
}

/** The entry script and the chunks index.html preloads: what the browser fetches before the first screen. */
async function initialJs(dist: string): Promise<{ files: string[]; gzip: number }> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*type="module"[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1].replace(/^\//, ''));
  let gzip = 0;
  for (const f of files) gzip += gzipSync(await readFile(join(dist, f)), { level: 9 }).length;
  return { files, gzip };
}

export async function benchUi(print: (line: string) => void): Promise<void> {
  const dist = join(process.cwd(), 'dist');
  const { files, gzip } = await initialJs(dist);
  print(`initial JavaScript: ${(gzip / 1024).toFixed(1)} KB gzipped in ${files.length} file(s) (target < 250 KB)`);

  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${PORT}/`;
  try {
    await waitForServer(url);
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
    const times: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        // A fresh context each run: no cache, no saved lab, no service worker.
        const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        const page = await context.newPage();
        const t0 = performance.now();
        await page.goto(url);
        await page.locator('li[data-moid="vm-36"]', { hasText: '172.16.10.11' }).waitFor();
        await page.getByRole('button', { name: 'Send probe' }).and(page.locator(':enabled')).waitFor();
        times.push(performance.now() - t0);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    times.sort((a, b) => a - b);
    print(`navigation to interactive classroom lab: median ${times[RUNS >> 1].toFixed(0)} ms, best ${times[0].toFixed(0)} ms over ${RUNS} cold loads (target < 1000 ms)`);
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}
