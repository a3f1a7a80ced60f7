/**
 * The built-in lessons walked as a learner walks them (issue 12, "Done when"): open the lesson,
 * read the step in the lesson dock, do the work in the app's own screens (Firewall, Saved
 * configurations, Exclusion list, SpoofGuard, Charts, Inventory, the consoles and the REST API
 * screen) with the lesson beside every one of them, and see the goals tick live, then Next. No
 * request is sent by the test itself and "Show me" is never pressed.
 *
 * On every step: a step with goals is not complete on arrival (a read step has none and Next
 * is open), and no template, `undefined`, `[object Object]` or raw XML shows in the lesson.
 */
import { expect, test, type Page } from './fixtures';

// ---- moving around: the lesson stays beside every screen -----------------------------------

const dock = (page: Page) => page.getByRole('complementary', { name: 'Lesson' });

async function lessonBeside(page: Page, where: string) {
  await expect(dock(page).getByText(/^Step \d+ of \d+$/), `the lesson beside ${where}`).toBeVisible();
}

async function screen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
  await lessonBeside(page, name);
}

async function nsxPage(page: Page, name: string) {
  await screen(page, 'Networking & Security');
  await page.getByRole('navigation', { name: 'Networking & Security' }).getByRole('link', { name, exact: true }).click();
  await lessonBeside(page, name);
}

// ---- the lesson ---------------------------------------------------------------------------

const goals = (page: Page) => dock(page).getByTestId('goal');

class Walk {
  step = 1;

  constructor(
    readonly page: Page,
    readonly id: string,
    readonly total: number,
  ) {}

  async open() {
    // The offline-ready notice sits over the dock's footer (where Next is) until dismissed: a learner presses OK.
    await this.page.addLocatorHandler(this.page.getByTestId('pwa-prompt'), async (toast) => {
      await toast.getByRole('button', { name: 'OK' }).click();
    });
    await this.page.goto(`/#/scenario/${this.id}`);
    await this.arrive(1);
  }

