/**
 * Scenarios 1, 3 and 4 played through the UI as a learner plays them (issue 7): open the
 * scenario, read the step, do the work in the app's own screens (Firewall, Saved
 * configurations, Exclusion list, SpoofGuard, the REST client with If-Match from the ETag,
 * ESXi and guest consoles, the vMotion dialog and drag and drop, the probe panel), come back to
 * the player and see the goals ticked — without pressing "Check goals": they tick live — then
 * Next. Each step also asserts the lesson's visible effect in the screen where it shows.
 *
 * The lesson dock shows the step beside every screen; these walks still come back to the
 * lesson's own address, `#/scenario/<id>/step/N`, which keeps the step shown.
 */
import { expect, test, type Locator, type Page } from './fixtures';
import { createSpoofGuardPolicy } from './lab-helpers';

// ---- the learner's moves ------------------------------------------------------------------

async function screen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
}

async function nsxPage(page: Page, name: string) {
  await screen(page, 'Networking & Security');
  await page.getByRole('navigation', { name: 'Networking & Security' }).getByRole('link', { name, exact: true }).click();
}

async function openScenario(page: Page, id: string, total: number) {
  await page.goto(`/#/scenario/${id}`);
  await expect(page.getByText(`Step 1 of ${total}`)).toBeVisible({ timeout: 60_000 });
}

async function backToPlayer(page: Page, id: string, step: number, total: number) {
  await page.evaluate((h) => (location.hash = h), `/scenario/${id}/step/${step}`);
  await expect(page.getByText(`Step ${step} of ${total}`)).toBeVisible({ timeout: 30_000 });
}

const goals = (page: Page) => page.getByTestId('goal');

/** The step's goals have been checked and at least one does not hold yet. */
async function goalsOpen(page: Page) {
  await expect(goals(page).filter({ hasText: 'checking' })).toHaveCount(0, { timeout: 30_000 });
  await expect(goals(page).filter({ hasText: 'not yet' }).first()).toBeVisible();
  await expect(page.getByText('Step complete.')).toHaveCount(0);
}

/** Every goal of the step is ticked; nobody pressed "Check goals". */
async function goalsTicked(page: Page) {
  await expect(page.getByText('Step complete.')).toBeVisible({ timeout: 30_000 });
  await expect(goals(page).filter({ hasText: 'not yet' })).toHaveCount(0);
  await expect(goals(page).filter({ hasText: 'done' }).first()).toBeVisible();
}

async function next(page: Page, step: number, total: number) {
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(`Step ${step} of ${total}`)).toBeVisible({ timeout: 30_000 });
}

/** One request typed in the REST client; resolves to the status shown. */
async function rest(page: Page, method: string, path: string, opts: { body?: string; useEtag?: boolean } = {}): Promise<string> {
  await screen(page, 'REST API');
  await page.getByLabel('Method').selectOption(method);
  await page.getByLabel('Path').fill(path);
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
  // A clean screen first, so the expected text can only come from this command.
  await page.keyboard.type('clear');
  await page.keyboard.press('Enter');
  await expect(rows).not.toContainText('# clear');
  await page.keyboard.type(cmd);
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(expected, { timeout: 30_000 });
  return rows;
}

/** A probe from the Inventory's probe panel; resolves to the trace region once this probe answered. */
async function probe(page: Page, from: string, to: string, port: number): Promise<Locator> {
  await screen(page, 'Inventory');
  const panel = page.getByRole('region', { name: 'Traffic probe' });
  await panel.getByLabel('From').selectOption(from);
  await panel.getByLabel('To', { exact: true }).selectOption(to);
  await panel.getByLabel('Protocol').selectOption('tcp');
  await panel.getByLabel('Port').fill(String(port));
  await panel.getByRole('button', { name: 'Send probe' }).click();
  await expect(panel.getByRole('button', { name: 'Send probe' })).toBeEnabled({ timeout: 30_000 });
  const trace = page.getByRole('region', { name: 'Trace' });
  await expect(trace).toContainText(`${from} → ${to}`);
  await expect(trace).toContainText(`TCP/${port}`);
  return trace;
}

async function expectVerdict(trace: Locator, verdict: 'allowed' | 'dropped', rule?: number) {
  await expect(trace.locator('.verdict')).toHaveAttribute('data-verdict', verdict);
  if (rule !== undefined) await expect(trace.locator('.verdict')).toHaveAttribute('data-rule', String(rule));
}

async function publish(page: Page) {
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await expect(fw.getByTestId('unpublished')).toBeVisible();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByTestId('unpublished')).toBeHidden({ timeout: 60_000 });
  await expect(fw.getByText(/Published generation \d+/)).toBeVisible();
}

