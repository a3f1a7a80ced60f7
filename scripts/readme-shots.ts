/**
 * Retakes the README's screenshots (docs/screenshot.png, docs/trace.png, docs/object-tabs.png) from a served build:
 *   npx vite build && npx vite preview --port 4173 &  npx tsx scripts/readme-shots.ts [baseURL]
 * Firewall: a block rule published through the screen; trace: that rule dropping a probe;
 * object tabs: web-sv-01a's Configure tab, its vNIC's dvfilter slots and the rules in slot 2.
 */
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../playwright.config';
import { addBlockRule, publish, sendProbe } from '../test/e2e/firewall-steps';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/#/nsx/firewall`);
await page.getByRole('region', { name: 'Firewall', exact: true }).locator('tr[data-rule="1001"]').waitFor({ timeout: 60_000 });
await publish(await addBlockRule(page), 60_000);
await page.getByTestId('pwa-prompt').getByRole('button', { name: 'OK' }).click({ timeout: 30_000 }).catch(() => undefined);
await page.waitForTimeout(1500);
await page.screenshot({ path: 'docs/screenshot.png' });

const trace = await sendProbe(page, 'web-sv-01a', 'db-sv-01a', 3306);
await trace.scrollIntoViewIfNeeded();
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/trace.png' });

await page.evaluate(() => (location.hash = '/inventory/vm-36/configure'));
await page.getByTestId('vnic-rules').filter({ hasText: 'ruleset' }).waitFor();
await page.locator('#main').evaluate((main) => main.scrollTo(0, 0)); // the trace above left it scrolled
await page.waitForTimeout(500);
await page.screenshot({ path: 'docs/object-tabs.png' });
await browser.close();