  /** Checks a step as the learner meets it: a goal step is not complete yet, a read step has no goal. */
  private async arrive(step: number) {
    this.step = step;
    const page = this.page;
    await expect(dock(page).getByText(`Step ${step} of ${this.total}`)).toBeVisible({ timeout: 60_000 });
    await expect(dock(page).locator('.busy')).toHaveCount(0, { timeout: 120_000 });
    await expect(goals(page).filter({ hasText: 'checking' })).toHaveCount(0, { timeout: 30_000 });
    if ((await goals(page).count()) > 0) {
      await expect(goals(page).filter({ hasText: 'not yet' }).first()).toBeVisible();
      await expect(dock(page).getByText('Step complete.')).toHaveCount(0);
      const sentences = await dock(page).getByRole('list', { name: 'Goals' }).innerText();
      expect(sentences, `goals of step ${step}`).not.toMatch(/<\w|\{\{|\}\}|\bundefined\b|\[object /);
    } else {
      await expect(dock(page).getByText('Nothing to do here: read, then press Next.')).toBeVisible();
    }
    const text = await dock(page).innerText();
    expect(text, `step ${step}`).not.toMatch(/\{\{|\}\}|\bundefined\b|\[object Object\]/);
  }

  /** A read step: nothing to tick, Next is open. */
  async read() {
    await expect(goals(this.page)).toHaveCount(0);
    await this.next();
  }

  /** After working in the screens: every goal of the step ticks without "Check goals". */
  async done() {
    const page = this.page;
    await expect(dock(page).getByText(`Step ${this.step} of ${this.total}`)).toBeVisible();
    await expect(dock(page).getByText('Step complete.')).toBeVisible({ timeout: 60_000 });
    await expect(goals(page).filter({ hasText: 'not yet' })).toHaveCount(0);
    if (this.step < this.total) await this.next();
    else await expect(page.getByRole('region', { name: 'Lesson complete' })).toBeVisible({ timeout: 30_000 });
  }

  private async next() {
    await dock(this.page).getByRole('button', { name: 'Next' }).click();
    await this.arrive(this.step + 1);
  }
}

// ---- the learner's tools ------------------------------------------------------------------

/** Types a command in the console of a host or VM and waits for `expected` in its output. */
async function typeIn(page: Page, moid: string, name: string, cmd: string, expected: string | RegExp) {
  await screen(page, 'Consoles');
  await page.getByRole('navigation', { name: 'Consoles' }).getByRole('link', { name, exact: true }).click();
  const rows = page.locator(`.pane[data-console="${moid}"] .xterm-rows`);
  await expect(rows).toContainText(/\[root@|root@/, { timeout: 30_000 });
  await page.locator(`.pane[data-console="${moid}"] .xterm`).click();
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await expect(rows).not.toContainText('# clear');
  await page.keyboard.type(cmd);
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(expected, { timeout: 30_000 });
  return rows;
}

const firewall = (page: Page) => page.getByRole('region', { name: 'Firewall', exact: true });

async function publish(page: Page) {
  const fw = firewall(page);
  await expect(fw.getByTestId('unpublished')).toBeVisible();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByTestId('unpublished')).toBeHidden({ timeout: 60_000 });
  await expect(fw.getByText(/Published generation \d+/)).toBeVisible();
}

const tree = (page: Page) => page.getByRole('navigation', { name: 'vSphere inventory' });

async function select(page: Page, moid: string) {
  await screen(page, 'Hosts and Clusters');
  await tree(page).locator(`li[data-moid="${moid}"] > .node`).click();
}

async function migrate(page: Page, moid: string, vm: string, host: RegExp) {
  await select(page, moid);
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: `Migrate ${vm}` });
  await dialog.getByLabel(host).check();
  await dialog.getByRole('button', { name: 'Migrate' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

/** Loads the newest saved configuration that holds `section` (and, if asked, an allowing default rule), into the working copy. */
async function loadSavedWith(page: Page, section: string, defaultAllows: boolean) {
  await nsxPage(page, 'Firewall'); // the working copy follows the configuration first
  await expect(firewall(page).locator('tr[data-rule="1001"]')).toBeVisible({ timeout: 30_000 });
  await nsxPage(page, 'Saved configurations');
  const drafts = page.getByRole('region', { name: 'Saved configurations', exact: true }).locator('tr[data-draft]');
  await expect(drafts.first()).toBeVisible({ timeout: 30_000 });
  const count = await drafts.count();
  for (let i = 0; i < count; i++) {
    await nsxPage(page, 'Saved configurations');
    await drafts.nth(i).getByRole('button', { name: /^Load / }).click();
    await expect(page).toHaveURL(/#\/nsx\/firewall$/, { timeout: 30_000 });
    const fw = firewall(page);
    await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible();
    const has = (await fw.getByText(section, { exact: true }).count()) > 0;
    const allows = (await fw.locator('tr[data-rule="1001"] td.action').getAttribute('data-action')) === 'allow';
    if (has && (!defaultAllows || allows)) return;
    if (await fw.getByTestId('unpublished').isVisible()) await fw.getByRole('button', { name: 'Revert changes' }).click();
  }
  throw new Error(`no saved configuration holds ${section}`);
}

async function thresholdCps(page: Page, value: string) {
  await screen(page, 'Charts');
  await page.getByRole('spinbutton', { name: 'Connections per second' }).fill(value);
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(page.getByRole('spinbutton', { name: 'Connections per second' })).toHaveValue(value);
}

// ---- the lessons --------------------------------------------------------------------------

test.describe.configure({ timeout: 240_000 });

test('2 REST restore and saved configurations', async ({ page }) => {
  const w = new Walk(page, 'rest-restore', 4);
  await w.open();
  await w.read();
  await loadSavedWith(page, 'App tier', false);
  await publish(page);
  await w.done();
  await w.read();
  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('button', { name: 'Save configuration…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save configuration' });
  await dialog.getByLabel('Name').fill('Known good');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(firewall(page).getByText('Saved configuration “Known good”.')).toBeVisible({ timeout: 30_000 });
  await w.done();
});

test('3 vMotion keeps state', async ({ page }) => {
  const w = new Walk(page, 'vmotion-keeps-state', 6);
  await w.open();
  await w.read();
  await migrate(page, 'vm-38', 'app-sv-01a', /esxcomp-01b/);
  await w.done();
  await typeIn(page, 'host-21', 'esxcomp-01b', 'vsipioctl getflows -f nic-35678-eth0-vmware-sfw.2', 'rule 1006 ');
  await w.read(); // step 3: the tables, read in the shell above
  await w.read(); // step 4: the Applied To rule
  await migrate(page, 'vm-36', 'web-sv-01a', /esxcomp-02a/);
  await w.done();
  await select(page, 'vm-12');
  await page.getByRole('region', { name: 'NSX Manager appliance' }).getByRole('button', { name: 'Start' }).click();
  await w.done();
});

test('10 Thresholds', async ({ page }) => {
  const w = new Walk(page, 'cps-threshold', 3);
  await w.open();
  await thresholdCps(page, '0');
  await w.done();
  await w.read();
  await thresholdCps(page, '100000');
  await w.done();
});
