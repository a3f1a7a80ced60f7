/**
 * Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on the main screens, light and
 * dark. Each screen is scanned once its own content is on screen.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from './fixtures';
import { openApp } from './lab-helpers';
import { mainScreens } from './main-screens';

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`no WCAG 2.1 A/AA violations on the main screens (${theme} theme)`, async ({ page }) => {
    test.setTimeout(360_000); // fifteen screens, each scanned whole; a busy 2-core runner needs the room
    await page.emulateMedia({ colorScheme: theme });
    await openApp(page);
    for (const [hash, ready] of mainScreens) {
      await page.evaluate((h) => (location.hash = h), hash);
      await expect(ready(page)).toBeVisible({ timeout: 30_000 });
      expect(await violations(page), `axe on #${hash}`).toEqual([]);
    }
  });
}
