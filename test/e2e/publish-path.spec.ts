/**
 * The full publish path across real Web Workers in Chromium (issue 5): a rule added in the
 * Firewall screen goes PUT /config → NSX Manager → message bus → vsfwd on every host → the
 * kernel filters; per-host publish status reaches "published" for every host and a probe's
 * verdict changes, with the rule id in the trace. Then vsfwd is stopped on one host from its
 * ESXi shell: a new publish stays in progress for that host while its kernel keeps enforcing
 * the old rule.
 */
import { expect, test, type Page } from './fixtures';
import { addBlockRule } from './firewall-steps';

const HOSTS = ['esxmgt-01a', 'esxcomp-01a', 'esxcomp-01b', 'esxcomp-02a'];

async function screen(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name, exact: true }).click();
}

async function nsxPage(page: Page, name: string) {
  await screen(page, 'Networking & Security');
  await page.getByRole('navigation', { name: 'Networking & Security' }).getByRole('link', { name, exact: true }).click();
}

/** Sends web-sv-01a → db-sv-01a tcp/3306 from the Inventory's probe panel; returns the verdict element. */
async function probeWebToDb(page: Page) {
  await screen(page, 'Hosts and Clusters');
  const probe = page.getByRole('region', { name: 'Traffic probe' });
  await probe.getByLabel('From').selectOption('web-sv-01a');
  await probe.getByLabel('To', { exact: true }).selectOption('db-sv-01a');
  await probe.getByLabel('Protocol').selectOption('tcp');
  await probe.getByLabel('Port').fill('3306');
  const trace = page.getByRole('region', { name: 'Trace' });
  await probe.getByRole('button', { name: 'Send probe' }).click();
  await expect(probe.getByRole('button', { name: 'Send probe' })).toBeEnabled({ timeout: 30_000 });
  await expect(trace.locator('.verdict')).toBeVisible({ timeout: 30_000 });
  return trace;
}

/** Types one command in the ESXi shell of `hostMoid` and waits for `expected` in its output. */
async function hostShell(page: Page, hostMoid: string, cmd: string, expected: string | RegExp) {
  await screen(page, 'Consoles');
  await page.getByRole('navigation', { name: 'Consoles' }).getByRole('link', { name: HOST_NAMES[hostMoid], exact: true }).click();
  const pane = page.locator(`.pane[data-console="${hostMoid}"]`);
  await expect(pane.locator('.xterm-rows')).toContainText(`[root@${HOST_NAMES[hostMoid]}:~]`, { timeout: 30_000 });
  await pane.locator('.xterm').click();
  await page.keyboard.type(cmd);
  await page.keyboard.press('Enter');
  await expect(pane.locator('.xterm-rows')).toContainText(expected, { timeout: 30_000 });
}
const HOST_NAMES: Record<string, string> = { 'host-10': 'esxmgt-01a', 'host-20': 'esxcomp-01a', 'host-21': 'esxcomp-01b', 'host-30': 'esxcomp-02a' };

async function publish(page: Page) {
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await expect(fw.getByTestId('unpublished')).toBeVisible();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByTestId('unpublished')).toBeHidden({ timeout: 60_000 });
  await expect(fw.getByText(/Published generation \d+/)).toBeVisible();
}