/** Rule 1001 (the default rule) to Block or Allow in the Firewall screen, kept in the working copy. */
async function setDefaultRule(page: Page, action: 'deny' | 'allow') {
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  const row = fw.locator('tr[data-rule="1001"]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByRole('button', { name: /^Edit rule/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit rule 1001' });
  await dialog.getByLabel('Action').selectOption(action);
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await expect(row.locator('td.action')).toHaveAttribute('data-action', action);
}

const vsphere = (page: Page) => page.locator('.vsphere');

const DENY_DEFAULT =
  '<rule id="1001" disabled="false" logged="false"><name>Default Rule</name><action>deny</action><appliedToList><appliedTo><value>DISTRIBUTED_FIREWALL</value><type>DISTRIBUTED_FIREWALL</type></appliedTo></appliedToList><sectionId>1003</sectionId><direction>inout</direction><packetType>any</packetType></rule>';

// ---- scenario 1 ---------------------------------------------------------------------------

test('scenario 1, locking yourself out of vCenter: block in the Firewall screen, lose vSphere, recover over REST, restore, exclude, block safely', async ({ page }) => {
  test.setTimeout(240_000);
  const id = 'lockout-vcenter';
  const total = 6;
  await openScenario(page, id, total);

  // Step 1: read; the goals hold from the start.
  await expect(page.getByRole('heading', { name: 'A tidy three-tier lab' })).toBeVisible();
  await goalsTicked(page);
  await screen(page, 'Inventory');
  await expect(page.getByTestId('vcenter-down')).toHaveCount(0);
  await backToPlayer(page, id, 1, total);
  await next(page, 2, total);

  // Step 2: rule 1001 to Block in Networking & Security → Firewall, then Publish.
  await goalsOpen(page);
  await nsxPage(page, 'Firewall');
  await setDefaultRule(page, 'deny');
  await publish(page);
  // The lesson: the vSphere screens grey out and say why; the REST client still answers.
  await screen(page, 'Inventory');
  const down = page.getByTestId('vcenter-down');
  await expect(down).toBeVisible({ timeout: 30_000 });
  await expect(down).toContainText('Cannot connect to vCenter Server');
  await expect(down).toContainText('firewall rule 1001');
  await expect(vsphere(page)).toHaveAttribute('aria-disabled', 'true');
  await expect(vsphere(page).locator('aside.tree')).toHaveAttribute('inert', '');
  expect(await rest(page, 'GET', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003')).toBe('200');
  await expect(page.getByLabel('Response body')).toContainText('<action>deny</action>');
  await backToPlayer(page, id, 2, total);
  await goalsTicked(page);
  await next(page, 3, total);

  // Step 3: DELETE the configuration over REST: 204, and vSphere comes back.
  await goalsOpen(page);
  expect(await rest(page, 'DELETE', '/api/4.0/firewall/globalroot-0/config')).toBe('204');
  await screen(page, 'Inventory');
  await expect(page.getByTestId('vcenter-down')).toHaveCount(0, { timeout: 30_000 });
  await expect(vsphere(page)).toHaveAttribute('aria-disabled', 'false');
  await backToPlayer(page, id, 3, total);
  await goalsTicked(page);
  await next(page, 4, total);

  // Step 4: Saved configurations → load the one from before the block, check it, Publish.
  await goalsOpen(page);
  await nsxPage(page, 'Firewall'); // the Firewall screen re-reads the configuration the DELETE reset
  await expect(page.getByRole('region', { name: 'Firewall', exact: true }).locator('tr[data-rule="1001"]')).toBeVisible({ timeout: 30_000 });
  await nsxPage(page, 'Saved configurations');
  const saved = page.getByRole('region', { name: 'Saved configurations', exact: true });
  await expect(saved.locator('tr[data-draft]').first()).toBeVisible({ timeout: 30_000 });
  // Newest first: the reset, the block, then the configuration from before the block.
  const drafts = saved.locator('tr[data-draft]');
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  let restored = false;
  const count = await drafts.count();
  expect(count).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < count && !restored; i++) {
    await nsxPage(page, 'Saved configurations');
    await drafts.nth(i).getByRole('button', { name: /^Load / }).click();
    // Load puts the saved configuration in the working copy and opens the Firewall screen.
    await expect(page).toHaveURL(/#\/nsx\/firewall$/, { timeout: 30_000 });
    await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible();
    const threeTier = (await fw.getByText('Three-tier app').count()) > 0;
    const allows = (await fw.locator('tr[data-rule="1001"] td.action').getAttribute('data-action')) === 'allow';
    if (threeTier && allows) restored = true;
    else if (await fw.getByTestId('unpublished').isVisible()) await fw.getByRole('button', { name: 'Revert changes' }).click();
  }
  expect(restored, 'a saved configuration with the Three-tier app section and rule 1001 allowing').toBe(true);
  await publish(page);
  await expect(fw.locator('tr[data-name="Web to DB denied"]')).toBeVisible();
  await backToPlayer(page, id, 4, total);
  await goalsTicked(page);
  await next(page, 5, total);

  // Step 5: Exclusion list → add vcsa-01a.
  await goalsOpen(page);
  await nsxPage(page, 'Exclusion list');
  const excl = page.getByRole('region', { name: 'Exclusion list', exact: true });
  await excl.getByLabel('Add a VM').selectOption('vm-11');
  await excl.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(excl.locator('tr[data-member="vm-11"]')).toContainText('vcsa-01a');
  await expect(excl.locator('tr[data-member="vm-11"]')).toContainText('user');
  await backToPlayer(page, id, 5, total);
  await goalsTicked(page);
  await next(page, 6, total);

  // Step 6: block again, this time over REST with If-Match from the ETag; vSphere stays up.
  await goalsOpen(page);
  expect(await rest(page, 'GET', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003')).toBe('200');
  // Without If-Match the manager refuses the write.
  expect(await rest(page, 'PUT', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003/rules/1001', { body: DENY_DEFAULT })).not.toBe('200');
  expect(await rest(page, 'GET', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003')).toBe('200');
  expect(await rest(page, 'PUT', '/api/4.0/firewall/globalroot-0/config/layer3sections/1003/rules/1001', { useEtag: true, body: DENY_DEFAULT })).toBe('200');
  await expect(page.getByLabel('Response body')).toContainText('<action>deny</action>');
  await screen(page, 'Inventory');
  await expect(vsphere(page)).toHaveAttribute('aria-disabled', 'false');
  await expect(page.getByTestId('vcenter-down')).toHaveCount(0);
  const trace = await probe(page, 'web-sv-01a', 'app-sv-01a', 8443);
  await expectVerdict(trace, 'dropped', 1001);
  await backToPlayer(page, id, 6, total);
  await goalsTicked(page);
  await expect(page.getByRole('region', { name: 'Lesson complete' })).toBeVisible();
});

// ---- scenario 3 ---------------------------------------------------------------------------

test('scenario 3, vMotion keeps state: migrate with the dialog, read the tables in the ESXi shell, cross clusters by drag with the manager down', async ({ page }) => {
  test.setTimeout(240_000);
  const id = 'vmotion-keeps-state';
  const total = 6;
  await openScenario(page, id, total);
  const tree = page.getByRole('navigation', { name: 'vSphere inventory' });
  const log = page.getByRole('region', { name: 'Event log' });

  // Step 1: the session is open; the DB access rules hold.
  await goalsTicked(page);
  await next(page, 2, total);

  // Step 2: Migrate… app-sv-01a to esxcomp-01b with the vMotion dialog.
  await goalsOpen(page);
  await screen(page, 'Inventory');
  await tree.locator('li[data-moid="vm-38"] > .node').click();
  const summary = page.getByRole('article', { name: 'Virtual machine app-sv-01a' });
  await expect(summary).toContainText('esxcomp-01a');
  await page.getByRole('button', { name: 'Migrate…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Migrate app-sv-01a' });
  await dialog.getByLabel(/esxcomp-01b/).check();
  await dialog.getByRole('button', { name: 'Migrate' }).click();
  await expect(tree.locator('li[data-moid="host-21"] li[data-moid="vm-38"]')).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText('esxcomp-01b');
  await expect(log).toContainText('vMotion of app-sv-01a to esxcomp-01b completed');
  await backToPlayer(page, id, 2, total);
  await goalsTicked(page);
  await expect(goals(page).filter({ hasText: 'mysql' })).toContainText('done');
  await next(page, 3, total);

  // Step 3: the rule table and the connection table, read on the new host's shell.
  await goalsTicked(page);
  // (summarize-dvfilter lists every slot of every vNIC, more than the console shows at once.)
  await typeIn(page, 'host-21', 'esxcomp-01b', 'vsipioctl getfilters', 'nic-35678-eth0-vmware-sfw.2');
  await typeIn(page, 'host-21', 'esxcomp-01b', 'vsipioctl getrules -f nic-35678-eth0-vmware-sfw.2', 'rule 1006 ');
  const flows = await typeIn(page, 'host-21', 'esxcomp-01b', 'vsipioctl getflows -f nic-35678-eth0-vmware-sfw.2', 'rule 1006 ');
  await expect(flows).toContainText('3306');
  // The old host no longer has the VM's filter.
  const old = await typeIn(page, 'host-20', 'esxcomp-01a', 'vsipioctl getfilters', 'nic-35677-eth0-vmware-sfw.2');
  await expect(old).not.toContainText('nic-35678');
  await backToPlayer(page, id, 3, total);
  await next(page, 4, total);

  // Step 4: the Applied To rule stops web-sv-01a's SSH to the application server.
  await goalsTicked(page);
  let trace = await probe(page, 'web-sv-01a', 'app-sv-01a', 22);
  await expectVerdict(trace, 'dropped', 1007);
  await backToPlayer(page, id, 4, total);
  await next(page, 5, total);

  // Step 5: NSX Manager is down (the REST client says so); drag web-sv-01a onto esxcomp-02a.
  await goalsOpen(page);
  await screen(page, 'REST API');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'NSX Manager not reachable' })).toBeVisible({ timeout: 30_000 });
  await screen(page, 'Inventory');
  await tree.locator('li[data-moid="vm-36"]').dragTo(tree.locator('li[data-moid="host-30"] > .node'));
  await expect(tree.locator('li[data-moid="host-30"] li[data-moid="vm-36"]')).toBeVisible({ timeout: 30_000 });
  await expect(log).toContainText('vMotion of web-sv-01a to esxcomp-02a completed');
  trace = await probe(page, 'web-sv-01a', 'app-sv-01a', 22);
  await expectVerdict(trace, 'allowed', 1001);
  await backToPlayer(page, id, 5, total);
  await goalsTicked(page);
  await next(page, 6, total);

  // Step 6: bring NSX Manager back. The app has no control for the manager appliance (powering
  // nsxmgr-01a in the inventory does not stop or start it), so this step uses "Show me".
  await goalsOpen(page);
  await page.getByRole('button', { name: 'Show me' }).click();
  await goalsTicked(page);
  await expect(page.getByRole('region', { name: 'Lesson complete' })).toBeVisible();
  await expect(log).toContainText('NSX Manager appliance is up');
  trace = await probe(page, 'web-sv-01a', 'app-sv-01a', 22);
  await expectVerdict(trace, 'dropped', 1007);
});

// ---- scenario 4 ---------------------------------------------------------------------------

test('scenario 4, changing an IP bypasses tag rules: guest console, SpoofGuard screen, exclusion list and an allow-list in the Firewall screen', async ({ page }) => {
  test.setTimeout(240_000);
  const id = 'ip-change-bypass';
  const total = 8;
  await openScenario(page, id, total);
  const log = page.getByRole('region', { name: 'Event log' });

  // Step 1: the tag-based block rule holds.
  await goalsTicked(page);
  let trace = await probe(page, 'web-sv-01a', 'db-sv-01a', 3306);
  await expectVerdict(trace, 'dropped', 1005);
  await backToPlayer(page, id, 1, total);
  await next(page, 2, total);

  // Step 2: a new address from the guest console, Tools running: the rule follows it.
  await goalsOpen(page);
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr replace 172.16.10.99/24 dev eth0', 'root@web-sv-01a:~# ');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr', 'inet 172.16.10.99/24');
  await expect(log).toContainText('web-sv-01a: VMware Tools reports IP 172.16.10.99');
  trace = await probe(page, 'web-sv-01a', 'db-sv-01a', 3306);
  await expectVerdict(trace, 'dropped', 1005);
  await backToPlayer(page, id, 2, total);
  await goalsTicked(page);
  await next(page, 3, total);

  // Step 3: stop Tools, change the address again: the default rule lets it through.
  await goalsOpen(page);
  await typeIn(page, 'vm-36', 'web-sv-01a', 'service vmware-tools stop', 'root@web-sv-01a:~# ');
  await typeIn(page, 'vm-36', 'web-sv-01a', 'ip addr replace 172.16.10.98/24 dev eth0', 'root@web-sv-01a:~# ');
  await screen(page, 'Inventory');
  await page.getByRole('navigation', { name: 'vSphere inventory' }).locator('li[data-moid="vm-36"] > .node').click();
  const summary = page.getByRole('article', { name: 'Virtual machine web-sv-01a' });
  await expect(summary.getByTestId('vm-tools')).toContainText('Not running');
  await expect(summary.getByTestId('vm-ip')).toContainText('not reported');
  trace = await probe(page, 'web-sv-01a', 'db-sv-01a', 3306);
  await expectVerdict(trace, 'allowed', 1001);
  await backToPlayer(page, id, 3, total);
  await goalsTicked(page);
  await next(page, 4, total);

  // Step 4: SpoofGuard in trust-on-first-use for Web-LS: a new policy made in the SpoofGuard screen, then published there.
  await goalsOpen(page);
  await nsxPage(page, 'SpoofGuard');
  const sgRegion = page.getByRole('region', { name: 'SpoofGuard', exact: true });
  const created = await createSpoofGuardPolicy(page, 'Web tier', 'TOFU', /Web-LS/);
  const policyId = (await created.getAttribute('data-policy')) ?? '';
  expect(policyId).toMatch(/^spoofguardpolicy-\d+$/);
  const sg = sgRegion.locator(`article[data-policy="${policyId}"]`);
  await expect(sg).toContainText('Web-LS');
  await sg.getByRole('button', { name: 'Publish approvals' }).click();
  const webNic = sg.locator('tr').filter({ hasText: 'web-sv-01a' });
  await expect(webNic.locator('td').nth(3)).toContainText('172.16.10.11', { timeout: 10_000 });
  await backToPlayer(page, id, 4, total);
  await goalsTicked(page);
  await next(page, 5, total);

  // Step 5: the same trick again: slot 1 (sw-sec, SpoofGuard) drops it before any rule.
  await goalsTicked(page);
  trace = await probe(page, 'web-sv-01a', 'db-sv-01a', 3306);
  await expectVerdict(trace, 'dropped');
  const drop = trace.getByRole('list', { name: 'Probe path' }).locator('li[data-action="DROP"]');
  await expect(drop).toHaveCount(1);
  await expect(drop).toContainText('slot 1');
  await expect(drop).not.toContainText('rule 1005');
  await backToPlayer(page, id, 5, total);
  await next(page, 6, total);

  // Step 6: the policy to Manual in the SpoofGuard screen; the new address waits for review.
  await goalsOpen(page);
  await nsxPage(page, 'SpoofGuard');
  await sg.getByLabel('Mode').selectOption('MANUAL');
  await expect(sg.getByLabel('Mode')).toHaveValue('MANUAL', { timeout: 30_000 });
  await expect(webNic.getByRole('button', { name: 'Approve 172.16.10.77' })).toBeVisible({ timeout: 10_000 });
  await backToPlayer(page, id, 6, total);
  await goalsTicked(page);
  await next(page, 7, total);

  // Step 7: an allow-list: exclusion list first, an allow rule, then the default rule to Block.
  await goalsOpen(page);
  await nsxPage(page, 'Exclusion list');
  const excl = page.getByRole('region', { name: 'Exclusion list', exact: true });
  await excl.getByLabel('Add a VM').selectOption('vm-11');
  await excl.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(excl.locator('tr[data-member="vm-11"]')).toBeVisible({ timeout: 30_000 });
  await nsxPage(page, 'Firewall');
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await fw.getByRole('button', { name: 'Add rule to Tier isolation' }).click({ timeout: 30_000 });
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await dialog.getByLabel('Name').fill('Web to App 8443');
  await dialog.getByLabel('Add to Source').selectOption({ label: 'Web Servers' });
  await dialog.getByLabel('Add to Destination').selectOption({ label: 'App Servers' });
  await dialog.getByLabel('Protocol').selectOption('6');
  await dialog.getByLabel('Destination port').fill('8443');
  await dialog.getByRole('button', { name: 'Add protocol/port' }).click();
  await dialog.getByLabel('Action').selectOption('allow');
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await setDefaultRule(page, 'deny');
  await publish(page);
  await expect(fw.locator('tr[data-name="Web to App 8443"]')).toHaveAttribute('data-rule', '1006');
  await screen(page, 'Inventory');
  await expect(page.getByTestId('vcenter-down')).toHaveCount(0);
  trace = await probe(page, 'web-sv-01a', 'app-sv-01a', 8443);
  await expectVerdict(trace, 'allowed', 1006);
  await backToPlayer(page, id, 7, total);
  await goalsTicked(page);
  await next(page, 8, total);

  // Step 8: an unknown address under default deny fails closed.
  await goalsTicked(page);
  await expect(page.getByRole('region', { name: 'Lesson complete' })).toBeVisible();
  trace = await probe(page, 'app-sv-01a', 'db-sv-01a', 3306);
  await expectVerdict(trace, 'dropped', 1001);
});
