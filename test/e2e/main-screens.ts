/** The main screens, each with what shows once its own content is on screen: shared by the axe scan and the look specs. */
import type { Locator, Page } from './fixtures';

export const mainScreens: [hash: string, ready: (page: Page) => Locator][] = [
  ['/', (p) => p.getByRole('region', { name: 'Traffic probe' })],
  ['/vms', (p) => p.getByRole('navigation', { name: 'VMs and Templates' })],
  ['/inventory/host-20/monitor', (p) => p.getByRole('region', { name: 'DFW resources' }).getByRole('table').first()],
  ['/vms/vm-36/configure', (p) => p.getByTestId('vnic-rules').filter({ hasText: 'ruleset' })],
  ['/nsx/firewall', (p) => p.getByRole('region', { name: 'Firewall', exact: true }).getByRole('table').first()],
  ['/nsx/spoofguard', (p) => p.getByRole('region', { name: 'SpoofGuard', exact: true }).getByRole('table').first()],
  ['/nsx/composer', (p) => p.getByRole('region', { name: 'Service Composer' }).getByRole('table').first()],
  ['/topology', (p) => p.locator('.svelte-flow__node').first()],
  ['/consoles', (p) => p.getByRole('region', { name: 'Console' })],
  ['/rest', (p) => p.getByRole('region', { name: 'Response' })],
  ['/charts', (p) => p.getByRole('region', { name: 'Host charts' })],
  ['/bus', (p) => p.getByRole('grid', { name: 'Captured bus messages' })],
  ['/diagnostics', (p) => p.getByRole('heading', { name: 'Determinism check' })],
  ['/labs', (p) => p.getByRole('heading', { name: 'Labs', exact: true })],
  ['/scenarios', (p) => p.getByRole('heading', { name: 'Scenarios', exact: true })],
];

/** Opens a screen by its hash in the page already open (no reload: the lab stays) and waits for its content. */
export async function showScreen(page: Page, hash: string): Promise<void> {
  const ready = mainScreens.find(([h]) => h === hash)?.[1];
  await page.evaluate((h) => (location.hash = h), hash);
  if (ready) await ready(page).waitFor({ state: 'visible', timeout: 30_000 });
}
