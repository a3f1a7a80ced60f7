/**
 * The JS heap of every Web Worker of the built app's classroom lab in headless Chromium, read
 * through the DevTools protocol (HeapProfiler.collectGarbage, then Runtime.getHeapUsage on each
 * worker target): the app's own bundles in the browser's isolates, as a learner runs them.
 * Drives `vite preview` of `dist/` (run `npx vite build` first).
 */
import { spawn } from 'node:child_process';
import { type Browser, type CDPSession, chromium } from 'playwright-core';
import { waitForServer } from './preview-server';

const PORT = Number(process.env.DFW_BENCH_PORT ?? 4184);

let nextCall = 1;

/** Sends `method` to the worker behind `sessionId` (attached without flattening) and waits for its answer. */
function workerCall(cdp: CDPSession, sessionId: string, method: string): Promise<Record<string, number>> {
  const id = nextCall++;
  return new Promise((resolve) => {
    const onMessage = (e: { sessionId: string; message: string }) => {
      const reply = JSON.parse(e.message) as { id?: number; result?: Record<string, number> };
      if (e.sessionId !== sessionId || reply.id !== id) return;
      cdp.off('Target.receivedMessageFromTarget', onMessage);
      resolve(reply.result ?? {});
    };
    cdp.on('Target.receivedMessageFromTarget', onMessage);
    void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params: {} }) });
  });
}

/** Used heap of each worker target of the browser, by its script's name, after a collection. */
async function workerHeaps(browser: Browser): Promise<{ name: string; bytes: number }[]> {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const out: { name: string; bytes: number }[] = [];
  for (const t of targetInfos.filter((info) => info.type === 'worker')) {
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
    await workerCall(cdp, sessionId, 'HeapProfiler.collectGarbage');
    const { usedSize } = await workerCall(cdp, sessionId, 'Runtime.getHeapUsage');
    out.push({ name: (t.title || t.url.split('/').pop() || '?').replace(/^dfw-/, ''), bytes: usedSize });
    await cdp.send('Target.detachFromTarget', { sessionId });
  }
  await cdp.detach();
  return out;
}

/** The classroom lab's worker heaps in Chromium after its first boot, its first save and a published section. */
export async function chromiumWorkerHeaps(): Promise<{ name: string; bytes: number }[]> {
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${PORT}/`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await waitForServer(url);
    const page = await browser.newPage();
    await page.goto(`${url}#/`);
    const saved = () => page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.getAttribute('data-state') === 'saved', null, { timeout: 180_000 });
    await saved();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    const status = await page.evaluate(async () => (await fetch('/api/4.0/firewall/globalroot-0/config/layer3sections', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<section name="memory bench"/>' })).status);
    if (status !== 201) throw new Error(`the memory bench's publish was answered ${status}`);
    await saved();
    return await workerHeaps(browser);
  } finally {
    await browser.close();
    process.kill(-server.pid!);
  }
}
