/**
 * Waits until the browser is idle. A fresh context opens a new window, and Chromium spends
 * more than a second of CPU over the next few seconds on that window's own pages (the
 * omnibox popup WebUI and friends); on a two-core machine a load timed meanwhile measures
 * that start-up as much as the app's.
 */
import type { CDPSession } from 'playwright-core';

const WINDOW_MS = 200;
/** Below this much CPU (all of Chromium's processes) in one window, the browser counts as idle. */
const IDLE_CPU_MS = 20;
const MAX_WAIT_MS = 10_000;

async function cpuMs(cdp: CDPSession): Promise<number> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { cpuTime: number }[] };
  return processInfo.reduce((sum, p) => sum + p.cpuTime, 0) * 1000;
}

/** `cdp` is a browser-level session (browser.newBrowserCDPSession()). Returns how long it waited. */
export async function waitForIdleBrowser(cdp: CDPSession): Promise<number> {
  const start = performance.now();
  let before = await cpuMs(cdp);
  while (performance.now() - start < MAX_WAIT_MS) {
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const now = await cpuMs(cdp);
    if (now - before < IDLE_CPU_MS) break;
    before = now;
  }
  return performance.now() - start;
}
