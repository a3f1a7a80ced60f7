import { expect, test, type Page } from './fixtures';
import { readFileSync } from 'node:fs';

/** The course as the app lists it: every lesson of public/scenarios/index.json. */
const BUILT_IN_LESSONS = (JSON.parse(readFileSync('public/scenarios/index.json', 'utf8')) as { scenarios: string[] }).scenarios.length;

async function openScenario(page: Page, hash: string) {
  await page.goto(`/${hash}`);
  await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible({ timeout: 30_000 });
}

// One page for the list and instructor mode (both start from the list of a first visit): one lab boot less.
test('the scenario list shows every built-in lesson with level and progress; instructor mode shows the answer key and authors a scenario with pickers', async ({ page }) => {
  await openScenario(page, '#/scenarios');
  await expect(page.getByRole('heading', { name: 'Scenarios' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Locking yourself out of vCenter' })).toBeVisible();
  const lessons = page.getByRole('list', { name: 'Lessons' }).getByRole('listitem');
  await expect(lessons).toHaveCount(BUILT_IN_LESSONS);
  await expect(lessons.first()).toContainText('beginner');
  await expect(page.getByLabel('progress').first()).toContainText('Not started');

  // Instructor mode, from the same list.
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

test('a scenario opens by id at a step; narrative rendered, goals listed, hints only when asked', async ({ page }) => {
  await openScenario(page, '#/scenario/lockout-vcenter');
  await expect(page.getByRole('complementary', { name: 'Lesson' }).getByRole('heading', { name: 'Locking yourself out of vCenter' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Step 1 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'A tidy three-tier lab' })).toBeVisible();
  // Step 1 is a read step: no goal, Next is the way on.
  await expect(page.getByTestId('goal')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Next' })).toBeEnabled({ timeout: 30_000 });

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/#/scenario/lockout-vcenter/step/2');
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('The default rule is the last rule')).toHaveCount(0);
  await page.getByRole('button', { name: 'Give me a hint' }).click();
  // The hint opens in view, not below the dock's fold.
  await expect(page.getByText('The default rule is the last rule')).toBeInViewport({ ratio: 1 });
  await expect(page.getByText('Solution:')).toHaveCount(0);
  await page.getByRole('button', { name: 'Another hint' }).click();
  await page.getByRole('button', { name: 'Show the solution' }).click();
  await expect(page.getByText('Solution:')).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Lesson' }).locator('.solution')).toBeInViewport();
});

// One page for a scenario walked to step 2 and for coming back to it from the list: one lab boot less.
test('scenario 1 through the UI: show me, goals tick live, Next, Reset step; coming back to it from the list continues at its step', async ({ page }) => {
  await openScenario(page, '#/scenario/lockout-vcenter');
  await expect(page.getByText('Step 1 of 6')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  // Step 2 is not complete on arrival: the learner has not blocked anything yet.
  await expect(page.getByTestId('goal').filter({ hasText: 'not yet' }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Step complete.')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Give me a hint' })).toBeVisible();
  await page.getByRole('button', { name: 'Show me' }).click();
  await expect(page.getByText('Step complete.')).toBeVisible({ timeout: 30_000 });
  // A complete step offers no hint.
  await expect(page.getByRole('button', { name: 'Give me a hint' })).toHaveCount(0);
  // Reset step asks first.
  await page.getByRole('button', { name: 'Reset step…' }).click();
  await page.getByRole('group', { name: 'Reset step' }).getByRole('button', { name: 'Reset step' }).click();
  await expect(page.getByText('Step complete.')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Give me a hint' })).toBeVisible();
  // Coming back to the running scenario (at step 2) from the list continues at its step.
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
