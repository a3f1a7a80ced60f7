/**
 * Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on the main screens, light and
 * dark. Each screen is scanned whole once its own content is on screen, in the light theme; then
 * the same page turns dark and is scanned again with the rules whose outcome depends on colour
 * (the rest read the DOM, which the theme does not change).
 */
import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from './fixtures';
import { openApp } from './lab-helpers';
import { mainScreens } from './main-screens';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The WCAG 2.1 A/AA rules a colour scheme can change the outcome of. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

async function violations(page: Page, rules?: string[]): Promise<string[]> {
  // Rules by name run alone (withRules replaces the tag selection); both named are WCAG 2.1 A/AA.
  const axe = new AxeBuilder({ page });
  const result = await (rules ? axe.withRules(rules) : axe.withTags(WCAG_21_AA)).analyze();
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('no WCAG 2.1 A/AA violations on the main screens, light and dark theme', async ({ page }) => {
  test.setTimeout(360_000); // fifteen screens, each scanned whole and for colour; a busy 2-core runner needs the room
  await openApp(page);
  for (const [hash, ready] of mainScreens) {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(ready(page)).toBeVisible({ timeout: 30_000 });
    expect(await violations(page), `axe on #${hash} (light)`).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await violations(page, COLOUR_RULES), `axe on #${hash} (dark)`).toEqual([]);
  }
});
