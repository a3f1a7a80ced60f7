/** Shared steps for the test/e2e/ui-* specs: navigation and screenshots kept under test-results/screens/. */
import { type Page } from '@playwright/test';

export async function goTo(page: Page, screen: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen, exact: true }).click();
}

/** Keeps a screenshot as a test artifact (and a second copy where UI_SCREENS_COPY points, for review). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
  if (process.env.UI_SCREENS_COPY) await page.screenshot({ path: `${process.env.UI_SCREENS_COPY}/${name}.png`, fullPage: true });
}
