/** A fixed script of lab actions; the determinism checks (Node tests, the app's diagnostics) play it over two transports and compare. */
import type { LabApi } from './lab-api';

export async function playScript(api: LabApi): Promise<string[]> {
  const verdicts: string[] = [];
  const record = (r: { verdict: string; detail: string }) => verdicts.push(`${r.verdict}: ${r.detail}`);
  record(await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 }));
  record(await api.probe({ from: 'web-sv-01b', to: 'app-sv-01a', proto: 'icmp' }));
  record(await api.probe({ from: 'db-sv-01a', to: 'web-sv-02a', proto: 'udp', port: 53 }));
  record(await api.session({ name: 's1', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 }));
  // Dry runs in the middle: they must leave both transports' labs exactly as they were.
  record(await api.dryRun((dry) => dry.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 })));
  record(await api.dryRun((dry) => dry.session({ name: 's1', do: 'send' })));
  await api.wait(30);
  await api.vmotion('app-sv-01a', 'esxcomp-01b');
  record(await api.session({ name: 's1', do: 'send' }));
  await api.guest('web-sv-01a', 'ip addr replace 172.16.10.99/24 dev eth0');
  record(await api.probe({ from: 'web-sv-01a', to: 'web-sv-01b', proto: 'tcp', port: 80 }));
  await api.guest('db-sv-01a', 'service vmware-tools stop');
  record(await api.reach('vcenter'));
  record(await api.session({ name: 's1', do: 'close' }));
  await api.wait(120);
  return verdicts;
}
