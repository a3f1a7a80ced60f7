/**
 * Issue 15 parts 1, 2 and 3 through the screens (the partner's own tests keep to themselves, so the walk may move them). Parts 1 and 3 share one page and lab: vsftpd started in a VM's
 * console, an FTP session from the probe panel (its transcript and trace), a logon in another
 * console, and a directory group added to a security group in Service Composer.
 */
import { expect, test, type Page } from './fixtures';
import { openApp } from './lab-helpers';

async function consoleLine(page: Page, vm: string, line: string, expected: string | RegExp): Promise<void> {
  await page.evaluate(() => (location.hash = '/consoles'));
  await page.getByRole('navigation', { name: 'Consoles' }).getByRole('link', { name: vm }).click();
  const rows = page.locator('.pane:not([hidden]) .xterm-rows');
  await expect(rows).toContainText(`root@${vm}:~#`);
  await page.locator('.pane:not([hidden]) .xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(expected);
}

test('FTP session from the probe panel, a console logon, and a directory group in a security group', async ({ page }) => {
  await openApp(page);
  await consoleLine(page, 'app-sv-01a', 'service vsftpd start', 'Starting vsftpd: [  OK  ]');

  await page.evaluate(() => (location.hash = '/'));
  const probe = page.getByRole('region', { name: 'Traffic probe' });
  await probe.getByLabel('From', { exact: true }).selectOption('web-sv-01a');
  await probe.getByLabel('To', { exact: true }).selectOption('app-sv-01a');
  await probe.getByLabel('Protocol').selectOption({ label: 'FTP session (passive)' });
  await expect(probe.getByLabel('Port', { exact: true })).toHaveCount(0);
  await probe.getByRole('button', { name: 'Send probe' }).click();
  const transcript = probe.getByRole('log', { name: 'FTP client output' });
  await expect(transcript).toContainText('227 Entering Passive Mode (172,16,20,11,');
  await expect(transcript).toContainText('226 Directory send OK.');
  await expect(probe.locator('.verdict')).toContainText('Allowed');

  await consoleLine(page, 'web-sv-02a', 'login alice', 'alice logged on to web-sv-02a (CORP\\alice)');

  await page.evaluate(() => (location.hash = '/nsx/composer'));
  const identity = page.getByRole('region', { name: 'Identity firewall' });
  await expect(identity.locator('tr[data-user="alice"]')).toContainText('CORP\\alice');
  await expect(identity.getByRole('checkbox', { name: 'alice in Finance' })).toBeChecked();
  await identity.getByLabel('Security group').selectOption({ label: 'Web Servers' });
  await identity.getByLabel('gets directory group').selectOption({ label: 'CORP\\Finance' });
  await identity.getByRole('button', { name: 'Add member' }).click();
  await expect(identity.locator('tr[data-identity-group]')).toContainText('CORP\\Finance');
  await expect(page.getByRole('region', { name: 'Service Composer' }).locator('article[data-group="securitygroup-10"]')).toContainText('CORP\\Finance');
  await expect(identity.getByRole('alert')).toHaveCount(0);

  // The Firewall's source picker offers that security group by its directory group.
  await page.evaluate(() => (location.hash = '/nsx/firewall'));
  await page.getByRole('region', { name: 'Firewall', exact: true }).getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await expect(dialog.getByLabel('Add to Source').locator('optgroup[label="Security groups by directory group"] option')).toHaveText(['Web Servers (CORP\\Finance)']);
  await dialog.getByLabel('Add to Source').selectOption({ label: 'Web Servers (CORP\\Finance)' });
  await expect(dialog.getByRole('group', { name: 'Source' })).toContainText('Web Servers SecurityGroup');
});

test('Why a distributed firewall: Edit Settings puts web-sv-01a behind fw-bridge-01a, iperf crawls at 500 MHz, Charts lists it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/#/scenario/firewall-in-a-vm');
  await expect(page.getByText('Step 1 of 6')).toBeVisible({ timeout: 60_000 });
  await page.evaluate(() => (location.hash = '/inventory/vm-36/summary'));
  const settings = page.getByRole('region', { name: 'Edit Settings' });
  await settings.getByLabel('Network adapter 1').selectOption({ label: 'Web-Protected-PG' });
  await settings.getByRole('button', { name: 'OK' }).click();
  await expect(settings.getByRole('status')).toContainText('network adapter 1 connected to Web-Protected-PG');
  await consoleLine(page, 'app-sv-01a', 'iperf -c web-sv-01a -n 35M', '3.50 MB/s (28.0 Mbit/s)');
  await page.evaluate(() => (location.hash = '/charts'));
  await expect(page.getByTestId('transfers').locator('tr[data-path="bridge"]')).toContainText('CPU 100 %');
});

