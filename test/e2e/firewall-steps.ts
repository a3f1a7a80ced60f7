/**
 * Steps the screens spec and the README screenshots (scripts/readme-shots.ts) both take: a
 * block rule added on the Firewall screen, published, and a probe sent from the inventory.
 * Plain Playwright calls (no test assertions), so the script can run them outside a test.
 */
import type { Locator, Page } from 'playwright-core';

/** Adds "Block web to db" (web-sv-01a → db-sv-01a, deny) to the working copy; returns the Firewall region. */
export async function addBlockRule(page: Page): Promise<Locator> {
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await fw.getByRole('button', { name: 'Add rule', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  await dialog.getByLabel('Name').fill('Block web to db');
  await dialog.getByLabel('Add to Source').selectOption({ label: 'web-sv-01a' });
  await dialog.getByLabel('Add to Destination').selectOption({ label: 'db-sv-01a' });
  await dialog.getByLabel('Action').selectOption('deny');
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  return fw;
}

/** Publishes the working copy and waits until nothing is left unpublished. */
export async function publish(fw: Locator, timeout = 30_000): Promise<void> {
  await fw.getByRole('button', { name: 'Publish' }).click();
  await fw.getByTestId('unpublished').waitFor({ state: 'hidden', timeout });
}

/** Opens the inventory and sends a TCP probe; returns the Trace region once it has a verdict. */
export async function sendProbe(page: Page, from: string, to: string, port: number): Promise<Locator> {
  await page.evaluate(() => (location.hash = '/'));
  const probe = page.getByRole('region', { name: 'Traffic probe' });
  await probe.getByLabel('From').selectOption(from);
  await probe.getByLabel('To', { exact: true }).selectOption(to);
  await probe.getByLabel('Port').fill(String(port));
  await probe.getByRole('button', { name: 'Send probe' }).click();
  const trace = page.getByRole('region', { name: 'Trace' });
  await trace.locator('.verdict').waitFor();
  return trace;
}
