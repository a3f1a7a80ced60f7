import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';

/** What the lab of this build can do, detected by running the same lab code in Node. */
function backendHas(...needs: string[]): boolean {
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'test/scenario/print-capabilities.ts'], { encoding: 'utf8', timeout: 60_000 });
  const has = JSON.parse(out.stdout.trim().split('\n').at(-1) || '[]') as string[];
  return needs.every((n) => has.includes(n));
}

async function openScenario(page: Page, hash: string) {
  await page.goto(`/${hash}`);
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible({ timeout: 30_000 });
}

test('the scenario list shows the ten lessons with progress', async ({ page }) => {
  await openScenario(page, '#/scenarios');
  await expect(page.getByRole('heading', { name: 'Scenarios' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Locking yourself out of vCenter' })).toBeVisible();
  const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('listitem');
  await expect(lessons).toHaveCount(10);
  await expect(lessons.first()).toContainText('beginner');
  await expect(page.getByLabel('progress').first()).toContainText('Not started');
});

test('a scenario opens by id at a step; narrative rendered, goals listed, hints only when asked', async ({ page }) => {
  await openScenario(page, '#/scenario/lockout-vcenter');
  await expect(page.getByRole('complementary', { name: 'Lesson' }).getByRole('heading', { name: 'Locking yourself out of vCenter' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Step 1 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'A tidy three-tier lab' })).toBeVisible();
  await expect(page.getByTestId('goal')).toHaveCount(2);

  await page.goto('/#/scenario/lockout-vcenter/step/2');
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('The default rule is the last rule')).toHaveCount(0);
  await page.getByRole('button', { name: 'Give me a hint' }).click();
  await expect(page.getByText('The default rule is the last rule')).toBeVisible();
  await expect(page.getByText('Solution:')).toHaveCount(0);
  await page.getByRole('button', { name: 'Another hint' }).click();
  await page.getByRole('button', { name: 'Show the solution' }).click();
  await expect(page.getByText('Solution:')).toBeVisible();
});

test('scenario 1 through the UI: show me, goals tick live, Next, Reset step', async ({ page }) => {
  // The same lab code runs here in Node: skip (and say why) until the build has what the lesson needs.
  test.skip(!backendHas('manager', 'firewall'), 'this build has no NSX Manager or no kernel firewall in the lab yet');
  await openScenario(page, '#/scenario/lockout-vcenter');
  await expect(page.getByText('Step 1 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Step complete.')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Show me' }).click();
  await expect(page.getByText('Step complete.')).toBeVisible({ timeout: 30_000 });
  // Reset step asks first.
  await page.getByRole('button', { name: 'Reset step…' }).click();
  await page.getByRole('group', { name: 'Reset step' }).getByRole('button', { name: 'Reset step' }).click();
  await expect(page.getByText('Step complete.')).toHaveCount(0, { timeout: 30_000 });
});

test('coming back to a running scenario from the list continues at its step', async ({ page }) => {
  await openScenario(page, '#/scenario/lockout-vcenter');
  await expect(page.getByText('Step complete.')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => (location.hash = '/scenarios'));
  await expect(page.getByText('Running now: step 2')).toBeVisible();
  await page.getByRole('list', { name: 'Lessons' }).getByRole('link', { name: 'Locking yourself out of vCenter' }).click();
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/#\/scenario\/lockout-vcenter\/step\/2$/);
});

test('presenter view steps through a walkthrough in large type', async ({ page }) => {
  await openScenario(page, '#/scenario/vmotion-keeps-state/present');
  await expect(page.getByRole('region', { name: 'Presenter view' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Step 1 / 6')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByText('Step 2 / 6')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Move it within the cluster' })).toBeVisible();
});

test('instructor mode shows the answer key and authors a scenario with pickers', async ({ page }) => {
  await openScenario(page, '#/scenarios');
  await page.getByLabel('Instructor mode').check();
  await page.getByRole('list', { name: 'Lessons' }).getByRole('listitem').first().getByText('Answer key').click();
  await expect(page.locator('.key').first()).toContainText('Solution:');
  await page.getByRole('link', { name: 'New scenario' }).click();
  await expect(page.getByRole('heading', { name: 'New scenario' })).toBeVisible();
  await page.getByLabel('Add to goal of step 1').selectOption('reach');
  await expect(page.locator('.item code').first()).toContainText('vCenter screens are up');
  await expect(page.getByText('Valid scenario.')).toBeVisible();
  await page.getByLabel('Id').fill('Bad Id');
  await expect(page.getByRole('alert')).toContainText('$.id');
  await page.getByLabel('Id').fill('my-first');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved “My scenario”')).toBeVisible();
});
