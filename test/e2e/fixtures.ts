/**
 * The e2e suite's `test` and `expect`: every spec imports them from here instead of
 * '@playwright/test'. Each test fails if the page printed a console error, threw an uncaught
 * error, or Svelte printed a warning (a `[svelte]` message or a svelte.dev/e/ link) — a clean
 * console is part of the product (issue 13). A test that provokes an error on purpose says so
 * with `consoleAllowed.push(/pattern/)`.
 */
import { test as base, expect, type ConsoleMessage } from '@playwright/test';

export { expect };
export type { Locator, Page } from '@playwright/test';

/** True for the console messages the suite does not accept. */
export function isUnclean(type: string, text: string): boolean {
  if (type === 'error') return true;
  return (type === 'warning' || type === 'warn') && /\[svelte\]|svelte\.dev\/e\//.test(text);
}

export const test = base.extend<{ consoleAllowed: RegExp[]; cleanConsole: void }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  consoleAllowed: async ({}, use) => {
    await use([]);
  },
  cleanConsole: [
    async ({ page, consoleAllowed }, use) => {
      const problems: string[] = [];
      const onConsole = (m: ConsoleMessage) => {
        const where = m.location().url ? ` (${m.location().url}:${m.location().lineNumber})` : '';
        if (isUnclean(m.type(), m.text()) && !consoleAllowed.some((re) => re.test(m.text()))) problems.push(`console.${m.type()}: ${m.text()}${where}`);
      };
      const onError = (e: Error) => {
        if (!consoleAllowed.some((re) => re.test(e.message))) problems.push(`page error: ${e.message}`);
      };
      page.on('console', onConsole);
      page.on('pageerror', onError);
      await use();
      page.off('console', onConsole);
      page.off('pageerror', onError);
      expect(problems, 'the browser console stays clean').toEqual([]);
    },
    { auto: true },
  ],
});
