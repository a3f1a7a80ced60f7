/**
 * The look on every screen size a class uses (issue 13): no sideways scrolling, a navigator that
 * never wraps, the phone menu, the event log's remembered state, and screenshot baselines of the
 * main screens in light and dark. One page and one lab per test: screens are opened by hash.
 */
import { expect, test, type Page } from './fixtures';
import { openApp } from './lab-helpers';
import { mainScreens, showScreen } from './main-screens';

const sizes = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
];

/** How far the page, and the screen inside <main>, reach past the viewport's width. */
async function sidewaysOverflow(page: Page): Promise<{ page: number; main: number }> {
  return page.evaluate(() => {
    const main = document.getElementById('main')!;
    return { page: document.documentElement.scrollWidth - window.innerWidth, main: main.scrollWidth - main.clientWidth };
  });
}

test('no screen scrolls sideways at 1280×720, 1024×768 or 390×844, and the navigation fits', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const [hash] of mainScreens) {
      await showScreen(page, hash);
      expect(await sidewaysOverflow(page), `#${hash} at ${size.width}×${size.height}`).toEqual({ page: 0, main: 0 });
    }
    const header = await page.locator('.shell > header').boundingBox();
    expect(header!.height, `one header line at ${size.width}×${size.height}`).toBeLessThanOrEqual(56);
  }
  // On the phone the navigator is a menu: closed, it hides; opened, it navigates and closes.
  const screensNav = page.getByRole('navigation', { name: 'Screens' });
  await expect(screensNav).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await screensNav.getByRole('link', { name: 'Topology', exact: true }).click();
  await expect(screensNav).toBeHidden();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
  // Wide again: the navigator is always there, one link per line.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(screensNav.getByRole('link', { name: 'Networking & Security', exact: true })).toBeVisible();
  const link = await screensNav.getByRole('link', { name: 'Networking & Security', exact: true }).boundingBox();
  expect(link!.height).toBeLessThan(40);
});

test('the event log collapses, and the choice is remembered after a reload', async ({ page }) => {
  await openApp(page);
  const log = page.getByRole('list', { name: 'Events, newest first' });
  await expect(log).toBeVisible();
  await page.getByRole('button', { name: /Events/ }).click();
  await expect(log).toBeHidden();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: /Events/ })).toHaveAttribute('aria-expanded', 'false');
  await expect(log).toBeHidden();
  await page.keyboard.press('Alt+L');
  await expect(log).toBeVisible();
});

test('the main screens match their baselines at 1440×900, 1280×720 and 390×844, light and dark', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  // Scenarios is left out while the course screen is being rebuilt (issue 12).
  const shown = ['/', '/nsx/firewall', '/topology'];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const size of [{ width: 1440, height: 900 }, { width: 1280, height: 720 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      for (const hash of shown) {
        await showScreen(page, hash);
        const name = `${hash === '/' ? 'inventory' : hash.replace(/^\//, '').replace(/\//g, '-')}-${size.width}x${size.height}-${theme}.png`;
        await expect(page).toHaveScreenshot(name, {
          // time-dependent: the lab clock, the save state and the event log's lines and count
          mask: [page.locator('.shell > header .sub'), page.locator('.shell > footer')],
          stylePath: 'test/e2e/look-screenshot.css',
          maxDiffPixelRatio: 0.01,
        });
      }
    }
  }
});
