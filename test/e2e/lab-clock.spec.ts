/** The lab clock's realtime and simulation modes in the app (issue 12, item 8). This spec starts from the app's default, realtime. */
import { expect, test, type Page } from './fixtures';
import { openApp } from './lab-helpers';

test.use({ storageState: { cookies: [], origins: [] } });

const labTime = async (page: Page) => Date.parse((await page.locator('time.clock').getAttribute('datetime'))!);
const controlTime = async (page: Page) => Date.parse((await page.getByTestId('lab-clock').getAttribute('datetime'))!);

test('realtime follows wall time, simulation stands still until stepped, events read to the millisecond', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  const mode = page.getByTestId('clock-mode');
  await expect(mode).toHaveAttribute('data-mode', 'realtime');
  const t0 = await labTime(page);
  await expect.poll(() => labTime(page), { timeout: 15_000 }).toBeGreaterThan(t0 + 1_000);

  // Every event shows lab time with milliseconds.
  const stamps = await page.getByRole('region', { name: 'Event log' }).locator('li time').allTextContents();
  expect(stamps.length).toBeGreaterThan(0);
  for (const s of stamps) expect(s).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);

  // Simulation: the clock stops.
  await mode.click();
  await expect(mode).toHaveAttribute('data-mode', 'simulation');
  await page.waitForTimeout(300); // a tick already on its way may still land
  const frozen = await labTime(page);
  await page.waitForTimeout(2_500);
  expect(await labTime(page)).toBe(frozen);

  // Its controls: step runs to the next scheduled message, +10 s moves exactly ten seconds.
  await page.evaluate(() => (location.hash = '/charts'));
  const control = page.getByRole('group', { name: 'Lab clock' });
  await expect(control.getByRole('radio', { name: 'Simulation' })).toBeChecked();
  await control.getByRole('button', { name: 'Step the lab clock to the next scheduled message' }).click();
  await expect.poll(() => controlTime(page)).toBeGreaterThan(frozen);
  const stepped = await controlTime(page);
  await control.getByRole('button', { name: 'Advance the lab clock 10 s' }).click();
  await expect.poll(() => controlTime(page)).toBe(stepped + 10_000);

  // The choice is kept; realtime again from the control.
  await page.reload();
  await expect(mode).toHaveAttribute('data-mode', 'simulation', { timeout: 30_000 });
  await expect(control.getByRole('radio', { name: 'Simulation' })).toBeChecked({ timeout: 30_000 });
  await control.getByRole('radio', { name: 'Realtime' }).check();
  await expect(mode).toHaveAttribute('data-mode', 'realtime');
  const resumed = await labTime(page);
  await expect.poll(() => labTime(page), { timeout: 15_000 }).toBeGreaterThan(resumed);
});