test('issue 15 part 2: deploy a partner service, give it a signature, redirect web to app through it, see slot 4 in the trace', async ({ page }) => {
  await openApp(page);
  const status = await page.evaluate(async () => {
    const r = await fetch('/api/2.0/si/service', { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body: '<service><name>Acme IPS</name><vendor>Acme</vendor><failurePolicy>failClosed</failurePolicy></service>' });
    return r.status;
  });
  expect(status).toBe(201);

  await page.evaluate(() => (location.hash = '/nsx/installation'));
  const deployments = page.getByRole('region', { name: 'Service Deployments' });
  const acme = deployments.getByRole('article', { name: 'Acme IPS' });
  await acme.getByLabel('Cluster').selectOption({ label: 'Compute Cluster A' });
  await acme.getByRole('button', { name: 'Deploy' }).click();
  await expect(acme.getByRole('row', { name: /esxcomp-01a/ })).toContainText('✔ Powered on', { timeout: 20_000 });
  await acme.getByLabel('Pattern').fill('/etc/passwd');
  await acme.getByRole('button', { name: 'Add signature' }).click();
  await expect(acme.getByRole('listitem')).toContainText('/etc/passwd');

  await page.evaluate(() => (location.hash = '/nsx/composer'));
  const redirect = page.getByRole('region', { name: 'Partner redirect rules' });
  await redirect.getByLabel('Source').selectOption({ label: 'Web Servers' });
  await redirect.getByLabel('Destination').selectOption({ label: 'App Servers' });
  await redirect.getByRole('button', { name: 'Add redirect rule' }).click();
  await expect(redirect.getByRole('row', { name: /Redirect \(logged\)/ })).toContainText('Acme IPS');
  await expect(redirect.getByRole('alert')).toHaveCount(0);

  await page.evaluate(() => (location.hash = '/'));
  const probe = page.getByRole('region', { name: 'Traffic probe' });
  await probe.getByLabel('From', { exact: true }).selectOption('web-sv-01a');
  await probe.getByLabel('To', { exact: true }).selectOption('app-sv-01a');
  await probe.getByLabel('Port', { exact: true }).fill('8443');
  await probe.getByRole('button', { name: 'Send probe' }).click();
  await expect(probe.locator('.verdict')).toContainText('Allowed');
  await expect(probe).toContainText('slot 4 (serviceinstance: the partner service’s redirect filter)');
});

test('issue 15 part 2 left: slot 4 in a VM\'s Configure tab, a redirect rule applied to a group, edited and deleted in Service Composer', async ({ page }) => {
  await openApp(page);
  const status = await page.evaluate(async () => {
    const post = (path: string, body: string) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/xml' }, body }).then((r) => r.status);
    return [
      await post('/api/2.0/si/service', '<service><name>Acme IPS</name><vendor>Acme</vendor><failurePolicy>failOpen</failurePolicy></service>'),
      await post('/api/2.0/si/deploy', '<clusterDeploymentConfigs><clusterDeploymentConfig><clusterId>domain-c25</clusterId><services><serviceDeploymentConfig><serviceId>service-1</serviceId></serviceDeploymentConfig></services></clusterDeploymentConfig></clusterDeploymentConfigs>'),
    ];
  });
  expect(status).toEqual([201, 202]);

  await page.evaluate(() => (location.hash = '/vms/vm-36/configure'));
  await expect(page.getByTestId('vnic-rules')).toContainText('ruleset', { timeout: 30_000 });
  await expect(page.getByTestId('vnic-slots').locator('tr[data-slot="4"]')).toContainText(/nic-\d+-eth0-serviceinstance-1\.4\s*serviceinstance-1 \(partner service\)\s*failOpen/);

  await page.evaluate(() => (location.hash = '/nsx/composer'));
  const redirect = page.getByRole('region', { name: 'Partner redirect rules' });
  await redirect.getByLabel('Name').fill('Web to App');
  await redirect.getByLabel('Source').selectOption({ label: 'Web Servers' });
  await redirect.getByLabel('Destination').selectOption({ label: 'App Servers' });
  await redirect.getByLabel('Applied To').selectOption({ label: 'App Servers' });
  await redirect.getByRole('button', { name: 'Add redirect rule' }).click();
  const row = redirect.locator('tr[data-rule]');
  await expect(row).toContainText(/Web Servers\s*App Servers\s*any\s*App Servers\s*Redirect \(logged\)/);
  await redirect.getByRole('button', { name: 'Edit Web to App' }).click();
  await expect(redirect.getByLabel('Applied To')).toHaveValue('securitygroup-11');
  await redirect.getByLabel('Action').selectOption({ label: 'Do not redirect' });
  await redirect.getByLabel('Applied To').selectOption({ label: 'Distributed Firewall' });
  await redirect.getByRole('button', { name: /Save rule \d+/ }).click();
  await expect(row).toContainText(/Distributed Firewall\s*Do not redirect/);
  await redirect.getByRole('button', { name: 'Delete Web to App' }).click();
  await expect(redirect).toContainText('No redirect rules: no traffic goes to a partner.');
  await expect(redirect.getByRole('alert')).toHaveCount(0);
});
