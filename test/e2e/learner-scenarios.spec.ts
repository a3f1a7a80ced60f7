/**
 * The seventeen built-in lessons walked as a learner walks them (issue 12, "Done when"): open the
 * lesson, read the step in the lesson dock, do the work in the app's own screens (Firewall, Saved
 * configurations, Exclusion list, SpoofGuard, Service Composer, Charts, Inventory, the consoles
 * and the REST API screen) with the lesson beside every one of them, and see the goals tick live,
 * then Next. The test sends no request itself and never presses "Show me"; the lab clock moves
 * only by the clock controls a learner presses.
 *
 * On every step: a step with goals is not complete on arrival (a read step has none and Next is
 * open), and no template, `undefined`, `[object Object]` or raw XML shows in the lesson. The IP
 * lesson's step 7 is done in the order that used to end in a 412 (edits, then the exclusion list,
 * then Publish) and publishes; a reload in the middle of it lands on the same step with the edits.
 *
 * `WALK_SHOTS=dir` saves a screenshot at every step arrival and completion, for reading a lesson
 * the way a learner sees it (issue 12's review at 1440×900 and 1280×720: set `WALK_VIEWPORT=1280x720`,
 * and `WALK_THEME=dark` for the dark theme).
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from './fixtures';
import { createSpoofGuardPolicy } from './lab-helpers';

const SHOTS = process.env.WALK_SHOTS;
const VIEWPORT = /^(\d+)x(\d+)$/.exec(process.env.WALK_VIEWPORT ?? '');
if (VIEWPORT) test.use({ viewport: { width: Number(VIEWPORT[1]), height: Number(VIEWPORT[2]) } });
// `WALK_THEME=dark` reads the lessons in the dark theme (the app follows the system's colour scheme).
if (process.env.WALK_THEME === 'dark') test.use({ colorScheme: 'dark' });

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
    // The offline-ready notice may sit over the page until dismissed: a learner presses OK. It can
    // appear while a modal dialog holds the pointer (the service worker finishes precaching when it
    // does), so the handler presses OK on the button itself rather than at its place on screen.
    await this.page.addLocatorHandler(this.page.getByTestId('pwa-prompt'), async (toast) => {
      await toast.getByRole('button', { name: 'OK' }).dispatchEvent('click');
    });
    await this.page.goto(`/#/scenario/${this.id}`);
    await this.arrive(1);
  }

  /** Checks a step as the learner meets it: a goal step is not complete yet, a read step has no goal. */
  async arrive(step: number) {
    this.step = step;
    const page = this.page;
    await expect(dock(page).getByText(`Step ${step} of ${this.total}`)).toBeVisible({ timeout: 60_000 });
    await expect(dock(page).locator('.busy')).toHaveCount(0, { timeout: 60_000 });
    // On the lesson's own page the address names the step (on other screens it names the screen).
    if (page.url().includes('#/scenario/')) await expect(page, 'the address names the step shown').toHaveURL(new RegExp(`#/scenario/${this.id}/step/${step}$`), { timeout: 30_000 });
    await expect(goals(page).filter({ hasText: 'checking' })).toHaveCount(0, { timeout: 30_000 });
    if ((await goals(page).count()) > 0) {
      await expect(goals(page).filter({ hasText: 'not yet' }).first()).toBeVisible();
      await expect(dock(page).getByText('Step complete.')).toHaveCount(0);
      const sentences = await dock(page).getByRole('list', { name: 'Goals' }).innerText();
      expect(sentences, `goals of step ${step}`).not.toMatch(/<\w|\{\{|\}\}|\bundefined\b|\[object /);
    } else {
      // The last step has no Next: it says the lesson is complete instead.
      await expect(dock(page).getByText(step < this.total ? 'Nothing to do here: read, then press Next.' : 'Nothing to do here: read it, and the lesson is complete.')).toBeVisible();
    }
    const text = await dock(page).innerText();
    expect(text, `step ${step}`).not.toMatch(/\{\{|\}\}|\bundefined\b|\[object Object\]/);
    // An id or a command's word in the text is never cut across two lines (serviceinstance-|1, vim-|cmd).
    const cut = await dock(page).locator('code.whole, code .whole').evaluateAll((els) => els.filter((e) => e.getClientRects().length > 1).map((e) => e.textContent));
    expect(cut, `step ${step}: words cut across lines`).toEqual([]);
    await this.shot('arrive');
  }

  /** A read step: nothing to tick, Next is open (on the last step, the lesson is complete). */
  async read() {
    await expect(goals(this.page)).toHaveCount(0);
    if (this.step < this.total) await this.next();
    else await expect(this.page.getByRole('region', { name: 'Lesson complete' })).toBeVisible({ timeout: 30_000 });
  }

  /** After working in the screens: every goal of the step ticks without "Check goals". */
  async done() {
    const page = this.page;
    await expect(dock(page).getByText(`Step ${this.step} of ${this.total}`)).toBeVisible();
    await expect(dock(page).getByText('Step complete.')).toBeVisible({ timeout: 60_000 });
    await expect(goals(page).filter({ hasText: 'not yet' })).toHaveCount(0);
    await this.shot('done');
    if (this.step < this.total) await this.next();
    else await expect(page.getByRole('region', { name: 'Lesson complete' })).toBeVisible({ timeout: 30_000 });
  }

  private async next() {
    const finished = this.step;
    await dock(this.page).getByRole('button', { name: 'Next' }).click();
    await this.arrive(finished + 1);
    // The notice a step raised ("Goal met", "Step N complete") belongs to it: the next step opens
    // without it (read once: a retrying assertion would outwait the notice's own 6 s).
    expect(await this.page.getByTestId('lesson-notice').innerText(), `step ${finished + 1} opens with step ${finished}'s notice`).toBe('');
  }

  private async shot(when: string) {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await this.page.screenshot({ path: `${SHOTS}/${this.id}-${String(this.step).padStart(2, '0')}-${when}.png` });
  }
}

