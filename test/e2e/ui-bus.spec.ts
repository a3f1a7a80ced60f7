/** Bus sniffer: captured messages in a table, filtered by host and type, one decoded and as hex. */
import { expect, test } from './fixtures';
import { openApp } from './lab-helpers';
import { goTo, keepScreenshot } from '../ui/e2e-steps';

test('bus sniffer: messages, filters, decoded protobuf and hex', async ({ page }) => {
  await openApp(page);
  await goTo(page, 'Bus');
  const table = page.getByRole('grid', { name: 'Captured bus messages' });
  await expect(table.locator('tbody tr[data-seq]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Advance the lab clock 1 min' }).click();
  await expect(table.locator('tbody tr[data-type="Heartbeat"]').first()).toBeVisible();

  await page.getByLabel('Type').selectOption('ThresholdReport');
  await page.getByLabel('Host').selectOption({ label: 'esxcomp-02a' });
  const rows = table.locator('tbody tr[data-seq]');
  await expect(rows.first()).toBeVisible();
  expect(await table.locator('tbody tr[data-seq]:not([data-type="ThresholdReport"])').count()).toBe(0);
  await expect(rows.first()).toContainText('esxcomp-02a');
  await expect(rows.first()).toContainText('NSX Manager');

  await rows.first().click();
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('bus-decoded')).toContainText('"hostId": "host-30"');
  await expect(page.getByTestId('bus-hex')).toContainText(/^0000 {2}0a 07 68 6f 73 74 2d 33 30/);
  // Keyboard: the next row becomes the selection.
  if ((await rows.count()) > 1) {
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  }

  await page.getByLabel('Type').selectOption('RuleSet');
  await page.getByLabel('Host').selectOption('');
  await table.locator('tbody tr[data-type="RuleSet"]').first().click();
  await expect(page.getByTestId('bus-decoded')).toContainText('"generation"');
  await keepScreenshot(page, 'ui-bus');
});
