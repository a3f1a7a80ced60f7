/**
 * Retakes the README's screenshots (docs/lesson-dock.png, docs/screenshot.png, docs/trace.png,
 * docs/object-tabs.png) from a served build; by hand, not part of npm test:
 *   npx vite build && npx vite preview --port 4173 &  npx tsx scripts/readme-shots.ts [baseURL]
 * Lesson dock: "Locking yourself out of vCenter" at step 2 beside the Firewall screen, the default
 * rule set to Block in the working copy; Firewall: a block rule published through the screen;
 * trace: that rule dropping a probe; object tabs: web-sv-01a's Configure tab, its vNIC's dvfilter
 * slots and the rules in slot 2. Each in a fresh browser context, as a first visit would be.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../playwright.config';
import { addBlockRule, publish, sendProbe } from '../test/e2e/firewall-steps';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
const dismissOfflineNotice = (p: Page) => p.getByTestId('pwa-prompt').getByRole('button', { name: 'OK' }).click({ timeout: 30_000 }).catch(() => undefined);

// The lesson beside the Firewall screen: step 2 of the first lesson, its edit in the working copy.
const learner = await browser.newPage({ viewport: { width: 1440, height: 900 } });
await learner.goto(`${base}/#/scenario/lockout-vcenter/step/2`);
const dock = learner.getByRole('complementary', { name: 'Lesson' });
await dock.getByText('Step 2 of 6').waitFor({ timeout: 60_000 });
await learner.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Networking & Security', exact: true }).click();
await learner.getByRole('navigation', { name: 'Networking & Security' }).getByRole('link', { name: 'Firewall', exact: true }).click();
const row = learner.getByRole('region', { name: 'Firewall', exact: true }).locator('tr[data-rule="1001"]');
await row.getByRole('button', { name: /^Edit rule/ }).click({ timeout: 60_000 });
const edit = learner.getByRole('dialog', { name: 'Edit rule 1001' });
await edit.getByLabel('Action').selectOption('deny');
await edit.getByRole('button', { name: 'Keep in working copy' }).click();
await dock.getByTestId('goal').filter({ hasText: 'checking' }).waitFor({ state: 'detached', timeout: 60_000 }).catch(() => undefined);
await dismissOfflineNotice(learner);
await learner.waitForTimeout(1500);
await learner.screenshot({ path: 'docs/lesson-dock.png' });
await learner.context().close();

const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${base}/#/nsx/firewall`);
await page.getByRole('region', { name: 'Firewall', exact: true }).locator('tr[data-rule="1001"]').waitFor({ timeout: 60_000 });
await publish(await addBlockRule(page), 60_000);
await dismissOfflineNotice(page);
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