// ---- the learner's tools ------------------------------------------------------------------

/** One request typed in the REST API screen; resolves to the status shown. */
async function rest(page: Page, method: string, path: string, opts: { body?: string; useEtag?: boolean } = {}): Promise<string> {
  await screen(page, 'REST API');
  await page.getByLabel('Method').selectOption(method);
  await page.getByLabel('Path').fill(path);
  // A path of the lesson's length shows whole beside the dock (it showed "/api/4.0/firewall/globalroo").
  if (path.length <= 45) expect(await page.getByLabel('Path').evaluate((e: HTMLInputElement) => e.scrollWidth <= e.clientWidth), `the path field shows ${path} whole`).toBe(true);
  if (opts.useEtag) await page.getByRole('button', { name: /^Use ETag .* as If-Match$/ }).click();
  if (opts.body !== undefined) await page.getByLabel('Body (XML)').fill(opts.body);
  const status = page.getByTestId('rest-status');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled({ timeout: 30_000 });
  await expect(status).toBeVisible({ timeout: 30_000 });
  return (await status.getAttribute('data-status')) ?? '';
}

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

/** Rule 1001 (the default rule) to Block or Allow, kept in the working copy. */
async function setDefaultRule(page: Page, action: 'deny' | 'allow') {
  const row = firewall(page).locator('tr[data-rule="1001"]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByRole('button', { name: /^Edit rule/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit rule 1001' });
  await dialog.getByLabel('Action').selectOption(action);
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await expect(row.locator('td.action')).toHaveAttribute('data-action', action);
}

interface NewRule {
  name: string;
  source?: string;
  destination?: string;
  /** A protocol and port typed in, e.g. ['6', '3306'], or ['1'] for ICMP. */
  port?: [string, string?];
  /** A predefined service by name. */
  service?: string;
  appliedTo?: string;
  action: 'allow' | 'deny';
}

/** A rule added to a section in the Firewall screen, kept in the working copy. */
async function addRule(page: Page, section: string, r: NewRule) {
  await firewall(page).getByRole('button', { name: `Add rule to ${section}` }).click({ timeout: 30_000 });
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await dialog.getByLabel('Name').fill(r.name);
  if (r.source) await dialog.getByLabel('Add to Source').selectOption({ label: r.source });
  if (r.destination) await dialog.getByLabel('Add to Destination').selectOption({ label: r.destination });
  if (r.port) {
    await dialog.getByLabel('Protocol').selectOption(r.port[0]);
    if (r.port[1]) await dialog.getByLabel('Destination port').fill(r.port[1]);
    await dialog.getByRole('button', { name: 'Add protocol/port' }).click();
  }
  if (r.service) await dialog.getByLabel('Add a service').selectOption({ label: r.service });
  if (r.appliedTo) await dialog.getByLabel('Add to Applied To').selectOption({ label: r.appliedTo });
  await dialog.getByLabel('Action').selectOption(r.action);
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await expect(firewall(page).locator(`tr[data-name="${r.name}"]`)).toBeVisible();
}

