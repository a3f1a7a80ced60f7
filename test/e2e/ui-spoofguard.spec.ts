/** SpoofGuard screen: a new policy for a network, that network no longer offered to another policy, and the policy deleted. */
import { expect, test } from './fixtures';
import { createSpoofGuardPolicy, openApp } from './lab-helpers';
import { keepScreenshot } from '../ui/e2e-steps';

test('SpoofGuard: create a policy for App-LS from the screen, its network is taken, then delete it', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => (location.hash = '/nsx/spoofguard'));
  const region = page.getByRole('region', { name: 'SpoofGuard', exact: true });
  const policy = await createSpoofGuardPolicy(page, 'App tier', 'MANUAL', /App-LS/);
  await expect(policy).toContainText('Networks: App-LS');
  // Its vNICs moved under it from the default policy.
  await expect(policy.locator('tr').filter({ hasText: 'app-sv-01a' })).toBeVisible();
  await keepScreenshot(page, 'ui-spoofguard');

  // A network belongs to one policy: the form no longer lets another policy take App-LS.
  await region.getByRole('button', { name: 'New policy…' }).click();
  const form = region.getByRole('form', { name: 'New SpoofGuard policy' });
  await expect(form.getByRole('checkbox', { name: /App-LS/ })).toBeDisabled();
  await expect(form).toContainText('(in App tier)');
  await form.getByRole('button', { name: 'Cancel' }).click();

  await policy.getByRole('button', { name: 'Delete policy' }).click();
  await expect(region.locator('article').filter({ hasText: 'App tier' })).toHaveCount(0, { timeout: 30_000 });
  await expect(region.getByRole('alert')).toHaveCount(0);
});
