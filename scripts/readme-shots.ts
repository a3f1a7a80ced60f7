/**
 * Retakes the README's screenshots (docs/screenshot.png, docs/trace.png) from a served build:
 *   npx vite build && npx vite preview --port 4173 &  npx tsx scripts/readme-shots.ts [baseURL]
 * Firewall: a block rule published through the screen; trace: that rule dropping a probe.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../playwright.config';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/#/nsx/firewall`);
const fw = page.getByRole('region', { name: 'Firewall', exact: true });
await fw.locator('tr[data-rule="1001"]').waitFor({ timeout: 60_000 });
await fw.getByRole('button', { name: 'Add rule', exact: true }).click();
const dialog = page.getByRole('dialog', { name: 'New rule' });
await dialog.getByLabel('Name').fill('Block web to db');
await dialog.getByLabel('Add to Source').selectOption({ label: 'web-sv-01a' });
await dialog.getByLabel('Add to Destination').selectOption({ label: 'db-sv-01a' });
await dialog.getByLabel('Action').selectOption('deny');
await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
await fw.getByRole('button', { name: 'Publish' }).click();
await fw.getByTestId('unpublished').waitFor({ state: 'hidden', timeout: 60_000 });
await page.getByTestId('pwa-prompt').getByRole('button', { name: 'OK' }).click({ timeout: 30_000 }).catch(() => undefined);
await page.waitForTimeout(1500);
await page.screenshot({ path: 'docs/screenshot.png' });

await page.evaluate(() => (location.hash = '/'));
const probe = page.getByRole('region', { name: 'Traffic probe' });
await probe.getByLabel('From').selectOption('web-sv-01a');
await probe.getByLabel('To', { exact: true }).selectOption('db-sv-01a');
await probe.getByLabel('Port').fill('3306');
await probe.getByRole('button', { name: 'Send probe' }).click();
const trace = page.getByRole('region', { name: 'Trace' });
await trace.locator('.verdict').waitFor();
await trace.scrollIntoViewIfNeeded();
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/trace.png' });
await browser.close();
