/**
 * Issue 18 item 7: `ip addr replace 999.1.1.1/99 dev eth0` printed an error but had already set
 * the address, which then broke every probe. A wrong argument now changes nothing and answers
 * with iproute2's own words.
 */
import { describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { boot } from '../scenario/helpers';

describe('guest ip addr validates before changing anything', () => {
  it('refuses bad addresses, prefixes and devices, and the VM keeps working', async () => {
    const api = await boot(buildLab());
    const before = await api.guest('web-sv-01a', 'ip addr');
    expect(await api.guest('web-sv-01a', 'ip addr replace 999.1.1.1/99 dev eth0')).toBe('Error: any valid prefix is expected rather than "999.1.1.1/99".');
    expect(await api.guest('web-sv-01a', 'ip addr replace 172.16.10.50/33 dev eth0')).toMatch(/any valid prefix is expected/);
    expect(await api.guest('web-sv-01a', 'ip addr replace 172.16.10.050/24 dev eth0')).toMatch(/any valid prefix is expected/);
    expect(await api.guest('web-sv-01a', 'ip addr replace 172.16.10.50/24 dev eth1')).toBe('Cannot find device "eth1"');
    expect(await api.guest('web-sv-01a', 'ip addr')).toBe(before);
    const probe = await api.probe({ from: 'web-sv-01a', to: 'app-sv-01a', proto: 'icmp' });
    expect(probe.verdict).toBe('allowed');
    expect(await api.guest('web-sv-01a', 'ip addr replace 172.16.10.50/24 dev eth0')).toBe('');
    expect(await api.guest('web-sv-01a', 'ip addr')).toContain('inet 172.16.10.50/24');
    api.lab.dispose();
  });
});
