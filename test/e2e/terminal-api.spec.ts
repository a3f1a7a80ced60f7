/**
 * The NSX API from a terminal (issue 19): the system's curl, run through child_process against
 * the preview server (what `npm start` serves), is relayed to the lab in the open tab. Each
 * answer is checked, and so is its effect on the page: the Firewall screen shows the change at
 * once, and the REST client's history lists the requests marked external.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { RELAY_BASE_URL, simulationFor } from '../../playwright.config';
import { expect, test, type Page } from './fixtures';

// A preview server of its own: its relay must see this spec's tab and no other spec's.
test.use({ baseURL: RELAY_BASE_URL, storageState: simulationFor(RELAY_BASE_URL) });

const run = promisify(execFile);
const CONFIG = '/api/4.0/firewall/globalroot-0/config';
const L3 = `${CONFIG}/layer3sections`;

interface CurlAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** curl -i: the status line, headers (lower-case names) and body of the last response. */
async function curl(baseURL: string, args: string[]): Promise<CurlAnswer> {
  const { stdout } = await run('curl', ['-s', '-i', '--max-time', '40', ...args.map((a) => (a.startsWith('/api/') ? baseURL + a : a))]);
  const split = stdout.indexOf('\r\n\r\n');
  const head = stdout.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(head[0]!.split(' ')[1]), headers, body: stdout.slice(split + 4) };
}

const admin = ['-u', 'admin:default'];
const xmlBody = (xml: string) => ['-H', 'Content-Type: application/xml; charset=utf-8', '--data-binary', xml];
const rule = (name: string) => `<rule disabled="false" logged="false"><name>${name}</name><action>deny</action></rule>`;

async function firewall(page: Page) {
  await page.evaluate(() => (location.hash = '/nsx/firewall'));
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible({ timeout: 30_000 });
  return fw;
}

test('curl from a terminal drives the lab in the tab: auth, GET, POST with If-Match, 412 on a stale ETag, DELETE /config', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL!;

  // No tab open yet: the relay says so in NSX's error shape.
  const noTab = await curl(base, [...admin, CONFIG]);
  expect(noTab.status).toBe(503);
  expect(noTab.body).toContain('<error>');
  expect(noTab.body).toMatch(/No DFW Lab tab is open/);

  await page.goto('/#/nsx/firewall');
  const fw = await firewall(page);
  await expect.poll(async () => (await curl(base, [...admin, CONFIG])).status, { timeout: 30_000 }).toBe(200);

  // Credentials as NSX Manager wants them.
  expect((await curl(base, [CONFIG])).status).toBe(403); // Authorization header not provided
  expect((await curl(base, ['-u', 'admin:wrong', CONFIG])).status).toBe(401);
  const auditorWrite = await curl(base, ['-u', 'auditor:default', '-X', 'DELETE', CONFIG]);
  expect(auditorWrite.status).toBe(403);
  expect(auditorWrite.body).toMatch(/read only/);

  // GET /config: the configuration the page shows, with its ETag.
  const config = await curl(base, [...admin, CONFIG]);
  expect(config.status).toBe(200);
  expect(config.body).toContain('Default Section Layer3');
  expect(config.headers.etag).toMatch(/^\d+$/);

  // A new section, then a rule added to it with If-Match = the section's ETag from GET.
  const section = await curl(base, [...admin, ...xmlBody('<section name="From the terminal"/>'), L3]);
  expect(section.status).toBe(201);
  const sectionId = /<section[^>]* id="(\d+)"/.exec(section.body)![1];
  expect(section.headers.location).toBe(`${L3}/${sectionId}`);
  await expect(fw.getByText('From the terminal')).toBeVisible();

  const read = await curl(base, [...admin, `${L3}/${sectionId}`]);
  const etag = read.headers.etag!;
  expect(etag).toMatch(/^\d+$/);
  const added = await curl(base, [...admin, '-H', `If-Match: ${etag}`, ...xmlBody(rule('Blocked by curl')), `${L3}/${sectionId}/rules`]);
  expect(added.status).toBe(201);
  await expect(fw.locator('tr', { hasText: 'Blocked by curl' })).toBeVisible();

  // The same ETag again is stale now: 412, and nothing changes on the page.
  const stale = await curl(base, [...admin, '-H', `If-match: ${etag}`, ...xmlBody(rule('Never added')), `${L3}/${sectionId}/rules`]);
  expect(stale.status).toBe(412);
  expect(stale.body).toMatch(/has changed/);

  // DELETE /config restores the defaults: the terminal's section leaves the screen.
  const reset = await curl(base, [...admin, '-X', 'DELETE', CONFIG]);
  expect(reset.status).toBe(204);
  await expect(fw.getByText('From the terminal')).toHaveCount(0);
  await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible();
  await expect(fw.getByText('Never added')).toHaveCount(0);

  // The REST client's history lists what the terminal sent, marked external, newest first.
  await page.evaluate(() => (location.hash = '/rest'));
  const history = page.getByTestId('rest-history');
  await expect(history.locator('li[data-external="true"]').first()).toHaveAttribute('data-method', 'DELETE');
  await expect(history.locator('li[data-external="true"][data-status="412"]')).toHaveCount(1);
  // Two 403s: the request without credentials (no user) and the auditor's write (its user named).
  await expect(history.locator('li[data-external="true"][data-status="403"]')).toHaveCount(2);
  await expect(history.locator('li[data-external="true"][data-status="403"][data-method="DELETE"]')).toContainText('auditor');
  await expect(page.getByTestId('relay-status')).toContainText('relays requests to this tab');
  const axe = await new AxeBuilder({ page }).include('.rest').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // The page's own fetch('/api/…') still needs no credentials: through the service worker, or, before it
  // took over, through the relay with the session cookie the page got on its relay socket.
  expect((await page.context().cookies()).map((c) => c.name)).toContain('dfw-lab-session');
  const own = await page.evaluate(async (p) => (await fetch(p)).status, CONFIG);
  expect(own).toBe(200);
});
