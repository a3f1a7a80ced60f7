import { expect, test, type Page } from './fixtures';
import { deflateRawSync } from 'node:zlib';
import { storedLabs, waitSaved } from './lab-helpers';

const link = (value: unknown) => `/#/s/1/${deflateRawSync(Buffer.from(JSON.stringify(value))).toString('base64url')}`;
const scenario = (say: string) => ({ format: 'dfw-lab/scenario@1', id: 'evil', title: 'Evil', summary: '', lab: { preset: 'classroom' }, steps: [{ say }] });

/** Fails the test if the page loads anything from outside the app or opens a dialog. */
function guard(page: Page) {
  const outside: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && u.protocol !== 'blob:') outside.push(r.url());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { outside, dialogs };
}

test('a shared lab opens read-only in a fresh browser context; "make a copy" opens the same lab', async ({ page, browser }) => {
  await page.goto('/#/scenarios');
  await page.getByRole('button', { name: 'Share this lab' }).click();
  await expect(page.getByTestId('share-note')).toContainText('kB');
  const url = await page.getByLabel('Share link').inputValue();
  const hash = url.slice(url.indexOf('#'));
  const shared = await page.evaluate(() => document.querySelector('time.clock')?.textContent ?? '');

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(`/${hash}`);
  await expect(other.getByText('Read-only preview of a shared lab')).toBeVisible({ timeout: 30_000 });
  await expect(other.getByTestId('shared-lab')).toContainText('Classroom datacenter');
  await other.getByRole('button', { name: 'Make a copy' }).click();
  await expect(other.locator('time.clock')).toHaveText(shared, { timeout: 30_000 });
  await fresh.close();
});

test('a shared scenario is read-only until started', async ({ page }) => {
  await page.goto(link({ ...scenario('## Hello\n\nA **shared** lesson.'), id: 'shared-one', title: 'Shared one' }));
  await expect(page.getByText('A shared lesson. It runs in a lab of its own')).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => localStorage.getItem('dfw-lab/scenarios/mine'))).toBeNull();
  await page.getByRole('button', { name: 'Start the lesson' }).click();
  // In the dock: the preview's "Opens at step 1 of 1." matches a plain getByText before the lesson has started.
  await expect(page.getByRole('complementary', { name: 'Lesson' }).getByText('Step 1 of 1')).toBeVisible({ timeout: 30_000 });
  expect(await page.evaluate(() => localStorage.getItem('dfw-lab/scenarios/mine'))).toContain('shared-one');
});

test('broken and hostile links say why and change nothing', async ({ page }) => {
  const { outside, dialogs } = guard(page);
  await page.goto('/#/scenarios');
  await expect(page.getByRole('heading', { name: 'Scenarios' })).toBeVisible({ timeout: 30_000 });
  await waitSaved(page);
  // The open lab's first view is kept in localStorage once it is saved (first-view.ts): then nothing may change.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dfw-lab.first-view') !== null), { timeout: 30_000 }).toBe(true);
  const before = await page.evaluate(() => JSON.stringify(localStorage));
  const labsBefore = await storedLabs(page);
  expect(labsBefore.length).toBeGreaterThan(0);
  const cases: [string, RegExp][] = [
    ['/#/s/1/%%%not-base64', /not valid base64url/],
    [`/#/s/1/${Buffer.from([0xff, 0xfe, 0xfd, 0x00]).toString('base64url')}`, /does not decompress/],
    [`/#/s/1/${deflateRawSync(Buffer.alloc(9_000_000, 0x20)).toString('base64url')}`, /unpacks to more than/],
    ['/#/s/9/abc', /share format 9/],
    [link(scenario('<script>alert(1)</script>')), /contains a script/],
    [link(scenario('<img src=x onerror="alert(1)">')), /raw HTML/],
    [link(scenario('![t](https://tracker.example/p.png)')), /outside URL/],
    [link(scenario('[x](javascript:alert(1))')), /outside URL/],
    [link({ format: 'dfw-lab/scenario@1', id: 'x' }), /not valid: \$\.title/],
  ];
  for (const [url, why] of cases) {
    await page.goto(url);
    await expect(page.getByTestId('share-error')).toContainText(why, { timeout: 30_000 });
    await expect(page.getByText('Nothing was opened or saved.')).toBeVisible();
  }
  expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe(before);
  // The saved labs in IndexedDB are untouched too: same labs, same revisions, same documents.
  expect(await storedLabs(page)).toEqual(labsBefore);
  expect(outside).toEqual([]);
  expect(dialogs).toEqual([]);
});
