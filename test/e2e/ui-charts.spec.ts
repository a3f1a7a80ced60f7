/** Charts: per-host threshold samples arrive as the lab clock advances; a lowered threshold raises an alarm; both survive a reload. */
import { expect, test } from './fixtures';
import { openApp, waitSaved } from './lab-helpers';
import { goTo, keepScreenshot } from '../ui/e2e-steps';

test('charts: samples arrive with the clock, thresholds are drawn, an alarm is marked', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Charts');
  const charts = page.getByRole('region', { name: 'Host charts' });
  await expect(charts.getByRole('figure', { name: 'CPU per host' })).toBeVisible();
  const clock = page.getByTestId('lab-clock');
  const before = await clock.textContent();
  await page.getByRole('button', { name: 'Advance the lab clock 1 min' }).click();
  await expect(clock).not.toHaveText(before!);
  const latest = page.getByTestId('threshold-latest');
  await expect(latest.locator('tr[data-host="esxcomp-02a"]')).toContainText('%');
  await expect(charts.locator('.uplot')).toHaveCount(3);

  // Memory is ~1.3 %: a 1 % threshold is crossed every sample; 20 samples (200 s) raise the alarm.
  await page.getByLabel('Memory %').fill('1');
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Advance the lab clock 1 min' }).click();
  await expect(page.getByTestId('threshold-alarms')).toContainText('Memory threshold crossed');
  await expect(charts.getByRole('figure', { name: 'Memory per host' })).toContainText('threshold 1%');
  await keepScreenshot(page, 'ui-charts');

  // The history is NSX Manager's and is saved with the lab: after a reload the samples and the alarm are still there.
  await waitSaved(page);
  await page.reload();
  await expect(page.getByTestId('threshold-alarms')).toContainText('Memory threshold crossed', { timeout: 30_000 });
  await expect(charts.locator('.uplot')).toHaveCount(3);
  // The fields show the manager's thresholds once it answers, and only then take input.
  await expect(page.getByLabel('Memory %')).toBeEnabled();
  await expect(page.getByLabel('Memory %')).toHaveValue('1');
});
