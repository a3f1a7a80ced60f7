/** Flow monitoring: a probe shows up as a live flow with its rule, then as an aggregated flow from the REST API. */
import { expect, test } from './fixtures';
import { openApp } from './lab-helpers';
import { keepScreenshot } from '../ui/e2e-steps';

test('flow monitoring: live flows per host and aggregated flows with rule id and action', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('To', { exact: true }).selectOption('app-sv-01a');
  await page.getByLabel('Port', { exact: true }).fill('8443');
  await page.getByRole('button', { name: 'Send probe' }).click();
  await expect(page.locator('.verdict')).toBeVisible();
  const rule = await page.locator('.verdict').getAttribute('data-rule');

  await page.evaluate(() => (location.hash = '/nsx/flows'));
  await expect(page.getByRole('heading', { name: 'Flow monitoring' })).toBeVisible();
  await page.getByRole('button', { name: 'Advance the lab clock 5 s' }).click();
  const live = page.getByTestId('live-flows');
  const flow = live.locator(`tr[data-rule="${rule}"]`).filter({ hasText: '172.16.20.11:8443' }).first();
  await expect(flow).toContainText('esxcomp-01a');
  await expect(flow).toContainText('allowed');
  await keepScreenshot(page, 'ui-flows-live');
  await page.getByRole('button', { name: 'Advance the lab clock 5 min' }).click();
  const aggregated = page.getByTestId('aggregated-flows');
  await expect(aggregated.locator(`tr[data-rule="${rule}"]`).filter({ hasText: '172.16.20.11:8443' }).first()).toContainText('allowed');
  await keepScreenshot(page, 'ui-flows');
});
