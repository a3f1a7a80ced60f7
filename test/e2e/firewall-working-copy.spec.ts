/**
 * The Firewall screen's working copy has no dead ends (issue 12, items 3 and 4): Cancel adds
 * nothing, unpublished edits survive a reload (and leaving asks first), and a configuration
 * that changed on NSX Manager meanwhile (exclusion list, a REST client) is rebased onto, not
 * answered with 412; a rule changed on both sides asks keep mine / take theirs. One page, one lab.
 */
import { expect, test, type Page } from './fixtures';
import { openApp, waitForApiBridge, waitSaved } from './lab-helpers';

async function nsxPage(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Networking & Security', exact: true }).click();
  await page.getByRole('navigation', { name: 'Networking & Security' }).getByRole('link', { name, exact: true }).click();
}

async function exclude(page: Page, vm: string) {
  await nsxPage(page, 'Exclusion list');
  const excl = page.getByRole('region', { name: 'Exclusion list', exact: true });
  await excl.getByLabel('Add a VM').selectOption(vm);
  await excl.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(excl.locator(`tr[data-member="${vm}"]`)).toBeVisible({ timeout: 30_000 });
}

/** A raw REST client (the page's fetch, answered by the service worker) changes a rule's notes. */
function renameOverRest(page: Page, ruleId: string, notes: string) {
  return page.evaluate(
    async ({ ruleId, notes }) => {
      const config = await fetch('/api/4.0/firewall/globalroot-0/config');
      const doc = new DOMParser().parseFromString(await config.text(), 'application/xml');
      const rule = doc.querySelector(`rule[id="${ruleId}"]`)!;
      const section = rule.closest('section')!.getAttribute('id');
      const path = `/api/4.0/firewall/globalroot-0/config/layer3sections/${section}`;
      const etag = (await fetch(path)).headers.get('etag') ?? '';
      let notesEl = rule.querySelector('notes');
      if (!notesEl) rule.appendChild((notesEl = doc.createElement('notes')));
      notesEl.textContent = notes;
      const res = await fetch(`${path}/rules/${ruleId}`, { method: 'PUT', headers: { 'Content-Type': 'application/xml', 'If-Match': etag }, body: new XMLSerializer().serializeToString(rule) });
      return res.status;
    },
    { ruleId, notes },
  );
}

test('firewall working copy: Cancel adds nothing, edits survive a reload, Publish goes through a changed configuration', async ({ page, consoleAllowed }) => {
  test.setTimeout(180_000);
  // Publish over a changed configuration meets NSX's 412 first (the browser logs it), then rebases and publishes.
  consoleAllowed.push(/the server responded with a status of 412/);
  await openApp(page);
  await nsxPage(page, 'Firewall');
  const fw = page.getByRole('region', { name: 'Firewall', exact: true });
  await expect(fw.locator('tr[data-rule="1001"]')).toBeVisible({ timeout: 30_000 });
  const table = () => fw.locator('tr[data-rule]').evaluateAll((rows) => rows.map((r) => r.textContent));
  const before = await table();

  // "+ rule" then Cancel, or the dialog's ✕: the table is as it was, nothing unpublished.
  const dialog = page.getByRole('dialog', { name: 'New rule' });
  for (const close of ['Cancel', 'Close']) {
    await fw.getByRole('button', { name: 'Add rule', exact: true }).click();
    await dialog.getByLabel('Name').fill('Never kept');
    await dialog.getByRole('button', { name: close, exact: true }).click();
    await expect(dialog).toBeHidden();
    expect(await table()).toEqual(before);
    await expect(fw.getByTestId('unpublished')).toBeHidden();
  }

  // An unpublished rule survives a reload; leaving with it asks first.
  await fw.getByRole('button', { name: 'Add rule', exact: true }).click();
  await dialog.getByLabel('Name').fill('Admin to vCenter');
  await dialog.getByLabel('Add to Destination').selectOption({ label: 'vcsa-01a' });
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await expect(fw.locator('tr[data-name="Admin to vCenter"]')).toContainText('+ new');
  await waitSaved(page);
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.type());
    void d.accept();
  });
  await page.reload();
  await expect(fw.locator('tr[data-name="Admin to vCenter"]')).toContainText('+ new', { timeout: 60_000 });
  await expect(fw.getByTestId('unpublished')).toBeVisible();
  expect(asked).toEqual(['beforeunload']);

  // The exclusion list changes the configuration's generation under the edit: Publish still publishes it.
  await exclude(page, 'vm-11');
  await nsxPage(page, 'Firewall');
  await expect(fw.locator('tr[data-name="Admin to vCenter"]')).toContainText('+ new', { timeout: 30_000 });
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByText(/Published generation \d+/)).toBeVisible({ timeout: 60_000 });
  await expect(fw.getByTestId('unpublished')).toBeHidden();
  const ruleId = (await fw.locator('tr[data-name="Admin to vCenter"]').getAttribute('data-rule'))!;
  expect(Number(ruleId)).toBeGreaterThan(1001);

  // A change while the screen is open: a raw REST client gets 412 for a stale If-Match, the screen rebases.
  await waitForApiBridge(page);
  const statuses = await page.evaluate(async () => {
    const path = '/api/4.0/firewall/globalroot-0/config';
    const read = await fetch(path);
    const [etag, body] = [read.headers.get('etag') ?? '', await read.text()];
    const excluded = (await fetch('/api/2.1/app/excludelist/vm-40', { method: 'PUT' })).status;
    const stale = (await fetch(path, { method: 'PUT', headers: { 'Content-Type': 'application/xml', 'If-Match': etag }, body })).status;
    return { excluded, stale };
  });
  expect(statuses).toEqual({ excluded: 200, stale: 412 });
  await fw.getByRole('button', { name: 'Add rule', exact: true }).click();
  await dialog.getByLabel('Name').fill('Second edit');
  await dialog.getByRole('button', { name: 'Keep in working copy' }).click();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByText(/changed while you edited.*Published generation \d+/)).toBeVisible({ timeout: 60_000 });
  await expect(fw.locator('tr[data-name="Second edit"]')).not.toContainText('+ new');

  // The same rule changed here and over REST: the screen names it and follows the choice.
  await fw.getByRole('button', { name: 'Edit rule Admin to vCenter' }).click();
  const edit = page.getByRole('dialog', { name: `Edit rule ${ruleId}` });
  await edit.getByLabel('Action').selectOption('deny');
  await edit.getByRole('button', { name: 'Keep in working copy' }).click();
  expect(await renameOverRest(page, ruleId, 'changed over REST')).toBe(200);
  await fw.getByRole('button', { name: 'Publish' }).click();
  const conflicts = fw.getByRole('region', { name: 'Conflicting changes' });
  await expect(conflicts).toContainText(`Rule ${ruleId} “Admin to vCenter”`, { timeout: 30_000 });
  await conflicts.getByRole('group', { name: `Rule ${ruleId} “Admin to vCenter”` }).getByRole('button', { name: 'Keep mine' }).click();
  await fw.getByRole('button', { name: 'Publish' }).click();
  await expect(fw.getByText(/Published generation \d+/)).toBeVisible({ timeout: 60_000 });
  await expect(conflicts).toBeHidden();
  await expect(fw.locator(`tr[data-rule="${ruleId}"] .action`)).toHaveAttribute('data-action', 'deny');
});
