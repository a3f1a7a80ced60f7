/**
 * When the classroom lab became interactive, as the page saw it: an init script watches the
 * DOM and records the first moment the VM shows its Tools IP and "Send probe" is enabled.
 * Playwright's own waiting polls with a growing back-off (0, 20, 50, 100, 100, then every
 * 500 ms), so the moment it notices can be up to half a second late.
 */
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    __dfwInteractiveAt?: number;
  }
}

export async function recordInteractive(page: Page): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const vm = document.querySelector('li[data-moid="vm-36"]');
      const probe = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Send probe');
      if (!vm?.textContent?.includes('172.16.10.11') || !probe || probe.disabled) return;
      window.__dfwInteractiveAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** Epoch milliseconds (same clock as Date.now()) at which the page became interactive. */
export async function interactiveAt(page: Page): Promise<number> {
  const at = await page.evaluate(() => window.__dfwInteractiveAt);
  if (at === undefined) throw new Error('the page never recorded the interactive lab');
  return at;
}
