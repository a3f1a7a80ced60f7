/**
 * The look on every screen size a class uses (issue 13): no sideways scrolling, a navigator that
 * never wraps, the phone menu, the event log's remembered state, and screenshot baselines of the
 * main screens in light and dark. One page and one lab per test: screens are opened by hash.
 * (Hovered buttons' contrast is checked in accessibility.spec.ts, on the axe scan's page.)
 */
import { expect, test, type Page } from './fixtures';
import { openApp } from './lab-helpers';
import { mainScreens, showScreen } from './main-screens';

const sizes = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
];

/** How far the page, the screen inside <main> and its widest card reach past their width. */
async function sidewaysOverflow(page: Page): Promise<{ page: number; main: number; panel: number }> {
  return page.evaluate(() => {
    const main = document.getElementById('main')!;
    const panels = [...main.querySelectorAll<HTMLElement>('.panel')].map((p) => p.scrollWidth - p.clientWidth);
    return { page: document.documentElement.scrollWidth - window.innerWidth, main: main.scrollWidth - main.clientWidth, panel: Math.max(0, ...panels) };
  });
}

/** Every main screen at every size: nothing scrolls sideways (tables may scroll inside themselves). */
async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    for (const [hash] of mainScreens) {
      await showScreen(page, hash);
      expect(await sidewaysOverflow(page), `#${hash} at ${size.width}×${size.height}${what}`).toEqual({ page: 0, main: 0, panel: 0 });
    }
    // A VM's Summary with its NSX part (tags, groups, Attach tag), the widest object page.
    await page.evaluate(() => (location.hash = '/inventory/vm-36'));
    await page.getByText('Attach tag').waitFor({ timeout: 30_000 });
    expect(await sidewaysOverflow(page), `VM Summary at ${size.width}×${size.height}${what}`).toEqual({ page: 0, main: 0, panel: 0 });
    const header = await page.locator('.shell > header').boundingBox();
    expect(header!.height, `one header line at ${size.width}×${size.height}${what}`).toBeLessThanOrEqual(56);
  }
}

test('no screen scrolls sideways at 1280×720, 1024×768 or 390×844, with or without the lesson dock, and the navigation fits', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page);
  await noSidewaysScroll(page, '');
  // On the phone the navigator is a menu: closed, it hides; opened, it navigates and closes.
  const screensNav = page.getByRole('navigation', { name: 'Screens' });
  await expect(screensNav).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  await screensNav.getByRole('link', { name: 'Topology', exact: true }).click();
  await expect(screensNav).toBeHidden();
  await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
  // Wide again: the navigator is always there, one link per line.
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(screensNav.getByRole('link', { name: 'Networking & Security', exact: true })).toBeVisible();
  const link = await screensNav.getByRole('link', { name: 'Networking & Security', exact: true }).boundingBox();
  expect(link!.height).toBeLessThan(40);
  // The lesson dock open beside every screen (its lab is the classroom's, with a rule 1005).
  await page.evaluate(() => (location.hash = '/scenario/lockout-vcenter/step/1'));
  await expect(page.getByRole('complementary', { name: 'Lesson' }).getByText('Step 1 of 6')).toBeVisible({ timeout: 60_000 });
  await noSidewaysScroll(page, ' with the lesson dock open');
});

test('the event log collapses, and the choice is remembered after a reload', async ({ page }) => {
  await openApp(page);
  const log = page.getByRole('list', { name: 'Events, newest first' });
  await expect(log).toBeVisible();
  await page.getByRole('button', { name: /Events/ }).click();
  await expect(log).toBeHidden();
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'vSphere inventory' }).getByText('Lab-DC')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: /Events/ })).toHaveAttribute('aria-expanded', 'false');
  await expect(log).toBeHidden();
  await page.keyboard.press('Alt+L');
  await expect(log).toBeVisible();
});

