import { expect, test } from './fixtures';
import { openApp, waitForApiBridge } from './lab-helpers';

const L3 = '/api/4.0/firewall/globalroot-0/config/layer3sections';

/**
 * Issue 18 item 1: a page on another origin posts the report's text/plain form at the lab's
 * /api/ while the lab is open in another tab. The lab must refuse it and stay unchanged; the
 * lab page's own fetch() still works, and its no-cors writes do not.
 */
test('only the lab page reaches /api/: a cross-site form is refused and changes nothing', async ({ page, context, baseURL, consoleAllowed }) => {
  // The refused no-cors write is logged by the browser as a failed 403 load: that refusal is what this test wants.
  consoleAllowed.push(/the server responded with a status of 403/);
  await openApp(page);
  await waitForApiBridge(page);
  const sectionNames = () => page.evaluate(async (path) => (await (await fetch(path.replace('/layer3sections', ''))).text()).match(/<section [^>]*name="[^"]*"/g) ?? [], L3);

  const attacker = await context.newPage();
  const evil = 'http://127.0.0.1:5399/';
  await attacker.route(evil, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form method="POST" enctype="text/plain" action="${baseURL}${L3}"><input name='&lt;section name' value='"Maintenance"&gt;&lt;rule&gt;&lt;name&gt;x&lt;/name&gt;&lt;action&gt;deny&lt;/action&gt;&lt;/rule&gt;&lt;/section&gt;'><button>go</button></form>`,
    }),
  );
  await attacker.goto(evil);
  const [answer] = await Promise.all([attacker.waitForResponse((r) => r.url().endsWith(L3)), attacker.getByRole('button', { name: 'go' }).click()]);
  expect(answer.status()).toBe(403);
  await expect(attacker.locator('body')).toContainText('DFW Lab refused this request');
  await attacker.close();
  expect((await sectionNames()).join()).not.toContain('Maintenance');

  const own = await page.evaluate(async (path) => {
    const post = (mode: RequestMode, name: string) => fetch(path, { method: 'POST', mode, headers: mode === 'no-cors' ? {} : { 'Content-Type': 'application/xml' }, body: `<section name="${name}"/>` });
    const noCors = await post('no-cors', 'FromNoCors');
    const normal = await post('same-origin', 'FromThePage');
    return { noCors: noCors.status, normal: normal.status };
  }, L3);
  expect(own.noCors).toBe(403);
  expect(own.normal).toBe(201);
  const names = (await sectionNames()).join();
  expect(names).toContain('FromThePage');
  expect(names).not.toContain('FromNoCors');
});
