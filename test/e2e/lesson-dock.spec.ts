/**
 * The lesson beside the lab (issue 12): the first visit's welcome leads into the first lesson;
 * the dock stays on every screen; its collapsed state survives navigation; a reload lands on
 * the same step in the same lab; a link opens a lesson at its step with no later step's text in
 * the page, and opening it twice does not make a second copy. One page and lab per test.
 */
import { expect, test, type Page } from './fixtures';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { storedLabs } from './lab-helpers';

const dock = (page: Page) => page.getByRole('complementary', { name: 'Lesson' });

async function screen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
}

test('first visit → welcome → first lesson; the dock on every screen, collapse remembered, reload lands on the same step, its lab link compact', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await page.goto('/#/');
  const welcome = page.getByRole('complementary', { name: 'Welcome to DFW Lab' });
  await expect(welcome).toBeVisible({ timeout: 30_000 });
  await expect(welcome.getByRole('button', { name: 'Explore the lab freely' })).toBeVisible();
  await welcome.getByRole('button', { name: 'Start the first lesson' }).click();

  await expect(page).toHaveURL(/#\/scenario\/lockout-vcenter\/step\/1$/, { timeout: 30_000 });
  await expect(dock(page).getByText('Step 1 of 6')).toBeVisible({ timeout: 60_000 });
  // Step 1 is a read step: nothing to tick, Next is open.
  await expect(dock(page).getByText('Nothing to do here: read, then press Next.')).toBeVisible({ timeout: 30_000 });
  await dock(page).getByRole('button', { name: 'Next' }).click();
  await expect(dock(page).getByText('Step 2 of 6')).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/#\/scenario\/lockout-vcenter\/step\/2$/);
  // Goals read as sentences; the check itself only under "Details".
  await expect(dock(page).getByTestId('goal').first()).toContainText('The vSphere screens can no longer reach vCenter');
  await expect(dock(page)).not.toContainText('{{');
  await expect(page.getByRole('complementary', { name: 'Welcome to DFW Lab' })).toHaveCount(0);

  for (const name of ['Hosts and Clusters', 'Networking & Security', 'Consoles', 'REST API']) {
    await screen(page, name);
    await expect(dock(page).getByText('Step 2 of 6'), `the lesson beside ${name}`).toBeVisible();
    await expect(dock(page).getByRole('heading', { name: 'Positive security, done hastily' })).toBeVisible();
  }

  // Collapsed to a slim bar: it stays collapsed on the next screen, and after a reload.
  await dock(page).getByRole('button', { name: 'Collapse the lesson' }).click();
  const bar = dock(page).getByRole('button', { name: /Locking yourself out of vCenter\s*Step 2 of 6/ });
  await expect(bar).toHaveAttribute('aria-expanded', 'false');
  await screen(page, 'Networking & Security');
  await expect(bar).toBeVisible();
  await expect(dock(page).getByTestId('goal')).toHaveCount(0);

  const labs = (await storedLabs(page)).map((l) => l.name).sort();
  await page.reload();
  await expect(bar).toBeVisible({ timeout: 60_000 });
  await bar.click();
  await expect(dock(page).getByText('Step 2 of 6')).toBeVisible();
  await expect(dock(page).getByTestId('goal').filter({ hasText: 'checking' })).toHaveCount(0, { timeout: 30_000 });
  // The same lab, restored by the workspace: no second "Lesson: …" lab.
  expect((await storedLabs(page)).map((l) => l.name).sort()).toEqual(labs);
  expect(labs.filter((n) => n.startsWith('Lesson: Locking yourself out of vCenter'))).toHaveLength(1);

  // Reset step asks first; Cancel leaves the step as it is.
  await dock(page).getByRole('button', { name: 'Reset step…' }).click();
  await dock(page).getByRole('group', { name: 'Reset step' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(dock(page).getByText('Step 2 of 6')).toBeVisible();

  // After the reload the lab still has its history (saved with it): its link is the compact
  // replay, and opens in another browser at the same screen, lesson and step (issue 12 item 7).
  await screen(page, 'Consoles');
  await dock(page).getByRole('button', { name: 'Copy link to this lab' }).click();
  const url = await dock(page).getByLabel('Share link').inputValue();
  const hash = url.slice(url.indexOf('#'));
  expect(hash.length, 'a compact lab link').toBeLessThan(2_000);
  const sent = JSON.parse(inflateRawSync(Buffer.from(hash.slice('#/s/1/'.length), 'base64url')).toString()) as { item: { format: string }; at: unknown };
  expect(sent.item.format).toBe('dfw-lab/replay@1');
  expect(sent.at).toEqual({ route: '/consoles', lesson: 'lockout-vcenter', step: 1 });
  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(`/${hash}`);
    await other.getByRole('button', { name: 'Make a copy' }).click({ timeout: 60_000 });
    await expect(dock(other).getByText('Step 2 of 6')).toBeVisible({ timeout: 60_000 });
    await expect(other).toHaveURL(/#\/consoles$/);
  } finally {
    await fresh.close();
  }
});

const say = (n: number) => `## Part ${n} heading\n\nThe text of part ${n}, secret-${n}.`;
const shared = {
  format: 'dfw-lab/share@1',
  item: {
    format: 'dfw-lab/scenario@1',
    id: 'three-parts',
    title: 'Three parts',
    summary: 'A shared lesson in three parts.',
    lab: { preset: 'classroom' },
    steps: [{ say: say(1) }, { say: say(2) }, { say: say(3) }],
  },
  at: { step: 1 },
};
const link = (value: unknown) => `/#/s/1/${deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url')}`;

test('a lesson link opens at its step without later steps in the page; opened twice, it continues the same copy', async ({ page }) => {
  test.setTimeout(120_000);
  // A lesson's route as the very first visit opens while the first lab is still being saved: the
  // lesson still gets a saved lab of its own, so a reload comes back to it at the same step.
  await page.goto('/#/scenario/rest-restore/step/2');
  await expect(dock(page).getByText('Step 2 of 4')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.lab-name')).toHaveText(/^Lesson: REST restore/, { timeout: 30_000 });
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  await page.reload();
  await expect(dock(page).getByText('Step 2 of 4')).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.lab-name')).toHaveText(/^Lesson: REST restore/);

  await page.goto(link(shared));
  await expect(page.getByTestId('shared-step')).toHaveText('Opens at step 2 of 3.', { timeout: 30_000 });
  for (const n of [1, 2, 3]) await expect(page.getByText(`secret-${n}`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Start the lesson' }).click();
  await expect(dock(page).getByText('Step 2 of 3')).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/#\/scenario\/three-parts\/step\/2$/);
  await expect(dock(page).getByRole('heading', { name: 'Part 2 heading' })).toBeVisible();
  await expect(page.getByText('secret-3')).toHaveCount(0);

  await page.goto(link(shared));
  await page.getByRole('button', { name: 'Start the lesson' }).click();
  await expect(dock(page).getByText('Step 2 of 3')).toBeVisible({ timeout: 60_000 });
  const mine = await page.evaluate(() => JSON.parse(localStorage.getItem('dfw-lab/scenarios/mine') ?? '[]') as { id: string }[]);
  expect(mine.map((s) => s.id)).toEqual(['three-parts']);
  expect((await storedLabs(page)).filter((l) => l.name.startsWith('Lesson: Three parts'))).toHaveLength(1);

  // A built-in lesson's link is its route: a fresh browser opens it at that step, in a lab of its own.
  await page.goto('/#/scenario/rest-restore/step/2');
  await expect(dock(page).getByText('Step 2 of 4')).toBeVisible({ timeout: 60_000 });
  await expect(dock(page).getByRole('heading', { name: 'A section disappears' })).toBeVisible();
  await expect(page.getByText('Stale ETags are refused too')).toHaveCount(0);
  await expect(page.getByText('Save a known-good configuration')).toHaveCount(0);

  // Loaded again (a bookmark, the same link clicked twice), the step link and the lesson's own
  // link reuse the learner's lab for it: no second "Lesson: …" lab (issue 18 item 13).
  const lessonLabs = async () => (await storedLabs(page)).filter((l) => l.name.startsWith('Lesson: REST restore')).length;
  await expect.poll(lessonLabs, { timeout: 30_000 }).toBe(1);
  for (const again of ['/#/scenario/rest-restore/step/2', '/#/scenario/rest-restore']) {
    await page.goto('about:blank');
    await page.goto(again);
    await expect(dock(page).getByText('Step 2 of 4')).toBeVisible({ timeout: 60_000 });
    await expect(dock(page).locator('.busy')).toHaveCount(0, { timeout: 60_000 });
    expect(await lessonLabs(), `labs after opening ${again} again`).toBe(1);
  }
});
