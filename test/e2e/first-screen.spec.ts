import { expect, test } from './fixtures';

// One lab for the first screen and the determinism check (Diagnostics, opened by its address in the same page): one lab boot less.
test('the app boots the classroom lab in workers and shows the inventory and a live event log; the determinism check gives identical logs in this thread and in real Web Workers', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  const tree = page.getByRole('navigation', { name: 'vSphere inventory' });
  await expect(tree.getByText('Lab-DC')).toBeVisible();
  await expect(tree.getByText('Compute Cluster A')).toBeVisible();
  await expect(tree.getByText('esxcomp-02a')).toBeVisible();
  const web = tree.locator('li[data-moid="vm-36"]');
  await expect(web).toContainText('web-sv-01a');
  await expect(web).toContainText('172.16.10.11');
  await expect(web).toContainText('powered on');
  // One worker per host, one for vCenter and the manager, one for the fabric.
  expect(workers.length).toBeGreaterThanOrEqual(6);

  const log = page.getByRole('region', { name: 'Event log' });
  await expect(log).toContainText('Classroom datacenter started');

  // The inventory above is the lab's document, shown before the workers answer; the probe needs them.
  await expect(page.locator('[data-lab-live="true"]')).toBeAttached({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Send probe' }).click();
  await expect(page.locator('.verdict')).toContainText('Allowed');
  await expect(page.getByRole('list', { name: 'Probe path' })).toContainText('VNI 5003');
  await page.screenshot({ path: 'test-results/screens/inventory.png' });

  await page.evaluate(() => (location.hash = '/diagnostics'));
  await page.getByRole('button', { name: 'Run the check' }).click();
  const result = page.getByTestId('determinism-result');
  await expect(result).toHaveAttribute('data-state', 'identical', { timeout: 30_000 });
  await expect(result).toContainText('identical in-process and in Web Workers');
});