test('publish path across Web Workers: per-host status, the probe’s verdict, and a host whose vsfwd is stopped', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto('/#/');
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible({ timeout: 30_000 });
  // The lab really runs in Web Workers: the page spawned one per execution unit.
  // Polled: the units' workers start while the lab boots, not all before the first screen.
  await expect.poll(() => page.workers().length).toBeGreaterThanOrEqual(4);

  // Before: the default rule allows web → db.
  let trace = await probeWebToDb(page);
  await expect(trace.locator('.verdict')).toHaveAttribute('data-verdict', 'allowed');
  await expect(trace.locator('.verdict')).toHaveAttribute('data-rule', '1001');

  // Add a block rule in the Firewall screen and publish it.
  await nsxPage(page, 'Firewall');
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible({ timeout: 30_000 });
  await addBlockRule(page);
  await publish(page);
  const ruleId = await fw.locator('tr[data-name="Block web to db"]').getAttribute('data-rule');
  expect(Number(ruleId)).toBeGreaterThan(1001);

  // Publish status: every host of every cluster reached "published" at the new generation.
  await nsxPage(page, 'Publish status');
  const status = page.getByRole('region', { name: 'Publish status', exact: true });
  await expect(status.getByTestId('publish-overall')).toContainText('published', { timeout: 30_000 });
  for (const h of HOSTS) {
    const row = status.locator(`tr[data-host="${h}"]`);
    await expect(row).toContainText('✔ published');
  }
  await expect(status.locator('tbody tr')).toHaveCount(HOSTS.length);
  // Each host's vsfwd answered through the bus: the manager logs the configuration applied per host.
  const log = page.getByRole('region', { name: 'Event log' });
  for (const h of HOSTS) await expect(log).toContainText(new RegExp(`Firewall configuration \\d+ applied on host ${h}`));

  // After: the same probe is dropped, by the new rule, and the trace names the rule at the filter.
  trace = await probeWebToDb(page);
  await expect(trace.locator('.verdict')).toHaveAttribute('data-verdict', 'dropped');
  await expect(trace.locator('.verdict')).toHaveAttribute('data-rule', ruleId!);
  const drop = trace.getByRole('list', { name: 'Probe path' }).locator('li[data-action="DROP"]');
  await expect(drop).toHaveCount(1);
  await expect(drop).toContainText('slot 2');
  // web-sv-01a's own filter (out) drops it first, on esxcomp-01a.
  await expect(drop).toContainText('nic-35677-eth0-vmware-sfw.2');
  await expect(drop).toContainText('[host-20]');
  await expect(drop).toContainText(`rule ${ruleId}`);
  // The rule reached the kernel of db-sv-01a's host as the host shell shows it.
  await hostShell(page, 'host-30', 'vsipioctl getrules -f nic-35741-eth0-vmware-sfw.2', `rule ${ruleId} `);

  // Stop vsfwd on esxcomp-02a (db-sv-01a's host) from its shell; the watchdog must not restart it.
  await hostShell(page, 'host-30', '/etc/init.d/vShield-Stateful-Firewall stop', 'Stopping vShield-Stateful-Firewall... done');
  await hostShell(page, 'host-30', '/etc/init.d/vShield-Stateful-Firewall status', 'vShield-Stateful-Firewall is not running');
  await expect(log).toContainText('vsfwd stopped on host esxcomp-02a');

  // Disable the block rule and publish: the other hosts apply it, esxcomp-02a cannot.
  await nsxPage(page, 'Firewall');
  await expect(fw.locator(`tr[data-rule="${ruleId}"]`)).toBeVisible({ timeout: 30_000 });
  await fw.getByRole('button', { name: 'Disable rule Block web to db' }).click();
  await expect(fw.locator(`tr[data-rule="${ruleId}"]`)).toContainText('(disabled)');
  await publish(page);

  await nsxPage(page, 'Publish status');
  await expect(status.locator(`tr[data-host="esxcomp-02a"]`)).toContainText('inprogress', { timeout: 30_000 });
  await expect(status.getByTestId('publish-overall')).not.toContainText('✔ published');
  for (const h of HOSTS.filter((x) => x !== 'esxcomp-02a')) await expect(status.locator(`tr[data-host="${h}"]`)).toContainText('✔ published');

  // The kernel of esxcomp-02a keeps the last rules it was given: web → db is still dropped there
  // by the old rule, although web-sv-01a's own host (esxcomp-01a) no longer has it.
  trace = await probeWebToDb(page);
  await expect(trace.locator('.verdict')).toHaveAttribute('data-verdict', 'dropped');
  await expect(trace.locator('.verdict')).toHaveAttribute('data-rule', ruleId!);
  await expect(drop).toHaveCount(1);
  await expect(drop).toContainText('nic-35741-eth0-vmware-sfw.2');
  await expect(drop).toContainText('[host-30]');
  await expect(drop).toContainText(`rule ${ruleId}`);
  await hostShell(page, 'host-20', 'vsipioctl getrules -f nic-35677-eth0-vmware-sfw.2', 'rule 1001 ');
  await expect(page.locator('.pane[data-console="host-20"] .xterm-rows')).not.toContainText(`rule ${ruleId} `);

  // Started again by hand, vsfwd resyncs from the manager: the host catches up and the old rule goes.
  await hostShell(page, 'host-30', '/etc/init.d/vShield-Stateful-Firewall start', 'vShield-Stateful-Firewall started');
  await nsxPage(page, 'Publish status');
  await status.getByRole('button', { name: 'Refresh' }).click();
  await expect(status.locator(`tr[data-host="esxcomp-02a"]`)).toContainText('✔ published', { timeout: 30_000 });
  trace = await probeWebToDb(page);
  await expect(trace.locator('.verdict')).toHaveAttribute('data-verdict', 'allowed');
  await expect(trace.locator('.verdict')).toHaveAttribute('data-rule', '1001');
});
