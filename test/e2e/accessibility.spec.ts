/**
 * Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on the main screens, light and
 * dark. Each screen is scanned whole once its own content is on screen, in the light theme; then
 * the same page turns dark and is scanned again with the rules whose outcome depends on colour
 * (the rest read the DOM, which the theme does not change).
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page, expect, test } from './fixtures';
import { openApp } from './lab-helpers';
import { mainScreens } from './main-screens';

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** The WCAG 2.1 A/AA rules a colour scheme can change the outcome of. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

async function violations(page: Page, rules?: string[]): Promise<string[]> {
  // Legacy mode runs axe in the page and its same-origin frames and merges there; the default mode
  // opens a blank page per scan to merge frames' results, which only cross-origin frames need (the
  // app has none: checked below). Same rules, same results, about half the time per scan (paired
  // runs on the loaded 2-core machine: 4.3-9.4 s against 8.2-21 s).
  expect(page.frames().filter((f) => !f.url().startsWith(new URL(page.url()).origin) && f.url() !== 'about:blank').map((f) => f.url()), 'cross-origin frames (legacy mode would not scan them)').toEqual([]);
  // Rules by name run alone (withRules replaces the tag selection); both named are WCAG 2.1 A/AA.
  const axe = new AxeBuilder({ page }).setLegacyMode();
  const result = await (rules ? axe.withRules(rules) : axe.withTags(WCAG_21_AA)).analyze();
  return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** WCAG contrast of a hovered button's text on its background (both computed, sRGB). */
async function hoveredContrast(button: Locator): Promise<number> {
  await button.hover();
  return button.evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(el);
    const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}

// One page for the scan and the hovered buttons (on Firewall, once the scan is done): one lab boot less.
test('no WCAG 2.1 A/AA violations on the main screens, light and dark theme; hovered buttons keep 4.5:1 contrast in both themes', async ({ page }) => {
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

  // Hovered buttons keep 4.5:1 contrast in both themes (axe does not hover).
  await page.evaluate(() => (location.hash = '/nsx/firewall'));
  await expect(page.getByRole('button', { name: 'Add rule', exact: true })).toBeEnabled({ timeout: 30_000 });
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const control of [page.getByRole('button', { name: 'Add rule', exact: true }), page.getByRole('tab', { name: 'Ethernet (L2)' })]) {
      expect(await hoveredContrast(control), `${await control.textContent()} hovered, ${theme}`).toBeGreaterThanOrEqual(4.5);
    }
  }
});