async function addSection(page: Page, name: string) {
  page.once('dialog', (d) => void d.accept(name));
  await firewall(page).getByRole('button', { name: 'Add section' }).click();
  await expect(firewall(page).getByRole('button', { name: `Add rule to ${name}` })).toBeVisible();
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

async function excludeVcenter(page: Page) {
  await nsxPage(page, 'Exclusion list');
  const excl = page.getByRole('region', { name: 'Exclusion list', exact: true });
  await excl.getByLabel('Add a VM').selectOption('vm-11');
  await excl.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(excl.locator('tr[data-member="vm-11"]')).toBeVisible({ timeout: 30_000 });
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

/** Service Composer → New security policy: one firewall rule into the policy's groups, applied to App Servers. */
async function securityPolicy(page: Page, name: string, weight: number, action: 'allow' | 'block') {
  await nsxPage(page, 'Service Composer');
  await page.getByRole('region', { name: 'Service Composer' }).getByRole('button', { name: 'New security policy…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New security policy' });
  await dialog.getByLabel('Policy name').fill(name);
  await dialog.getByLabel('Weight').fill(String(weight));
  const rule = dialog.getByRole('group', { name: 'Firewall rule 1' });
  await rule.getByLabel('Rule name').fill(`${action === 'block' ? 'Block' : 'Allow'} in`);
  await rule.getByLabel('Action').selectOption(action);
  await dialog.getByRole('group', { name: 'Apply to security groups' }).getByLabel('App Servers').check();
  await dialog.getByRole('button', { name: 'Save and publish' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Security policies' }).locator('tr[data-policy]').filter({ hasText: name })).toBeVisible();
}

async function thresholdCps(page: Page, value: string) {
  await screen(page, 'Charts');
  await page.getByRole('spinbutton', { name: 'Connections per second' }).fill(value);
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(page.getByRole('spinbutton', { name: 'Connections per second' })).toHaveValue(value);
}

/** The clock controls a learner presses (on Charts) when the lab clock is paused. */
async function advance(page: Page, by: '5 s' | '10 s' | '1 min' | '5 min') {
  await screen(page, 'Charts');
  const button = page.getByRole('button', { name: `Advance the lab clock ${by}` });
  await button.click();
  await expect(button).toBeEnabled({ timeout: 60_000 });
}

// ---- the lessons --------------------------------------------------------------------------

test.describe.configure({ timeout: 180_000 });

test('1 Locking yourself out of vCenter', async ({ page }) => {
  const w = new Walk(page, 'lockout-vcenter', 6);
  await w.open();
  await w.read();
  await nsxPage(page, 'Firewall');
  await setDefaultRule(page, 'deny');
  await publish(page);
  await screen(page, 'Hosts and Clusters');
  await expect(page.getByTestId('vcenter-down')).toBeVisible({ timeout: 30_000 });
  await w.done();
  expect(await rest(page, 'DELETE', '/api/4.0/firewall/globalroot-0/config')).toBe('204');
  await w.done();
  await loadSavedWith(page, 'Three-tier app', true);
  await publish(page);
  await w.done();
  await excludeVcenter(page);
  await w.done();
  await nsxPage(page, 'Firewall');
  await setDefaultRule(page, 'deny');
  await publish(page);
  await w.done();
});

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

test('2b Recover from the command line (through the REST API screen)', async ({ page, consoleAllowed }) => {
  // Step 4's read-only user: the auditor's DELETE is refused and the browser logs the 403.
  consoleAllowed.push(/the server responded with a status of 403/);
  const w = new Walk(page, 'recover-cli', 4);
  await w.open();
  await nsxPage(page, 'Firewall');
  await setDefaultRule(page, 'deny');
  await publish(page);
  await w.done();
  // The lesson's terminal commands reach the same REST API the REST API screen sends to.
  expect(await rest(page, 'DELETE', '/api/4.0/firewall/globalroot-0/config')).toBe('204');
  await w.done();
  expect(await rest(page, 'POST', '/api/4.0/firewall/globalroot-0/config/layer3sections', { body: '<section name="Break glass"/>' })).toBe('201');
  await w.done();
  await w.read();
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

test('4 Changing an IP bypasses tag rules (step 7 in the order that met a 412; a reload keeps the step and its edits)', async ({ page, consoleAllowed }) => {
  // Publishing over the exclusion list change meets NSX's 412 first (the browser logs it), then rebases and publishes.
  consoleAllowed.push(/the server responded with a status of 412/);
  const w = new Walk(page, 'ip-change-bypass', 8);
  await w.open();
  await w.read();
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr replace 172.16.10.99/24 dev eth0', 'root@web-sv-01a:~# ');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'nc -zv db-sv-01a 3306', 'Connection timed out');
  await w.done();
  await typeIn(page, 'vm-36', 'web-sv-01a', 'service vmware-tools stop', '[  OK  ]');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr replace 172.16.10.98/24 dev eth0', 'root@web-sv-01a:~# ');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'nc -zv db-sv-01a 3306', 'succeeded!');
  await w.done();
  await nsxPage(page, 'SpoofGuard');
  const sg = await createSpoofGuardPolicy(page, 'Web tier', 'TOFU', /Web-LS/);
  await sg.getByRole('button', { name: 'Publish approvals' }).click();
  await w.done();
  await typeIn(page, 'vm-36', 'web-sv-01a', 'service vmware-tools stop', '[  OK  ]');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr replace 172.16.10.77/24 dev eth0', 'root@web-sv-01a:~# ');
  await w.done();
  await nsxPage(page, 'SpoofGuard');
  await sg.getByLabel('Mode').selectOption('MANUAL');
  await expect(sg.getByLabel('Mode')).toHaveValue('MANUAL', { timeout: 30_000 });
  await w.done();

  // Step 7, edits first: they are unpublished when the exclusion list changes the configuration.
  await nsxPage(page, 'Firewall');
  await addRule(page, 'Tier isolation', { name: 'Web to App 8443', source: 'Web Servers', destination: 'App Servers', port: ['6', '8443'], action: 'allow' });
  await setDefaultRule(page, 'deny');
  // A reload here lands on step 7 in the same lab, the edits still in the working copy (leaving asks first).
  // The header says when the edits are saved (an instant reload keeps them too: durability.spec).
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  page.once('dialog', (d) => void d.accept());
  await page.reload();
  await expect(dock(page).getByText('Step 7 of 8')).toBeVisible({ timeout: 60_000 });
  await expect(page).toHaveURL(/#\/nsx\/firewall$/);
  await expect(firewall(page).locator('tr[data-name="Web to App 8443"]')).toContainText('+ new', { timeout: 60_000 });
  await expect(firewall(page).locator('tr[data-rule="1001"] td.action')).toHaveAttribute('data-action', 'deny');
  await excludeVcenter(page);
  await nsxPage(page, 'Firewall');
  await publish(page);
  await w.done();
  await typeIn(page, 'vm-38', 'app-sv-01a', 'service vmware-tools stop', '[  OK  ]');
  await typeIn(page, 'vm-38', 'app-sv-01a', 'ip addr replace 172.16.20.99/24 dev eth0', 'root@app-sv-01a:~# ');
  await w.done();
});

test('5 VMware Tools stopped', async ({ page }) => {
  const w = new Walk(page, 'tools-stopped', 5);
  await w.open();
  await w.read();
  await typeIn(page, 'vm-36', 'web-sv-01a', 'service vmware-tools stop', '[  OK  ]');
  await w.done();
  await nsxPage(page, 'Firewall');
  await addRule(page, 'Tier rules', { name: 'App to DB', source: 'App Servers', destination: 'DB Servers', port: ['6', '3306'], action: 'allow' });
  await setDefaultRule(page, 'deny');
  await publish(page);
  await w.done();
  await select(page, 'vm-38');
  await page.getByRole('button', { name: 'Stop / start VMware Tools' }).click();
  await expect(page.getByRole('article', { name: 'Virtual machine app-sv-01a' }).getByTestId('vm-tools')).toContainText('Not running', { timeout: 30_000 });
  await w.done();
  await typeIn(page, 'vm-38', 'app-sv-01a', 'service vmware-tools start', '[  OK  ]');
  await w.done();
});

test('6 Stateful inspection', async ({ page }) => {
  const w = new Walk(page, 'stateful-inspection', 4);
  await w.open();
  await nsxPage(page, 'Firewall');
  await addRule(page, 'Stateful lab', { name: 'App to DB denied', source: 'App Servers', destination: 'DB Servers', port: ['6', '3306'], action: 'deny' });
  await publish(page);
  await w.done();
  expect(await rest(page, 'GET', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003')).toBe('200');
  const section = await page.getByLabel('Response body').innerText();
  expect(section).toContain('tcpStrict="false"');
  expect(await rest(page, 'PUT', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003', { useEtag: true, body: section.replace('tcpStrict="false"', 'tcpStrict="true"') })).toBe('200');
  await w.done();
  await nsxPage(page, 'Firewall');
  await addRule(page, 'Stateful lab', { name: 'DB pings App denied', source: 'DB Servers', destination: 'App Servers', port: ['1'], action: 'deny' });
  await publish(page);
  await w.done();
  await nsxPage(page, 'Firewall');
  await addRule(page, 'Stateful lab', { name: 'Web to App denied', source: 'Web Servers', destination: 'App Servers', port: ['6', '8443'], action: 'deny' });
  await publish(page);
  await w.done();
});

test('7 When vsfwd goes down', async ({ page }) => {
  const w = new Walk(page, 'vsfwd-down', 4);
  await w.open();
  const agent = page.getByRole('region', { name: 'NSX control plane on esxcomp-02a' }).getByRole('group', { name: 'vsfwd' });
  await select(page, 'host-30');
  await agent.getByRole('button', { name: 'Stop' }).click();
  await w.done();
  await nsxPage(page, 'Publish status');
  await expect(page.getByRole('region', { name: 'Publish status' })).toContainText('esxcomp-02a');
  await w.read();
  await select(page, 'host-30');
  await agent.getByRole('button', { name: 'Start' }).click();
  await w.done();
  await select(page, 'host-30');
  await agent.getByRole('button', { name: 'Crash' }).click();
  await advance(page, '1 min');
  await w.done();
});

test('8 Applied To and Service Composer', async ({ page }) => {
  const w = new Walk(page, 'applied-to-service-composer', 2);
  await w.open();
  await nsxPage(page, 'Firewall');
  await addSection(page, 'DB hardening');
  await addRule(page, 'DB hardening', { name: 'No SSH to DB', destination: 'DB Servers', port: ['6', '22'], appliedTo: 'DB Servers', action: 'deny' });
  await publish(page);
  await w.done();
  await typeIn(page, 'host-30', 'esxcomp-02a', 'vsipioctl getrules -f nic-35741-eth0-vmware-sfw.2', / port 22 drop;/);
  // Service Composer: a policy made, Cancel leaves nothing, a wrong weight corrected by Edit.
  await securityPolicy(page, 'App access', 5000, 'allow');
  const composer = page.getByRole('region', { name: 'Service Composer' });
  await composer.getByRole('button', { name: 'New security policy…' }).click();
  await page.getByRole('dialog', { name: 'New security policy' }).getByLabel('Policy name').fill('Left behind');
  // The dialog stands left of the lesson dock: the step it asks the learner to follow stays in view.
  const [dialogBox, dockBox] = [await page.getByRole('dialog', { name: 'New security policy' }).boundingBox(), await dock(page).boundingBox()];
  expect(dialogBox!.x + dialogBox!.width, 'the dialog ends left of the lesson dock').toBeLessThanOrEqual(dockBox!.x);
  await page.getByRole('dialog', { name: 'New security policy' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(composer.getByRole('table', { name: 'Security policies' })).not.toContainText('Left behind');
  await composer.getByRole('button', { name: 'Edit App access' }).click();
  const edit = page.getByRole('dialog', { name: /^Edit security policy policy-\d+$/ });
  await edit.getByLabel('Weight').fill('4000');
  await edit.getByRole('button', { name: 'Save and publish' }).click();
  await expect(edit).toBeHidden({ timeout: 30_000 });
  await securityPolicy(page, 'Quarantine', 5000, 'block');
  const rows = composer.getByRole('table', { name: 'Security policies' }).locator('tr[data-policy]');
  await expect(rows.first()).toContainText('Quarantine');
  await expect(rows.first()).toContainText('Block any → Policy’s Security Groups');
  await expect(rows.nth(1)).toContainText('4000');
  await w.done();
  // Deleted (asked first), the policy is gone; its section with it (test/ui/security-policy.test.ts).
  await composer.getByRole('button', { name: 'Delete Quarantine…' }).click();
  await composer.getByRole('group', { name: 'Delete Quarantine' }).getByRole('button', { name: 'Delete Quarantine' }).click();
  await expect(rows).toHaveCount(1, { timeout: 30_000 });
});

test('9 Layer 2 first', async ({ page }) => {
  const w = new Walk(page, 'layer2-first', 2);
  await w.open();
  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('tab', { name: 'Ethernet (L2)' }).click();
  await addSection(page, 'ARP lab');
  await addRule(page, 'ARP lab', { name: 'No ARP for web-sv-01b', service: 'ARP', appliedTo: 'web-sv-01b', action: 'deny' });
  await publish(page);
  await w.done();
  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('tab', { name: 'Ethernet (L2)' }).click();
  await firewall(page).getByRole('button', { name: 'Delete rule No ARP for web-sv-01b' }).click();
  await publish(page);
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

test('11 When the firewall itself runs out', async ({ page }) => {
  const w = new Walk(page, 'firewall-runs-out', 3);
  await w.open();
  await typeIn(page, 'host-30', 'esxcomp-02a', 'vsipioctl getmeminfo', /heap/i);
  await w.read();
  await advance(page, '5 min');
  await w.done();
  await migrate(page, 'vm-40', 'web-sv-02a', /esxcomp-01b/);
  await advance(page, '10 s');
  await w.done();
});

// ---- the lessons of issue 15 (host preparation, ALGs, identity firewall) ---------------------

/** The Installation page's cluster row: Install or Resolve, then a minute of lab time. */
async function installOrResolve(page: Page, button: 'Install' | 'Resolve') {
  await nsxPage(page, 'Installation');
  const region = page.getByRole('region', { name: 'Host preparation' });
  await region.locator('tr[data-cluster="Compute Cluster B"]').getByRole('button', { name: button }).click({ timeout: 30_000 });
  const advance = region.getByRole('button', { name: 'Advance the lab clock 1 min' });
  await advance.click();
  await expect(advance).toBeEnabled({ timeout: 60_000 });
  return region;
}

test('12 Preparing a cluster for NSX', async ({ page }) => {
  const w = new Walk(page, 'host-preparation', 5);
  await w.open();
  await typeIn(page, 'host-30', 'esxcomp-02a', 'esxcli software vib list | grep esx-', '[root@esxcomp-02a:~]');
  await w.read();
  const region = await installOrResolve(page, 'Install');
  await expect(region.locator('tr[data-cluster="Compute Cluster B"]')).toContainText('Not Ready', { timeout: 30_000 });
  await w.done();
  await typeIn(page, 'host-30', 'esxcomp-02a', 'tail /var/log/esxupdate.log', 'Name or service not known');
  await typeIn(page, 'host-30', 'esxcomp-02a', 'esxcli network ip dns server add --server=192.168.110.10', /--server=192\.168\.110\.10\s*\[root@esxcomp-02a:~\]/);
  await installOrResolve(page, 'Resolve');
  await w.done();
  await typeIn(page, 'host-30', 'esxcomp-02a', 'esxcli network firewall ruleset set --ruleset-id=httpClient --enabled=true', /--enabled=true\s*\[root@esxcomp-02a:~\]/);
  await installOrResolve(page, 'Resolve');
  await w.done();
  await w.read();
});

test('13 FTP through a port-21-only firewall', async ({ page }) => {
  const w = new Walk(page, 'ftp-alg', 3);
  await w.open();
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ftp -p app-sv-01a', 'Connection timed out');
  await w.read();
  await nsxPage(page, 'Firewall');
  const row = firewall(page).locator('tr[data-name="FTP to the app tier"]');
  await row.getByRole('button', { name: /^Edit rule/ }).click({ timeout: 30_000 });
  const dialog = page.getByRole('dialog', { name: /^Edit rule/ });
  await dialog.getByRole('button', { name: /^Remove service FTP control/ }).click();
  await dialog.getByLabel('Add a service').selectOption({ label: 'FTP' });
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await publish(page);
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ftp -p app-sv-01a', '226 Directory send OK.');
  await w.done();
  // The probe panel runs the same session, with the client's transcript and the trace.
  await screen(page, 'Hosts and Clusters');
  const panel = page.getByRole('region', { name: 'Traffic probe' });
  await panel.getByLabel('From', { exact: true }).selectOption('web-sv-01a');
  await panel.getByLabel('To', { exact: true }).selectOption('app-sv-01a');
  await panel.getByLabel('Protocol').selectOption({ label: 'FTP session (passive)' });
  await expect(panel.getByLabel('Port', { exact: true })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Send probe' }).click();
  const transcript = panel.getByRole('log', { name: 'FTP client output' });
  await expect(transcript).toContainText('227 Entering Passive Mode (172,16,20,11,', { timeout: 30_000 });
  await expect(transcript).toContainText('226 Directory send OK.');
  await expect(panel.locator('.verdict')).toContainText('Allowed');
  await w.read();
});

test('14 Rules that follow the user', async ({ page }) => {
  const w = new Walk(page, 'identity-firewall', 3);
  await w.open();
  await nsxPage(page, 'Service Composer');
  const identity = page.getByRole('region', { name: 'Identity firewall' });
  await identity.getByLabel('Security group').selectOption({ label: 'Finance users' });
  await identity.getByLabel('gets directory group').selectOption({ label: 'CORP\\Finance' });
  await identity.getByRole('button', { name: 'Add member' }).click();
  await expect(identity.locator('tr[data-identity-group]')).toContainText('CORP\\Finance', { timeout: 30_000 });
  await typeIn(page, 'vm-40', 'web-sv-02a', 'login alice', 'alice logged on to web-sv-02a (CORP\\alice)');
  await advance(page, '10 s'); // Guest Introspection reports the logon a few seconds later
  await w.done();
  // Service Composer knows who is logged on where, and the group's card names its directory group.
  await nsxPage(page, 'Service Composer');
  await expect(identity.locator('tr[data-user="alice"]')).toContainText('CORP\\alice', { timeout: 30_000 });
  await expect(identity.getByRole('checkbox', { name: 'alice in Finance' })).toBeChecked();
  await expect(page.getByRole('region', { name: 'Service Composer' }).locator('article[data-group]').filter({ hasText: 'Finance users' })).toContainText('CORP\\Finance');
  await expect(identity.getByRole('alert')).toHaveCount(0);
  await typeIn(page, 'vm-40', 'web-sv-02a', 'login bob', 'bob logged on to web-sv-02a');
  await advance(page, '10 s');
  await w.done();
  await typeIn(page, 'vm-37', 'web-sv-01b', 'login alice', 'alice logged on to web-sv-01b');
  await advance(page, '10 s');
  await w.done();
  // The Firewall's source picker offers the security group by its directory group.
  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await expect(dialog.getByLabel('Add to Source').locator('optgroup[label="Security groups by directory group"] option')).toHaveText(['Finance users (CORP\\Finance)']);
  await dialog.getByLabel('Add to Source').selectOption({ label: 'Finance users (CORP\\Finance)' });
  await expect(dialog.getByRole('group', { name: 'Source' })).toContainText('Finance users SecurityGroup');
});

// ---- the lessons of issue 15 parts 2 and 5 (a partner service, a firewall in a VM) ----------

/** The probe panel under Hosts and Clusters: from, to, TCP port, Send; resolves to the panel. */
async function probe(page: Page, from: string, to: string, port: number) {
  const panel = page.getByRole('region', { name: 'Traffic probe' });
  await panel.getByLabel('From', { exact: true }).selectOption(from);
  await panel.getByLabel('To', { exact: true }).selectOption(to);
  await panel.getByLabel('Port', { exact: true }).fill(String(port));
  await panel.getByRole('button', { name: 'Send probe' }).click();
  return panel;
}

const acme = (page: Page) => page.getByRole('region', { name: 'Service Deployments' }).getByRole('article', { name: 'Acme IPS' });

test('15 Sending traffic through a partner service', async ({ page }) => {
  const w = new Walk(page, 'partner-redirect', 5);
  await w.open();
  await nsxPage(page, 'Installation');
  await acme(page).getByLabel('Cluster').selectOption({ label: 'Compute Cluster A' });
  await acme(page).getByRole('button', { name: 'Deploy' }).click();
  await expect(acme(page).getByRole('row', { name: /esxcomp-01a/ })).toContainText('✔ Powered on', { timeout: 30_000 });
  await w.done();

  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('tab', { name: 'Partner security services' }).click();
  const redirect = page.getByRole('region', { name: 'Partner redirect rules' });
  // The one registered partner is shown before the learner picks it (never a blank dropdown).
  await expect(redirect.getByLabel('Partner').locator('option:checked')).toHaveText('Acme IPS');
  await expect(redirect.getByRole('button', { name: 'Add redirect rule' })).toBeEnabled();
  await redirect.getByLabel('Name').fill('Web to App through Acme IPS');
  await redirect.getByLabel('Source').selectOption({ label: 'Web Servers' });
  await redirect.getByLabel('Destination').selectOption({ label: 'App Servers' });
  await redirect.getByRole('button', { name: 'Add redirect rule' }).click();
  await expect(redirect.getByRole('row', { name: /Redirect \(logged\)/ })).toContainText('Acme IPS', { timeout: 30_000 });
  await w.done();
  // The probe's trace has the partner's slot 4 after slot 2.
  await screen(page, 'Hosts and Clusters');
  const panel = await probe(page, 'web-sv-01a', 'app-sv-01a', 8443);
  await expect(panel.locator('.verdict')).toContainText('Allowed', { timeout: 30_000 });
  await expect(panel).toContainText('slot 4 (serviceinstance: the partner service’s redirect filter)');

  await nsxPage(page, 'Installation');
  await acme(page).getByLabel('Pattern').fill('/etc/passwd');
  await acme(page).getByRole('button', { name: 'Add signature' }).click();
  await expect(acme(page).getByRole('listitem')).toContainText('/etc/passwd', { timeout: 30_000 });
  await typeIn(page, 'vm-36', 'web-sv-01a', 'curl -m 5 http://app-sv-01a:8443/etc/passwd', /timed out/i);
  await w.done();

  await nsxPage(page, 'Installation');
  const svm = acme(page).getByRole('row', { name: /esxcomp-01a/ });
  await svm.getByRole('button', { name: 'Power off' }).click();
  await expect(svm).toContainText('✖ Powered off', { timeout: 30_000 });
  await w.done();

  await acme(page).getByLabel('Failure policy').selectOption('failOpen');
  await acme(page).getByRole('button', { name: 'Save' }).click();
  await w.done();
  await expect(acme(page).getByText(/failure policy/)).toContainText('failure policy failOpen');

  // Beyond the lesson: slot 4 in the VM's Configure tab; the redirect rule applied to a group, edited, deleted.
  await page.evaluate(() => (location.hash = '/vms/vm-36/configure'));
  await expect(page.getByTestId('vnic-slots').locator('tr[data-slot="4"]')).toContainText(/nic-\d+-eth0-serviceinstance-1\.4\s*serviceinstance-1 \(partner service, its VM is off\)\s*failOpen/, { timeout: 30_000 });
  await nsxPage(page, 'Firewall');
  await firewall(page).getByRole('tab', { name: 'Partner security services' }).click();
  const row = redirect.locator('tr[data-rule]');
  await redirect.getByRole('button', { name: 'Edit Web to App through Acme IPS' }).click();
  await redirect.getByLabel('Applied To').selectOption({ label: 'App Servers' });
  await redirect.getByLabel('Action').selectOption({ label: 'Do not redirect' });
  await redirect.getByRole('button', { name: /Save rule \d+/ }).click();
  await expect(row).toContainText(/App Servers\s*Do not redirect/);
  await redirect.getByRole('button', { name: 'Delete Web to App through Acme IPS' }).click();
  await expect(redirect).toContainText('No redirect rules: no traffic goes to a partner.');
  await expect(redirect.getByRole('alert')).toHaveCount(0);
});

test.describe('at 1280×720', () => {
  test.use({ viewport: VIEWPORT ? { width: Number(VIEWPORT[1]), height: Number(VIEWPORT[2]) } : { width: 1280, height: 720 } });

  test('16 Why a distributed firewall (the step-complete notice leaves the probe panel’s Send free)', async ({ page }) => {
    const w = new Walk(page, 'firewall-in-a-vm', 6);
    await w.open();
    await w.read();

    // Step 2 through Actions → Edit Settings…, on the screen that holds the probe panel: the step
    // completes here, and its notice must not cover Send, which the step asks for next.
    await select(page, 'vm-36');
    await page.getByRole('button', { name: 'Actions for web-sv-01a' }).click();
    await page.getByRole('menu', { name: 'Actions for web-sv-01a' }).getByRole('menuitem', { name: 'Edit Settings…' }).click();
    const settings = page.getByRole('dialog', { name: 'Edit Settings web-sv-01a' });
    await settings.getByLabel('Network adapter 1').selectOption({ label: 'Web-Protected-PG' });
    await settings.getByRole('button', { name: 'OK' }).click();
    await expect(settings.getByRole('status')).toContainText('network adapter 1 connected to Web-Protected-PG', { timeout: 30_000 });
    await settings.getByRole('button', { name: 'Done' }).click();
    const notice = page.getByTestId('lesson-notice');
    await expect(notice).toContainText('Step 2 complete', { timeout: 60_000 });
    const send = page.getByRole('region', { name: 'Traffic probe' }).getByRole('button', { name: 'Send probe' });
    await send.scrollIntoViewIfNeeded();
    const [n, s] = [await notice.boundingBox(), await send.boundingBox()];
    expect(n && s, 'the notice and Send are both on screen').toBeTruthy();
    const overlaps = n!.x < s!.x + s!.width && s!.x < n!.x + n!.width && n!.y < s!.y + s!.height && s!.y < n!.y + n!.height;
    expect(overlaps, `notice ${JSON.stringify(n)} over Send ${JSON.stringify(s)}`).toBe(false);
    const panel = await probe(page, 'app-sv-01a', 'web-sv-01a', 80);
    await expect(panel.locator('.verdict')).toContainText('Allowed', { timeout: 30_000 });
    await expect(panel).toContainText('fw-bridge-01a');
    await w.done();

    await typeIn(page, 'vm-38', 'app-sv-01a', 'iperf -c web-sv-01a -n 35M', '3.50 MB/s (28.0 Mbit/s)');
    await w.done();
    await typeIn(page, 'vm-38', 'app-sv-01a', 'govc vm.change -vm fw-bridge-01a -cpu.limit 1000', /-cpu\.limit 1000\s*root@app-sv-01a:~# /);
    await typeIn(page, 'vm-38', 'app-sv-01a', 'iperf -c web-sv-01a -n 35M', '7.00 MB/s');
    await w.done();
    await typeIn(page, 'vm-38', 'app-sv-01a', 'govc vm.network.change -vm web-sv-01a -net Web-LS ethernet-0', /Web-LS ethernet-0\s*root@app-sv-01a:~# /);
    await typeIn(page, 'vm-38', 'app-sv-01a', 'iperf -c web-sv-01a -n 35M', 'kernel DFW only');
    await w.done();
    await screen(page, 'Charts');
    await expect(page.getByTestId('transfers').locator('tr[data-path="bridge"]').first()).toContainText('CPU 100 %');
    await w.read();
  });
});
