/**
 * Failure controls in the inventory (vsfwd, bus link, NSX Manager appliance) and the trace panel's
 * control-plane explanation: a new deny rule is published but a host with vsfwd down has not applied it.
 */
import { expect, test } from './fixtures';
import { openApp, waitForApiBridge } from './lab-helpers';
import { keepScreenshot } from '../ui/e2e-steps';

const SECTIONS = '/api/4.0/firewall/globalroot-0/config/layer3sections';

test('failure controls: vsfwd stop/start, bus cut/heal, manager down/up; the trace says why a rule is not applied', async ({ page }) => {
  await openApp(page);
  const tree = page.getByRole('navigation', { name: 'vSphere inventory' });
  await tree.locator('li[data-moid="host-30"] > .node').click();
  const cp = page.getByRole('region', { name: 'NSX control plane on esxcomp-02a' });
  await expect(cp.getByTestId('vsfwd-state')).toHaveAttribute('data-state', 'running');
  await expect(cp.getByTestId('bus-state')).toHaveAttribute('data-state', 'connected');

  // Bus cut and heal.
  await cp.getByRole('group', { name: 'Message bus link' }).getByRole('button', { name: 'Cut' }).click();
  await expect(cp.getByTestId('bus-state')).toHaveAttribute('data-state', 'cut');
  await cp.getByRole('group', { name: 'Message bus link' }).getByRole('button', { name: 'Heal' }).click();
  await expect(cp.getByTestId('bus-state')).not.toHaveAttribute('data-state', 'cut');

  // vsfwd stopped: then a deny rule for web-sv-02a → db-sv-01a:3306 is published through the REST API.
  await cp.getByRole('group', { name: 'vsfwd' }).getByRole('button', { name: 'Stop' }).click();
  await expect(cp.getByTestId('vsfwd-state')).toHaveAttribute('data-state', 'stopped');
  await waitForApiBridge(page);
  const ruleId = await page.evaluate(async (sections) => {
    const post = async (path: string, body: string, etag?: string) => {
      const r = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/xml', ...(etag ? { 'If-Match': etag } : {}) }, body });
      return { text: await r.text(), status: r.status };
    };
    const s = await post(sections, '<section name="UI failure test"/>');
    const id = /<section[^>]* id="(\d+)"/.exec(s.text)![1];
    const now = await fetch(`${sections}/${id}`);
    const rule = '<rule disabled="false" logged="false"><name>no mysql</name><action>deny</action><sources excluded="false"><source><value>vm-40</value><type>VirtualMachine</type></source></sources><destinations excluded="false"><destination><value>vm-41</value><type>VirtualMachine</type></destination></destinations><services><service><protocol>6</protocol><destinationPort>3306</destinationPort></service></services><direction>inout</direction><packetType>any</packetType></rule>';
    const r = await post(`${sections}/${id}/rules`, rule, now.headers.get('etag') ?? '');
    return Number(/<rule[^>]* id="(\d+)"/.exec(r.text)![1]);
  }, SECTIONS);
  expect(ruleId).toBeGreaterThan(1000);
  await expect(cp.getByTestId('host-publish-state')).toContainText('vsfwd is down');

  await page.getByLabel('From', { exact: true }).selectOption('web-sv-02a');
  await page.getByLabel('To', { exact: true }).selectOption('db-sv-01a');
  await page.getByLabel('Port', { exact: true }).fill('3306');
  await page.getByRole('button', { name: 'Send probe' }).click();
  await expect(page.locator('.verdict')).toBeVisible();
  const why = page.getByTestId('control-plane-explain');
  await expect(why).toContainText(`Rule ${ruleId} is published but host esxcomp-02a has not applied it: vsfwd is down`);
  await keepScreenshot(page, 'ui-failures-trace');

  // Start vsfwd again: the host resyncs and the explanation goes away on the next probe.
  await cp.getByRole('group', { name: 'vsfwd' }).getByRole('button', { name: 'Start' }).click();
  await expect(cp.getByTestId('vsfwd-state')).toHaveAttribute('data-state', 'running');

  // NSX Manager appliance down and up, from the datacenter summary.
  await tree.getByText('Lab-DC').click();
  const mgr = page.getByRole('region', { name: 'NSX Manager appliance' });
  await expect(mgr.getByTestId('manager-state')).toHaveAttribute('data-state', 'up');
  await mgr.getByRole('button', { name: 'Shut down' }).click();
  await expect(mgr.getByTestId('manager-state')).toHaveAttribute('data-state', 'down');
  await mgr.getByRole('button', { name: 'Start' }).click();
  await expect(mgr.getByTestId('manager-state')).toHaveAttribute('data-state', 'up');
  await keepScreenshot(page, 'ui-failures-manager');
});