test('the main screens match their baselines at 1440×900, 1280×720 and 390×844, light and dark', async ({ page }) => {
  test.setTimeout(480_000);
  await openApp(page);
  const shown = ['/', '/nsx/firewall', '/topology', '/scenarios', '/inventory/host-20/monitor', '/vms/vm-36/configure'];
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    for (const size of [{ width: 1440, height: 900 }, { width: 1280, height: 720 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(size);
      for (const hash of shown) {
        await showScreen(page, hash);
        const name = `${hash === '/' ? 'inventory' : hash.replace(/^\//, '').replace(/\//g, '-')}-${size.width}x${size.height}-${theme}.png`;
        await expect(page).toHaveScreenshot(name, {
          // time-dependent: the lab clock, the save state, the event log's lines and count, a host's samples and events
          mask: [page.locator('.shell > header .sub'), page.locator('.shell > footer'), page.getByRole('region', { name: 'DFW resources' }), page.getByTestId('object-events')],
          stylePath: 'test/e2e/look-screenshot.css',
          maxDiffPixelRatio: 0.01,
        });
      }
    }
  }
});

test('objects open with the client’s tabs, kept in the URL; the Actions menu; VMs and Templates', async ({ page }) => {
  await openApp(page);
  const tree = page.getByRole('navigation', { name: 'vSphere inventory' });
  const detail = page.locator('.detail');
  // A host: Summary, then Monitor (DFW resources and its events), then Configure (networking, filters).
  await tree.locator('li[data-moid="host-20"] > .node').click();
  await expect(page).toHaveURL(/#\/inventory\/host-20\/summary$/);
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('esxcomp-01a');
  // Its CPU and memory, capacity and use, from the host's resource model (8 × 2.6 GHz, 24 GB, 608 MB of DFW memory).
  await expect(page.getByTestId('host-cpu')).toContainText('of 20.80 GHz');
  await expect(page.getByTestId('host-memory')).toContainText(/24 GB installed; DFW heaps [\d.]+ of 608 MB/);
  const tabs = page.getByRole('navigation', { name: 'esxcomp-01a tabs' });
  await tabs.getByRole('link', { name: 'Monitor' }).click();
  await expect(page).toHaveURL(/#\/inventory\/host-20\/monitor$/);
  await expect(tabs.getByRole('link', { name: 'Monitor' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('host-heaps')).toContainText('vsip-rules');
  await expect(page.getByTestId('object-events')).toContainText('host-20');
  await tabs.getByRole('link', { name: 'Configure' }).click();
  await expect(page.getByTestId('host-filters')).toContainText('-vmware-sfw.2');
  // Another object keeps the tab kind when it has it: a VM's Configure shows its vNIC slots and rules.
  await tree.locator('li[data-moid="vm-36"] > .node').click();
  await expect(page).toHaveURL(/#\/inventory\/vm-36\/configure$/);
  await expect(page.getByTestId('vnic-slots').first()).toContainText('dvfilter-generic-vmware-swsec');
  await expect(page.getByTestId('vnic-rules')).toContainText('ruleset');
  // The tab survives a reload.
  await page.reload();
  await expect(page.getByTestId('vnic-slots').first()).toBeVisible({ timeout: 30_000 });
  // Summary names the rules applied; the Actions menu offers the VM's actions, arrows move, Escape closes.
  await page.getByRole('navigation', { name: 'web-sv-01a tabs' }).getByRole('link', { name: 'Summary' }).click();
  await expect(page.getByTestId('vm-rules')).toContainText(/\d+ L3 and \d+ L2 rule lines in eth0's filter \(rules 10\d\d/);
  await page.getByRole('button', { name: 'Actions for web-sv-01a' }).click();
  const menu = page.getByRole('menu', { name: 'Actions for web-sv-01a' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Power on / off', 'Migrate…', 'Edit Settings…', 'Stop / start VMware Tools', 'Open console']);
  await expect(menu.getByRole('menuitem', { name: 'Power on / off' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Migrate…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Migrate web-sv-01a' })).toBeVisible();
  await page.keyboard.press('Escape');
  // Edit Settings… (as vSphere's VM menu has it): the VM's adapters with their MAC and port group, the CPU
  // limit; Cancel leaves nothing typed behind, OK reconfigures the VM through vCenter.
  await page.getByRole('button', { name: 'Actions for web-sv-01a' }).click();
  await menu.getByRole('menuitem', { name: 'Edit Settings…' }).click();
  const settings = page.getByRole('dialog', { name: 'Edit Settings web-sv-01a' });
  await expect(settings.getByLabel(/Network adapter 1/)).toHaveValue(/.+/);
  await expect(settings).toContainText(/adapter 1 on \S+; CPU limit unlimited/);
  await settings.getByLabel('CPU limit (MHz)').fill('900');
  await settings.getByRole('button', { name: 'Cancel' }).click();
  await expect(settings).toBeHidden();
  await page.getByRole('button', { name: 'Actions for web-sv-01a' }).click();
  await menu.getByRole('menuitem', { name: 'Edit Settings…' }).click();
  await expect(settings.getByLabel('CPU limit (MHz)')).toHaveValue('');
  await settings.getByLabel('CPU limit (MHz)').fill('900');
  await settings.getByRole('button', { name: 'OK' }).click();
  await expect(settings.getByRole('status')).toContainText('Reconfigured virtual machine web-sv-01a: CPU limit 900 MHz');
  await expect(settings).toContainText('CPU limit 900 MHz.');
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('region', { name: 'Edit Settings' }).getByLabel('CPU limit (MHz)')).toHaveValue('900');
  // VMs and Templates: folders, then VMs; selecting keeps that view.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'VMs and Templates' }).click();
  const folders = page.getByRole('navigation', { name: 'VMs and Templates' });
  await expect(folders.locator('[data-folder="group-workloads"]')).toContainText('web-sv-01a');
  await folders.locator('li[data-moid="vm-36"] > .node').click();
  await expect(page).toHaveURL(/#\/vms\/vm-36\/summary$/);
  await expect(page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'VMs and Templates' })).toHaveAttribute('aria-current', 'page');
});
